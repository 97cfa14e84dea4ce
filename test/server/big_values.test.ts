/**
 * Big values on a 3-node cluster of real processes: a write too large for a record is refused
 * with an error while the node keeps serving (it once crashed the node), so is a transaction, and
 * values whose sum is more than a peer frame reach a follower that was away (a fetch response
 * once held them all, was too large to send, and the follower stalled for good).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { peerFrameBytesMax } from "../../src/io/transport/index.js";
import {
  bigValue,
  bigValueBytes,
  bigValueCount,
  clusterWithLeaderClient,
  writeBigValues,
} from "./support/big_values.js";
import type { LocalNodes } from "./support/local_nodes.js";

const tooLarge = "ERR value too large: a record holds at most 8388608 bytes";

/** `redis-cli -p <port> -x <args>` with `input` on stdin, as a user sends a file. */
function redisCliWithInput(port: number, input: Buffer, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "redis-cli",
      ["-p", String(port), "-x", ...args],
      { timeout: 30_000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
    );
    child.stdin?.end(input);
  });
}

describe("big values on a 3-node cluster of real processes", () => {
  let cluster: LocalNodes;
  let leader: number;
  let client: Redis;

  before(async () => {
    // Checking and writing tens of MiB stalls a node for a while; only a follower is killed here,
    // so a longer election timeout costs nothing and keeps the leader in place.
    ({ cluster, leader, client } = await clusterWithLeaderClient({ electionTimeoutMs: 1500 }));
  });
  after(async () => {
    client.disconnect();
    await cluster.destroy();
  });

  it("refuses a 20 MB SET with -ERR and keeps serving", async () => {
    const pid = (await cluster.status(leader))?.pid;
    const twentyMegabytes = Buffer.alloc(20 * 1024 * 1024, "0123456789");
    await assert.rejects(client.set("big", twentyMegabytes), { message: tooLarge });
    const port = cluster.node(leader).respPort;
    assert.equal(await redisCliWithInput(port, twentyMegabytes, "SET", "big"), tooLarge);

    assert.equal(await client.set("after", "still here"), "OK");
    assert.equal(await client.get("after"), "still here");
    assert.equal(await client.exists("big"), 0);
    const status = await cluster.status(leader);
    assert.equal(status?.pid, pid, "the node process is the same one");
    assert.equal(status?.shards[0]?.role, "leader");
  });

  it("refuses a transaction whose writes together pass a record's bound, writing none", async () => {
    const fiveMegabytes = "x".repeat(5 * 1024 * 1024);
    await assert.rejects(client.multi().set("t1", fiveMegabytes).set("t2", fiveMegabytes).exec(), {
      message: tooLarge,
    });
    assert.equal(await client.exists("t1", "t2"), 0);
    assert.deepEqual(await client.multi().set("t1", fiveMegabytes).strlen("t1").exec(), [
      [null, "OK"],
      [null, fiveMegabytes.length],
    ]);
  });

  it("brings a follower that was away up to date with more bytes than a peer frame", async () => {
    assert.ok(
      bigValueBytes * bigValueCount > peerFrameBytesMax,
      "the records must not fit one peer frame",
    );

    const away = cluster.nodes.find((node) => node.id !== leader)?.id as number;
    await cluster.stop(away, "SIGKILL");
    await writeBigValues(client);
    const leaderLeo = (await cluster.status(leader))?.shards[0]?.leo as number;

    cluster.start(away);
    await cluster.waitForStatus(
      away,
      (status) => (status.shards[0]?.commit ?? 0) >= leaderLeo,
      60_000,
    );
    const follower = new Redis({ port: cluster.node(away).respPort, lazyConnect: true });
    await follower.connect();
    try {
      assert.equal(await follower.call("READONLY"), "OK");
      for (const index of [0, 1, 150, bigValueCount - 1]) {
        const value = await follower.getBuffer(`big${index}`);
        assert.ok(value?.equals(bigValue(index)), `big${index} on the follower`);
      }
    } finally {
      follower.disconnect();
    }
  });
});
