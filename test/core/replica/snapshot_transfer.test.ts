/**
 * Chunked snapshot transfer (src/core/replica/snapshot_transfer.ts): chunks respect the byte
 * bound yet always carry an entry, the follower reassembles exactly the leader's snapshot, and a
 * chunk that does not continue the transfer is ignored while a first chunk starts over.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Snapshot, snapshotEntryBytesBound } from "../../../src/core/replica/index.js";
import { SnapshotReceiver, snapshotChunk } from "../../../src/core/replica/snapshot_transfer.js";
import type { KvSnapshotEntry } from "../../../src/core/state/index.js";
import { epoch, nodeId, offset } from "../../../src/core/types.js";

const leader = nodeId(1);
const leaderEpoch = epoch(4);

function snapshotOf(keys: number, at: number, valueBytes = 10): Snapshot {
  const entries: KvSnapshotEntry[] = [];
  for (let index = 0; index < keys; index++) {
    entries.push({
      key: `k${String(index).padStart(3, "0")}`,
      value: { type: "string", data: "v".repeat(valueBytes) },
      version: offset(index),
    });
  }
  return { offset: offset(at), epoch: epoch(2), state: { offset: offset(at), entries } };
}

/** Runs a whole transfer; returns the installed snapshot and the chunks it took. */
function transfer(snapshot: Snapshot, bytesMax: number): { installed: Snapshot; chunks: number } {
  const receiver = new SnapshotReceiver();
  for (let chunks = 1; chunks <= snapshot.state.entries.length + 1; chunks++) {
    const chunk = snapshotChunk(snapshot, receiver.position(leader, leaderEpoch), bytesMax);
    const installed = receiver.accept(leader, leaderEpoch, chunk);
    if (installed !== undefined) return { installed, chunks };
  }
  throw new Error("the transfer did not finish");
}

test("chunks stay within the byte bound, but always carry one entry", () => {
  const snapshot = snapshotOf(50, 60);
  const entryBytes = snapshotEntryBytesBound(snapshot.state.entries[0] as KvSnapshotEntry);
  for (const [bytesMax, chunks] of [
    [1, 50],
    [entryBytes, 50],
    [entryBytes * 2, 25],
    [entryBytes * 7, 8],
    [Number.POSITIVE_INFINITY, 1],
  ]) {
    const result = transfer(snapshot, bytesMax as number);
    assert.equal(result.chunks, chunks, `bytesMax ${bytesMax}`);
    assert.deepEqual(result.installed, snapshot);
  }
});

test("an empty snapshot is one chunk", () => {
  const snapshot = snapshotOf(0, 3);
  assert.deepEqual(transfer(snapshot, 1), { installed: snapshot, chunks: 1 });
});

test("the leader answers a stale or impossible position with the first chunk of its snapshot", () => {
  const current = snapshotOf(5, 20);
  for (const requested of [
    { offset: offset(10), epoch: epoch(2), position: 3, element: 0 },
    { offset: offset(20), epoch: epoch(1), position: 3, element: 0 },
    { offset: offset(20), epoch: epoch(2), position: 5, element: 0 },
  ]) {
    const chunk = snapshotChunk(current, requested, 1);
    assert.equal(chunk.position, 0, JSON.stringify(requested));
    assert.equal(chunk.offset, current.offset);
  }
  assert.equal(
    snapshotChunk(current, { offset: offset(20), epoch: epoch(2), position: 3, element: 0 }, 1)
      .position,
    3,
  );
});

test("out-of-order, repeated and foreign chunks are ignored; a first chunk starts over", () => {
  const old = snapshotOf(3, 10);
  const current = snapshotOf(4, 20);
  const receiver = new SnapshotReceiver();
  const first = snapshotChunk(old, undefined, 1);
  assert.equal(receiver.accept(leader, leaderEpoch, first), undefined);
  const at1 = { offset: old.offset, epoch: old.epoch, position: 1, element: 0 };
  assert.deepEqual(receiver.position(leader, leaderEpoch), at1);
  // Position 2 before 1, position 1 again after taking it, and position 1 of another snapshot.
  const second = snapshotChunk(old, at1, 1);
  const third = snapshotChunk(old, { ...at1, position: 2 }, 1);
  assert.equal(receiver.accept(leader, leaderEpoch, third), undefined);
  assert.equal(receiver.accept(leader, leaderEpoch, second), undefined);
  assert.equal(receiver.accept(leader, leaderEpoch, second), undefined);
  const foreign = snapshotChunk(current, { ...at1, offset: current.offset }, 1);
  assert.equal(receiver.accept(leader, leaderEpoch, foreign), undefined);
  assert.deepEqual(receiver.position(leader, leaderEpoch), { ...at1, position: 2 });
  // The leader compacted meanwhile: its first chunk replaces the transfer.
  assert.equal(
    receiver.accept(leader, leaderEpoch, snapshotChunk(current, undefined, 1)),
    undefined,
  );
  let installed: Snapshot | undefined;
  while (installed === undefined) {
    const position = receiver.position(leader, leaderEpoch);
    installed = receiver.accept(leader, leaderEpoch, snapshotChunk(current, position, 1));
  }
  assert.deepEqual(installed, current);
});

test("a transfer belongs to one leader in one epoch", () => {
  const snapshot = snapshotOf(3, 10);
  const receiver = new SnapshotReceiver();
  receiver.accept(leader, leaderEpoch, snapshotChunk(snapshot, undefined, 1));
  const next = { offset: snapshot.offset, epoch: snapshot.epoch, position: 1, element: 0 };
  assert.equal(
    receiver.accept(nodeId(2), leaderEpoch, snapshotChunk(snapshot, next, 1)),
    undefined,
  );
  assert.equal(receiver.position(leader, epoch(5)), undefined, "a new epoch drops the transfer");
  assert.equal(receiver.position(leader, leaderEpoch), undefined, "and it stays dropped");
});
