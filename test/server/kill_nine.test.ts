/**
 * Majority writes survive `kill -9`: four clients write distinct keys with `OL.SET ... W majority`
 * while the leader, and later a follower, are killed mid-stream and restarted. Every write that
 * was acknowledged must be read back, linearizably, once the cluster has healed.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Reply } from "../../src/protocols/resp/index.js";
import { LocalNodes, sleep } from "./support/local_nodes.js";
import { TestRespClient } from "./support/resp_client.js";

const workers = 4;
const keysPerWorker = 60;

describe("majority writes under kill -9", () => {
  let cluster: LocalNodes;

  before(async () => {
    cluster = await LocalNodes.create(3);
    cluster.startAll();
    await cluster.waitForLeader();
  });
  after(() => cluster.destroy());

  /** Writes the worker's keys one by one, retrying each on the leader until it is acknowledged. */
  async function worker(index: number, acknowledged: Map<string, string>): Promise<void> {
    let client: TestRespClient | undefined;
    for (let key = 0; key < keysPerWorker; key++) {
      const name = `w${index}-k${key}`;
      const value = `value-${index}-${key}`;
      const deadline = Date.now() + 20_000;
      for (;;) {
        assert.ok(Date.now() < deadline, `${name} never acknowledged`);
        try {
          client ??= await TestRespClient.open(cluster.node(await cluster.anyLeader()).respPort);
          const reply = await client.call("OL.SET", name, value, "W", "majority");
          if (isOk(reply)) {
            acknowledged.set(name, value);
            break;
          }
          // NOTLEADER, UNKNOWN (leadership lost after the append), BUSY: try the leader again.
          if (reply.kind !== "error") assert.fail(`unexpected reply ${JSON.stringify(reply)}`);
          client.close();
          client = undefined;
        } catch {
          client?.close();
          client = undefined;
          await sleep(30);
        }
      }
    }
    client?.close();
  }

  async function untilAcknowledged(acknowledged: Map<string, string>, count: number) {
    while (acknowledged.size < count) await sleep(5);
  }

  it("keeps every acknowledged write through a killed leader and a killed follower", async () => {
    const acknowledged = new Map<string, string>();
    const total = workers * keysPerWorker;
    const writing = Promise.all(
      Array.from({ length: workers }, (_, index) => worker(index, acknowledged)),
    );
    const nemesis = cluster.killLeaderThenFollower((quarters) =>
      untilAcknowledged(acknowledged, (quarters * total) / 4),
    );
    await Promise.all([writing, nemesis]);
    assert.equal(acknowledged.size, total);

    const leader = await cluster.waitForCaughtUp();
    const client = await TestRespClient.open(cluster.node(leader).respPort);
    try {
      for (const [name, value] of acknowledged) {
        const reply = await client.call("OL.GET", name, "READ", "linearizable");
        assert.equal(reply.kind, "array", `${name}: ${JSON.stringify(reply)}`);
        const first = reply.kind === "array" ? reply.items?.[0] : undefined;
        const read = first?.kind === "bulk" ? first.value?.toString("latin1") : undefined;
        assert.equal(read, value, `acknowledged ${name}=${value} read back as ${read}`);
      }
    } finally {
      client.close();
    }
  });
});

function isOk(reply: Reply): boolean {
  if (reply.kind !== "array") return false;
  const first = reply.items?.[0];
  return first?.kind === "simple" && first.value === "OK";
}
