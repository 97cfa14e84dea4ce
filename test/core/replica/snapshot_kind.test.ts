/**
 * A Ready says whether its snapshot was taken by compaction or installed from a leader, and
 * writeReady hands only a taken one to storage's `compactTo`, which may make it durable later.
 * An installed snapshot stands in for a stored log that may not match it, so it, and anything
 * taken on top of it before the Ready, goes through the synchronous `installSnapshot`.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type Batch,
  type HardState,
  type Ready,
  ReplicaLog,
  type Snapshot,
  writeReady,
} from "../../../src/core/replica/index.js";
import { UnstableLog } from "../../../src/core/replica/unstable_log.js";
import { epoch, type Offset, offset } from "../../../src/core/types.js";

const snapshotAt = (at: number): Snapshot => ({
  offset: offset(at),
  epoch: epoch(1),
  state: { offset: offset(at), entries: [] },
});

const batchAt = (at: number): Batch => ({
  baseOffset: offset(at),
  epoch: epoch(1),
  timestampMs: 0,
  records: [{ kind: "noop" }],
});

/** A log of ten one-record batches, all handed to storage already. */
function stored(): { log: ReplicaLog; unstable: UnstableLog } {
  const log = new ReplicaLog(Array.from({ length: 10 }, (_, at) => batchAt(at)));
  return { log, unstable: new UnstableLog(log.leo) };
}

describe("UnstableLog's snapshot kind", () => {
  test("a snapshot compaction took is `taken` and truncates nothing", () => {
    const { log, unstable } = stored();
    log.compact(offset(6));
    unstable.snapshotTaken(snapshotAt(6));
    const writes = unstable.take(log);
    assert.equal(writes.snapshotKind, "taken");
    assert.equal(writes.snapshot?.offset, 6);
    assert.equal(writes.truncateTo, undefined);
  });

  test("a leader's snapshot is `installed`, also when compaction takes another before the Ready", () => {
    const { log, unstable } = stored();
    log.reset(offset(8), epoch(1));
    unstable.snapshotInstalled(snapshotAt(8));
    unstable.snapshotTaken(snapshotAt(9));
    const writes = unstable.take(log);
    assert.equal(writes.snapshot?.offset, 9);
    assert.equal(writes.snapshotKind, "installed");
    assert.equal(writes.truncateTo, 8);
  });

  test("a snapshot taken after the installed one was written is `taken` again", () => {
    const { log, unstable } = stored();
    log.reset(offset(8), epoch(1));
    unstable.snapshotInstalled(snapshotAt(8));
    unstable.take(log);
    unstable.advance();
    assert.deepEqual(unstable.take(log).snapshotKind, undefined);
    unstable.advance();
    log.append(batchAt(8));
    log.append(batchAt(9));
    log.compact(offset(9));
    unstable.snapshotTaken(snapshotAt(9));
    assert.equal(unstable.take(log).snapshotKind, "taken");
  });
});

/** Storage that records the calls writeReady makes. */
function recordingStorage(withCompactTo: boolean) {
  const calls: string[] = [];
  const storage = {
    saveHardState: (_: HardState) => calls.push("saveHardState"),
    installSnapshot: (snapshot: Snapshot) => calls.push(`installSnapshot ${snapshot.offset}`),
    truncate: (from: Offset) => calls.push(`truncate ${from}`),
    append: (batches: readonly Batch[]) => calls.push(`append ${batches.length}`),
    ...(withCompactTo
      ? { compactTo: (snapshot: Snapshot) => calls.push(`compactTo ${snapshot.offset}`) }
      : {}),
  };
  return { storage, calls };
}

const readyWith = (fields: Partial<Ready>): Ready => ({
  entries: [],
  messagesBeforeSync: [],
  messages: [],
  replies: [],
  mustSync: true,
  ...fields,
});

describe("writeReady", () => {
  test("a taken snapshot goes to compactTo, before the truncation and the entries", () => {
    const { storage, calls } = recordingStorage(true);
    const ready = readyWith({
      snapshot: snapshotAt(6),
      snapshotKind: "taken",
      truncateTo: offset(10),
      entries: [batchAt(10)],
    });
    writeReady(storage, ready);
    assert.deepEqual(calls, ["compactTo 6", "truncate 10", "append 1"]);
  });

  test("a taken snapshot goes to installSnapshot when storage has no compactTo", () => {
    const { storage, calls } = recordingStorage(false);
    writeReady(storage, readyWith({ snapshot: snapshotAt(6), snapshotKind: "taken" }));
    assert.deepEqual(calls, ["installSnapshot 6"]);
  });

  test("an installed snapshot always goes to installSnapshot", () => {
    const { storage, calls } = recordingStorage(true);
    writeReady(storage, readyWith({ snapshot: snapshotAt(8), snapshotKind: "installed" }));
    assert.deepEqual(calls, ["installSnapshot 8"]);
  });
});
