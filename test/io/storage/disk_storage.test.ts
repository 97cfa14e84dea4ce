/**
 * DiskStorage through its public interface: round trips, reopening, truncation at and inside
 * batches and across segments, hard-state durability, and the fsync policies.
 */
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { Batch } from "../../../src/core/replica/index.js";
import { epoch, nodeId, offset } from "../../../src/core/types.js";
import { frameHeaderBytes } from "../../../src/io/storage/index.js";
import { AssertionError } from "../../../src/util/assert.js";
import {
  batchAt,
  batchesFrom,
  everyRecordKind,
  openOk,
  recordsByOffset,
  reload,
  segmentFiles,
  withDirectory,
} from "./support.js";

describe("append and load", () => {
  test("batches of every record kind come back exactly, also after reopening", () => {
    withDirectory((directory) => {
      const batches: Batch[] = [
        { baseOffset: offset(0), epoch: epoch(1), timestampMs: 5, records: everyRecordKind },
        { ...batchAt(everyRecordKind.length, 3), epoch: epoch(7), timestampMs: 2 ** 45 },
      ];
      const storage = openOk(directory);
      storage.append(batches);
      assert.deepEqual(storage.load().batches, batches);
      storage.close();
      const reopened = openOk(directory);
      assert.deepEqual(reopened.load(), { hardState: undefined, snapshot: undefined, batches });
      assert.equal(reopened.endOffset, everyRecordKind.length + 3);
      reopened.close();
    });
  });

  test("an empty directory loads nothing, and a log may start past 0", () => {
    withDirectory((directory) => {
      const storage = openOk(join(directory, "shard-1"));
      assert.deepEqual(storage.load(), { hardState: undefined, snapshot: undefined, batches: [] });
      storage.append([batchAt(100, 2)]);
      storage.close();
      assert.deepEqual(segmentFiles(join(directory, "shard-1")), ["00000000000000000100.log"]);
      const reopened = openOk(join(directory, "shard-1"));
      assert.deepEqual(reopened.load().batches, [batchAt(100, 2)]);
      reopened.close();
    });
  });

  test("an append that does not continue the log is a programmer error", () => {
    withDirectory((directory) => {
      const storage = openOk(directory);
      storage.append([batchAt(0, 2)]);
      assert.throws(() => storage.append([batchAt(3, 1)]), {
        name: AssertionError.name,
        message: "storage append at 3, log ends at 2",
      });
      storage.close();
    });
  });

  test("segments roll at the size limit and are named by their base offset", () => {
    withDirectory((directory) => {
      // A two-record batch frames to about 110 bytes, so a segment holds two or three frames.
      const segmentBytesMax = 300;
      const storage = openOk(directory, { segmentBytesMax });
      const batches = batchesFrom(0, [2, 2, 2, 2, 2, 2, 2]);
      storage.append(batches.slice(0, 3));
      storage.append(batches.slice(3));
      const files = segmentFiles(directory);
      assert.ok(files.length >= 3, `files ${files}`);
      assert.equal(files[0], "00000000000000000000.log");
      for (const name of files) {
        const bytes = statSync(join(directory, name)).size;
        assert.ok(bytes <= segmentBytesMax, `${name} holds ${bytes} bytes`);
      }
      storage.close();
      const reopened = openOk(directory);
      assert.deepEqual(reopened.load().batches, batches);
      reopened.close();
    });
  });
});

