/**
 * Compaction snapshots written in the background (DiskStorage.compactTo, decision 0011): not on
 * disk when the call returns, in place once their slices ran, and only then do the segments they
 * cover go. Until then the old snapshot and the segments recover everything, also after a crash
 * or a close mid-write; a newer compaction waits for the write in progress; a leader's snapshot,
 * written at once, wins over it; a failed write is reported and loses nothing.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { Snapshot } from "../../../src/core/replica/index.js";
import { epoch, offset } from "../../../src/core/types.js";
import type { DiskStorage } from "../../../src/io/storage/index.js";
import { readSnapshot } from "../../../src/io/storage/snapshot_file.js";
import {
  batchesFrom,
  openOk,
  recordsByOffset,
  reload,
  segmentFiles,
  withDirectoryAsync,
} from "./support.js";

/** Tiny segments (one or two batches each) and slices of two entries: many of both. */
const options = { segmentBytesMax: 200, snapshotSlice: { entriesMax: 2, bytesMax: 1024 } };

/** A snapshot at `at` of `entryCount` string keys; `tag` tells two snapshots' values apart. */
const snapshotOf = (at: number, entryCount: number, tag = "v"): Snapshot => ({
  offset: offset(at),
  epoch: epoch(1),
  state: {
    offset: offset(at),
    entries: Array.from({ length: entryCount }, (_, index) => ({
      key: `key-${index}`,
      value: { type: "string" as const, data: `${tag}${index}` },
      version: offset(index % at),
    })),
  },
});

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function turns(count: number): Promise<void> {
  for (let index = 0; index < count; index++) await turn();
}

/** The snapshot file in place, as a reopened storage would read it. */
function onDisk(directory: string): Snapshot | undefined {
  const read = readSnapshot(directory);
  assert.equal(read.kind, "ok", `snapshot file: ${read.kind === "corrupt" ? read.reason : ""}`);
  return read.kind === "ok" ? read.snapshot : undefined;
}

const unfinished = (directory: string) => existsSync(join(directory, "snapshot.tmp"));

/** A storage holding records [0, 15) in several segments, synced, and the warnings it gives. */
function storageWithLog(directory: string): { storage: DiskStorage; warnings: string[] } {
  const warnings: string[] = [];
  const storage = openOk(directory, { ...options, warn: (message) => warnings.push(message) });
  storage.append(batchesFrom(0, [3, 3, 3, 3, 3]));
  storage.sync();
  return { storage, warnings };
}

const offsetsOf = (loaded: ReturnType<typeof reload>) =>
  recordsByOffset(loaded.batches).map(([at]) => at);

const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, index) => from + index);

/** A restart recovers `snapshot`, then every record from its offset (0 without one) to `end`. */
function assertRecovers(directory: string, snapshot: Snapshot | undefined, end = 15): void {
  const loaded = reload(directory);
  assert.deepEqual(loaded.snapshot, snapshot);
  assert.deepEqual(offsetsOf(loaded), range(snapshot?.offset ?? 0, end));
}

const warned = (warnings: readonly string[], text: string) =>
  assert.ok(
    warnings.some((message) => message.includes(text)),
    `no warning "${text}": ${warnings}`,
  );

