/**
 * What the tests of values larger than a peer frame share: a 3-node cluster with a client on
 * its leader, and 300 values of 256 KiB (75 MiB, more than the 64 MiB frame) to write while a
 * follower is away.
 */
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { LocalNodes } from "./local_nodes.js";

export const bigValueBytes = 256 * 1024;
export const bigValueCount = 300;
export const bigValue = (index: number): Buffer => Buffer.alloc(bigValueBytes, `value ${index};`);

/** A started 3-node raft cluster and an ioredis client connected to its leader. */
export async function clusterWithLeaderClient(overrides: Record<string, unknown>) {
  const cluster = await LocalNodes.create(3, "raft", overrides);
  cluster.startAll();
  const leader = await cluster.waitForLeader();
  const client = new Redis({ port: cluster.node(leader).respPort, lazyConnect: true });
  await client.connect();
  return { cluster, leader, client };
}

/** SETs `big0`… `big299` in pipelines of 25; every one must answer OK. */
export async function writeBigValues(client: Redis): Promise<void> {
  for (let start = 0; start < bigValueCount; start += 25) {
    const pipeline = client.pipeline();
    for (let index = start; index < start + 25; index++)
      pipeline.set(`big${index}`, bigValue(index));
    const replies = await pipeline.exec();
    const refused = replies?.find(([error, reply]) => error !== null || reply !== "OK");
    assert.ok(replies?.length === 25 && refused === undefined, `SETs from big${start}: ${refused}`);
  }
}
