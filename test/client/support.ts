/** Fake clusters for the client tests, torn down after each test. */
import type { TestContext } from "node:test";
import { OnelogClient } from "../../src/client/index.js";
import type { ClientOptions } from "../../src/client/types.js";
import { FakeNode, type Script } from "./fake_node.js";

export const fastOptions: ClientOptions = {
  requestTimeoutMs: 600,
  connectTimeoutMs: 200,
  retryDelayMsMin: 2,
  retryDelayMsMax: 10,
  seed: 7,
};

/** Starts one fake node per script and a client on all of them, in that order. */
export async function cluster(
  context: TestContext,
  scripts: Script[],
  options: ClientOptions = {},
): Promise<{ nodes: FakeNode[]; client: OnelogClient }> {
  const nodes = await Promise.all(scripts.map((script) => FakeNode.start(script)));
  const client = new OnelogClient(
    nodes.map((node) => node.endpoint),
    { ...fastOptions, ...options },
  );
  context.after(async () => {
    await client.close();
    await Promise.all(nodes.map((node) => node.stop()));
  });
  return { nodes, client };
}

/** A port nothing listens on: a node started and stopped at once. */
export async function deadPort(): Promise<number> {
  const node = await FakeNode.start(() => "close");
  await node.stop();
  return node.port;
}