describe("compaction snapshots written in the background", () => {
  test("reach the disk only after their slices ran, and only then delete the segments they cover", async () => {
    await withDirectoryAsync(async (directory) => {
      const { storage } = storageWithLog(directory);
      const segmentsBefore = segmentFiles(directory);
      const snapshot = snapshotOf(7, 20);
      storage.compactTo(snapshot);
      assert.equal(storage.compacting, true);
      assert.equal(onDisk(directory), undefined, "on disk as the call returns");
      await turns(3);
      assert.ok(unfinished(directory), "the slices go to snapshot.tmp");
      assert.equal(onDisk(directory), undefined, "on disk before its last slice");
      assert.deepEqual(segmentFiles(directory), segmentsBefore, "segments deleted before it is");

      await storage.compactionIdle();
      assert.equal(storage.compacting, false);
      assert.deepEqual(onDisk(directory), snapshot);
      assert.ok(!unfinished(directory));
      const segmentsAfter = segmentFiles(directory);
      assert.ok(segmentsAfter.length < segmentsBefore.length, `${segmentsAfter} left`);
      assert.ok(Number(segmentsAfter[0]?.slice(0, 20)) <= 7, `${segmentsAfter[0]} starts past 7`);
      storage.close();
      assertRecovers(directory, snapshot);
    });
  });

  test("a crash mid-write recovers everything from the old snapshot and the segments", async () => {
    await withDirectoryAsync(async (directory) => {
      const { storage } = storageWithLog(directory);
      const old = snapshotOf(3, 4, "old");
      storage.installSnapshot(old);
      const everything = recordsByOffset(storage.load().batches);
      storage.compactTo(snapshotOf(10, 40));
      await turns(5);
      assert.ok(unfinished(directory));
      // What the disk holds if the node dies now.
      const crashed = `${directory}-crashed`;
      cpSync(directory, crashed, { recursive: true });
      const warnings: string[] = [];
      let loaded: ReturnType<typeof reload>;
      try {
        const reopened = openOk(crashed, { warn: (message) => warnings.push(message) });
        assert.ok(!unfinished(crashed), "the unfinished snapshot file is removed");
        loaded = reopened.load();
        reopened.close();
      } finally {
        rmSync(crashed, { recursive: true, force: true });
      }
      warned(warnings, "unfinished snapshot");
      assert.deepEqual(loaded.snapshot, old);
      assert.deepEqual(recordsByOffset(loaded.batches), everything);
      assert.deepEqual(offsetsOf(loaded), range(3, 15));
      storage.close();
      await storage.compactionIdle();
    });
  });

  test("closing mid-write abandons it: its file goes, and reopening recovers everything", async () => {
    await withDirectoryAsync(async (directory) => {
      const { storage } = storageWithLog(directory);
      storage.compactTo(snapshotOf(10, 40));
      await turns(5);
      assert.ok(unfinished(directory));
      storage.close();
      assert.ok(!unfinished(directory), "snapshot.tmp left after close");
      let idle = false;
      void storage.compactionIdle().then(() => {
        idle = true;
      });
      await turns(2);
      assert.ok(idle, "the abandoned write still runs its slices");
      await turns(40);
      assert.equal(onDisk(directory), undefined, "the abandoned write went on after close");
      assertRecovers(directory, undefined);
    });
  });

  test("a newer compaction waits for the write in progress; those in between are skipped", async () => {
    await withDirectoryAsync(async (directory) => {
      const { storage } = storageWithLog(directory);
      storage.compactTo(snapshotOf(6, 30));
      await turn();
      storage.compactTo(snapshotOf(8, 30));
      storage.compactTo(snapshotOf(10, 30));
      const seen: number[] = [];
      for (let turnCount = 0; storage.compacting; turnCount++) {
        assert.ok(turnCount < 1_000_000, "compaction never ends");
        const at = onDisk(directory)?.offset;
        if (at !== undefined && seen.at(-1) !== at) seen.push(at);
        await turn();
      }
      const last = onDisk(directory)?.offset;
      if (last !== undefined && seen.at(-1) !== last) seen.push(last);
      assert.deepEqual(seen, [6, 10]);
      storage.close();
      assertRecovers(directory, snapshotOf(10, 30));
    });
  });

  test("a leader's snapshot installed mid-write wins; the abandoned write never replaces it", async () => {
    await withDirectoryAsync(async (directory) => {
      const { storage, warnings } = storageWithLog(directory);
      storage.compactTo(snapshotOf(6, 40));
      await turns(3);
      const installed = snapshotOf(12, 3, "leader");
      storage.installSnapshot(installed);
      storage.truncate(offset(12));
      assert.equal(storage.compacting, false);
      assert.ok(!unfinished(directory));
      assert.deepEqual(onDisk(directory), installed);
      await storage.compactionIdle();
      await turns(40);
      assert.deepEqual(onDisk(directory), installed, "replaced by the abandoned write");
      assert.ok(!unfinished(directory));
      assert.deepEqual(warnings, []);
      storage.close();
      assertRecovers(directory, installed, 12);
    });
  });

  test("a leader's snapshot installed while the write's fsync is out wins too", async () => {
    await withDirectoryAsync(async (directory) => {
      const { storage, warnings } = storageWithLog(directory);
      // No entries: the first turn writes the metadata and header and starts the fsync.
      storage.compactTo(snapshotOf(6, 0));
      await turn();
      assert.ok(unfinished(directory));
      const installed = snapshotOf(9, 2, "leader");
      storage.installSnapshot(installed);
      await storage.compactionIdle();
      assert.deepEqual(onDisk(directory), installed);
      assert.ok(!unfinished(directory));
      assert.deepEqual(warnings, []);
      storage.close();
      assert.deepEqual(reload(directory).snapshot, installed);
    });
  });

  test("a leader's snapshot installed before the write's first slice leaves no file behind", async () => {
    await withDirectoryAsync(async (directory) => {
      const { storage } = storageWithLog(directory);
      storage.compactTo(snapshotOf(6, 10));
      const installed = snapshotOf(9, 2, "leader");
      storage.installSnapshot(installed);
      await storage.compactionIdle();
      assert.ok(!unfinished(directory), "the abandoned write created its file");
      assert.deepEqual(onDisk(directory), installed);
      storage.close();
    });
  });

  test("a truncation below the snapshot being written abandons it; one above does not", async () => {
    await withDirectoryAsync(async (directory) => {
      const { storage, warnings } = storageWithLog(directory);
      storage.compactTo(snapshotOf(10, 20));
      await turns(2);
      storage.truncate(offset(12));
      assert.equal(storage.compacting, true);
      storage.truncate(offset(8));
      assert.equal(storage.compacting, false);
      assert.ok(!unfinished(directory));
      warned(warnings, "truncation below");
      await storage.compactionIdle();
      assert.equal(onDisk(directory), undefined);
      storage.close();
      assertRecovers(directory, undefined, 8);
    });
  });

  test("a snapshot past the stored log's end is written at once: only it holds those records", async () => {
    await withDirectoryAsync(async (directory) => {
      const storage = openOk(directory, options);
      storage.append(batchesFrom(0, [3, 2]));
      const snapshot = snapshotOf(8, 6);
      storage.compactTo(snapshot);
      assert.equal(storage.compacting, false);
      assert.deepEqual(onDisk(directory), snapshot);
      assert.deepEqual(segmentFiles(directory), []);
      storage.close();
    });
  });

  test("a failed write is reported, and the old snapshot and every segment stay", async () => {
    await withDirectoryAsync(async (directory) => {
      const { storage, warnings } = storageWithLog(directory);
      const segmentsBefore = segmentFiles(directory);
      // A directory where the snapshot goes: the rename into place fails.
      mkdirSync(join(directory, "snapshot"));
      storage.compactTo(snapshotOf(7, 6));
      await storage.compactionIdle();
      warned(warnings, "compaction snapshot not written");
      assert.equal(storage.compacting, false);
      assert.ok(!unfinished(directory));
      assert.deepEqual(segmentFiles(directory), segmentsBefore);
      assert.equal(storage.load().snapshot, undefined);
      rmdirSync(join(directory, "snapshot"));
      storage.close();
      assertRecovers(directory, undefined);
    });
  });
});
