/**
 * A snapshot larger than a peer frame reaches a follower, with real processes: 300 values of
 * 256 KiB (75 MiB, more than the 64 MiB frame) are written while a follower is killed, and the
 * leader compacts its log past the follower's end. The snapshot once travelled whole in one fetch
 * response, which the transport refused, so the follower never caught up; it now travels in
 * chunks of at most snapshotChunkBytesMax (1 MiB on nodes).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { readSnapshot } from "../../src/io/storage/snapshot_file.js";
import { peerFrameBytesMax } from "../../src/io/transport/index.js";
import {
  bigValue,
  bigValueBytes,
  bigValueCount,
  clusterWithLeaderClient,
  writeBigValues,
} from "./support/big_values.js";
import { type LocalNodes, sleep } from "./support/local_nodes.js";

describe("a snapshot larger than a peer frame", () => {
  let cluster: LocalNodes;
  let leader: number;
  let client: Redis;

  before(async () => {
    ({ cluster, leader, client } = await clusterWithLeaderClient({
      compactionRecords: 50,
      compactionRetainRecords: 5,
      // The follower writes the leader's snapshot synchronously (decision 0011): tens of MiB
      // may block its loop for longer than the usual 300 ms, and an election then would refuse
      // writes this test is not about.
      electionTimeoutMs: 3000,
    }));
  });
  after(async () => {
    client.disconnect();
    await cluster.destroy();
  });

  it("reaches a follower behind the log start in chunks", async () => {
    assert.ok(
      bigValueBytes * bigValueCount > peerFrameBytesMax,
      "the state must not fit one peer frame",
    );
    const away = cluster.nodes.find((node) => node.id !== leader)?.id as number;
    const awayLeo = (await cluster.status(away))?.shards[0]?.leo as number;
    await cluster.stop(away, "SIGKILL");
    await writeBigValues(client);
    const leaderLeo = (await cluster.status(leader))?.shards[0]?.leo as number;
    // Compaction is housekeeping on the leader's ticks: wait until its log starts (its snapshot
    // ends) past the follower's end, so that only the snapshot can catch the follower up.
    const leaderShard = join(cluster.node(leader).dataDir, "shard-0");
    const logStart = () => {
      const stored = readSnapshot(leaderShard);
      return stored.kind === "ok" ? (stored.snapshot?.offset ?? 0) : 0;
    };
    const deadline = Date.now() + 10_000;
    while (logStart() <= awayLeo && Date.now() < deadline) await sleep(50);
    assert.ok(logStart() > awayLeo, `leader log start ${logStart()}, follower end ${awayLeo}`);

    cluster.start(away);
    await cluster.waitForStatus(
      away,
      (status) => (status.shards[0]?.commit ?? 0) >= leaderLeo,
      90_000,
    );
    assert.ok(
      existsSync(join(cluster.node(away).dataDir, "shard-0", "snapshot")),
      "the follower installed a snapshot",
    );
    const follower = new Redis({ port: cluster.node(away).respPort, lazyConnect: true });
    await follower.connect();
    try {
      assert.equal(await follower.call("READONLY"), "OK");
      for (const index of [0, 1, 77, 150, 263, bigValueCount - 1]) {
        const value = await follower.getBuffer(`big${index}`);
        assert.ok(value?.equals(bigValue(index)), `big${index} on the follower, byte for byte`);
      }
      assert.equal(await follower.dbsize(), bigValueCount);
    } finally {
      follower.disconnect();
    }
  });
});
