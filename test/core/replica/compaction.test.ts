/**
 * Where compaction cuts the log: `compactionRetainRecords` behind the commit, or, on a leader,
 * no further than a live follower still has to fetch, while the log holds fewer than
 * `lagHoldFactor` × `compactionRecords` committed records; and never for a sliver of log. A
 * state of more keys than `compactionRecords` waits for as many records as it holds keys, and
 * after a snapshot that weighed more (a long list), for as many records as it weighed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  compactionSnapshot,
  lagHoldFactor,
  snapshotWeight,
} from "../../../src/core/replica/compaction.js";
import type { ReplicaConfig } from "../../../src/core/replica/config.js";
import { type Batch, ReplicaLog } from "../../../src/core/replica/log.js";
import { KvStateMachine } from "../../../src/core/state/index.js";
import { epoch, type Offset, offset } from "../../../src/core/types.js";

const compactionRecords = 100;
const config = { compactionRecords, compactionRetainRecords: 10 } as ReplicaConfig;

/** A log of `count` committed SETs over `keys` keys, applied to a state machine. */
function logOf(count: number, keys = 7) {
  const batches: Batch[] = Array.from({ length: count }, (_, index) => ({
    baseOffset: offset(index),
    epoch: epoch(1),
    timestampMs: 0,
    records: [{ kind: "kv", command: { kind: "set", key: `k${index % keys}`, value: `${index}` } }],
  }));
  const stateMachine = new KvStateMachine();
  for (const batch of batches) {
    const record = batch.records[0];
    if (record?.kind === "kv") stateMachine.apply(batch.baseOffset, record.command, 0);
  }
  return { log: new ReplicaLog(batches), stateMachine, commit: offset(count) };
}

const cutAt = (count: number, lagging?: number): Offset | undefined => {
  const { log, stateMachine, commit } = logOf(count);
  const lag = lagging === undefined ? undefined : offset(lagging);
  return compactionSnapshot(config, log, stateMachine, commit, lag)?.offset;
};

test("without a lagging follower the log is cut retain records behind the commit", () => {
  assert.equal(cutAt(99), undefined, "fewer than compactionRecords");
  assert.equal(cutAt(150), 140);
  assert.equal(cutAt(150, 145), 140, "a follower ahead of the cut changes nothing");
});

test("a live follower behind the cut keeps the records it still has to fetch", () => {
  assert.equal(cutAt(150, 70), 70);
  assert.equal(cutAt(150, 40), undefined, "less than half of compactionRecords to drop");
  assert.equal(cutAt(150, 0), undefined);
});

test("past the hold bound the log is cut anyway, and the follower will need the snapshot", () => {
  const bound = lagHoldFactor * compactionRecords;
  assert.equal(cutAt(bound - 1, 0), undefined);
  assert.equal(cutAt(bound, 0), bound - 10);
});

test("a state holding more keys than compactionRecords waits for as many records", () => {
  // 300 keys, each written once below 300, where an earlier compaction cut the log.
  const cut = (count: number, lagging?: number): Offset | undefined => {
    const { log, stateMachine, commit } = logOf(count, 300);
    log.compact(offset(300));
    const lag = lagging === undefined ? undefined : offset(lagging);
    return compactionSnapshot(config, log, stateMachine, commit, lag)?.offset;
  };
  assert.equal(cut(599), undefined, "299 records since: fewer than the 300 keys a snapshot writes");
  assert.equal(cut(600), 590);
  // The hold for a lagging follower and the sliver rule scale the same way.
  assert.equal(cut(900, 700), 700);
  assert.equal(cut(900, 420), undefined, "less than half of 300 records to drop");
  assert.equal(cut(300 + lagHoldFactor * 300 - 1, 300), undefined);
  assert.equal(cut(300 + lagHoldFactor * 300, 300), 300 + lagHoldFactor * 300 - 10);
});

test("after a snapshot heavier than compactionRecords and the keys, as many records as it weighed", () => {
  // 7 keys, an earlier compaction at 300 whose snapshot weighed 500 (a list of 500, say).
  const cut = (count: number, lastWeight: number): Offset | undefined => {
    const { log, stateMachine, commit } = logOf(count);
    log.compact(offset(300));
    return compactionSnapshot(config, log, stateMachine, commit, undefined, lastWeight)?.offset;
  };
  assert.equal(cut(799, 500), undefined, "499 records since a snapshot of 500 entries");
  assert.equal(cut(800, 500), 790);
  assert.equal(cut(400, 50), 390, "a light snapshot leaves compactionRecords in charge");
});

test("a snapshot weighs a key each, and each item of a collection", () => {
  const state = {
    offset: offset(9),
    entries: [
      { key: "s", value: { type: "string", data: "x" } },
      { key: "l", value: { type: "list", items: ["a", "b", "c"] } },
      { key: "h", value: { type: "hash", fields: [["f", "v"]] } },
      { key: "e", value: { type: "set", members: [] } },
      {
        key: "z",
        value: {
          type: "zset",
          entries: [
            ["m", 1],
            ["n", 2],
          ],
        },
      },
    ],
  } as unknown as Parameters<typeof snapshotWeight>[0];
  assert.equal(snapshotWeight(state), 1 + 3 + 1 + 1 + 2);
});
