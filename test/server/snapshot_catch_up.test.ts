/**
 * A follower that falls behind the leader's compacted log catches up from a snapshot, with real
 * processes: nodes compact every 50 committed records; a stopped follower misses a few hundred
 * writes, then restarts, installs the leader's snapshot, fetches the rest, and serves every
 * acknowledged key from its own state — and again after a restart from its own disk.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Reply } from "../../src/protocols/resp/index.js";
import { LocalNodes, sleep } from "./support/local_nodes.js";
import { TestRespClient } from "./support/resp_client.js";

const keyCount = 300;

/** The value of an `OL.GET` reply: `[value, offset, version]`. */
function olGetValue(reply: Reply): string | null {
  if (reply.kind !== "array" || reply.items === null)
    throw new Error(`not an OL.GET reply: ${JSON.stringify(reply)}`);
  const value = reply.items[0];
  if (value === undefined || value.kind === "null") return null;
  if (value.kind !== "bulk" || value.value === null)
    throw new Error(`not a value: ${JSON.stringify(value)}`);
  return value.value.toString();
}

describe("a follower behind the leader's compacted log", () => {
  let cluster: LocalNodes;
  let leader: number;
  let follower: number;

  before(async () => {
    cluster = await LocalNodes.create(3, "raft", {
      compactionRecords: 50,
      compactionRetainRecords: 5,
    });
    cluster.startAll();
    leader = await cluster.waitForLeader();
    follower = cluster.nodes.find((node) => node.id !== leader)?.id as number;
  });
  after(() => cluster.destroy());

  it("catches up from a snapshot and serves every acknowledged key", async () => {
    assert.equal(await cluster.stop(follower, "SIGTERM"), 0);
    const client = await TestRespClient.open(cluster.node(leader).respPort);
    const replies = await Promise.all(
      Array.from({ length: keyCount }, (_, index) =>
        client.call("OL.SET", `key-${index}`, `value-${index}`, "W", "majority"),
      ),
    );
    client.close();
    for (const reply of replies) assert.equal(reply.kind, "array", JSON.stringify(reply));
    const leaderStatus = await cluster.status(leader);
    const leaderLeo = leaderStatus?.shards[0]?.leo as number;
    assert.ok(leaderLeo > keyCount, `leader leo ${leaderLeo}`);
    const shardDirectory = (id: number) => join(cluster.node(id).dataDir, "shard-0");
    // Compaction is housekeeping on the leader's ticks: give it a moment.
    assert.ok(
      await eventually(() => existsSync(join(shardDirectory(leader), "snapshot"))),
      "the leader compacted its log",
    );

    cluster.start(follower);
    await cluster.waitForStatus(
      follower,
      (status) => (status.shards[0]?.leo ?? 0) >= leaderLeo,
      20_000,
    );
    assert.ok(
      existsSync(join(shardDirectory(follower), "snapshot")),
      "the follower installed a snapshot",
    );
    await assertServes(cluster.node(follower).respPort);

    // Its own disk now holds the snapshot and the log after it.
    assert.equal(await cluster.stop(follower, "SIGTERM"), 0);
    cluster.start(follower);
    await cluster.waitForStatus(
      follower,
      (status) => (status.shards[0]?.leo ?? 0) >= leaderLeo,
      20_000,
    );
    await assertServes(cluster.node(follower).respPort);
  });
});

async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(20);
  }
  return condition();
}

async function assertServes(port: number): Promise<void> {
  const client = await TestRespClient.open(port);
  try {
    for (const index of [0, 1, 150, keyCount - 1]) {
      const reply = await client.call(
        "OL.GET",
        `key-${index}`,
        "READ",
        "local",
        "PREF",
        "secondary",
      );
      assert.equal(olGetValue(reply), `value-${index}`, `key-${index} on port ${port}`);
    }
  } finally {
    client.close();
  }
}