describe("truncate", () => {
  // Batches of sizes 3, 1, 4, 2 hold offsets [0,3) [3,4) [4,8) [8,10); small segments put about
  // two frames in each.
  const sizes = [3, 1, 4, 2];
  const all = batchesFrom(0, sizes);
  const offsetsTo = (from: number) =>
    recordsByOffset(all).filter(([recordOffset]) => recordOffset < from);

  for (const segmentBytesMax of [64 * 1024 * 1024, 2 * frameHeaderBytes + 120]) {
    for (let from = 0; from <= 11; from++) {
      test(`to ${from} with segments of ${segmentBytesMax} bytes, then append and reopen`, () => {
        withDirectory((directory) => {
          const storage = openOk(directory, { segmentBytesMax });
          storage.append(all);
          storage.truncate(offset(from));
          assert.deepEqual(recordsByOffset(storage.load().batches), offsetsTo(from));
          const end = Math.min(from, 10);
          assert.equal(storage.endOffset, end);
          // Truncating to 0 empties the log, which may then start anywhere; otherwise it continues.
          storage.append([batchAt(end, 2, 8, 2)]);
          storage.close();
          const expected = [...offsetsTo(from), ...recordsByOffset([batchAt(end, 2, 8, 2)])];
          const reopened = openOk(directory, { segmentBytesMax });
          assert.deepEqual(recordsByOffset(reopened.load().batches), expected);
          reopened.close();
        });
      });
    }
  }

  test("right after reopening, before the first load, loads the truncated log", () => {
    withDirectory((directory) => {
      const storage = openOk(directory);
      storage.append(all);
      storage.close();
      // The first load after open may use what recovery decoded; a truncation must not let it.
      const reopened = openOk(directory);
      reopened.truncate(offset(4));
      assert.deepEqual(recordsByOffset(reopened.load().batches), offsetsTo(4));
      reopened.close();
    });
  });

  test("inside a batch keeps its epoch and timestamp and shortens it", () => {
    withDirectory((directory) => {
      const storage = openOk(directory);
      const batch: Batch = { ...batchAt(0, 5), epoch: epoch(4), timestampMs: 77 };
      storage.append([batch, batchAt(5, 1)]);
      storage.truncate(offset(2));
      storage.close();
      const expected = { ...batch, records: batch.records.slice(0, 2) };
      assert.deepEqual(reload(directory).batches, [expected]);
    });
  });

  test("across segments deletes the later files", () => {
    withDirectory((directory) => {
      const storage = openOk(directory, { segmentBytesMax: frameHeaderBytes + 40 });
      storage.append(batchesFrom(0, [1, 1, 1, 1, 1]));
      assert.equal(segmentFiles(directory).length, 5);
      storage.truncate(offset(2));
      assert.deepEqual(segmentFiles(directory), [
        "00000000000000000000.log",
        "00000000000000000001.log",
      ]);
      storage.close();
    });
  });
});

describe("hard state", () => {
  test("is durable across reopen, and the last one saved wins", () => {
    withDirectory((directory) => {
      const storage = openOk(directory, { fsync: { kind: "none" } });
      storage.saveHardState({ epoch: epoch(1), vote: nodeId(2) });
      storage.saveHardState({ epoch: epoch(3), vote: null });
      storage.close();
      assert.deepEqual(reload(directory).hardState, { epoch: 3, vote: null });
      const again = openOk(directory);
      again.saveHardState({ epoch: epoch(2 ** 40), vote: nodeId(5) });
      again.close();
      assert.deepEqual(reload(directory).hardState, { epoch: 2 ** 40, vote: 5 });
    });
  });
});

describe("fsync policies", () => {
  const appendAndSync = (storage: ReturnType<typeof openOk>) => {
    storage.append([batchAt(storage.endOffset, 1)]);
    storage.sync();
  };

  test("group syncs on sync(), only when something was written", () => {
    withDirectory((directory) => {
      const storage = openOk(directory, { fsync: { kind: "group" } });
      appendAndSync(storage);
      appendAndSync(storage);
      storage.sync();
      assert.equal(storage.syncCount, 2);
      storage.close();
    });
  });

  test("none never syncs entries; interval syncs only when due", () => {
    withDirectory((directory) => {
      const none = openOk(join(directory, "none"), { fsync: { kind: "none" } });
      appendAndSync(none);
      assert.equal(none.syncCount, 0);
      none.close();
      const interval = openOk(join(directory, "interval"), {
        fsync: { kind: "interval", intervalMs: 100 },
      });
      appendAndSync(interval);
      assert.equal(interval.syncCount, 0);
      assert.equal(interval.syncIfDue(1000), true);
      appendAndSync(interval);
      assert.equal(interval.syncIfDue(1099), false);
      assert.equal(interval.syncIfDue(1100), true);
      assert.equal(interval.syncCount, 2);
      interval.close();
    });
  });
});
