/**
 * Snapshots on disk: installed durably, covering (and deleting) the segments below their offset,
 * recovered on reopen with the log that continues them, and refused when damaged.
 */
import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Snapshot } from "../../../src/core/replica/index.js";
import { epoch, offset } from "../../../src/core/types.js";
import { DiskStorage } from "../../../src/io/storage/index.js";
import { batchesFrom, openOk, recordsByOffset, withDirectory } from "./support.js";

const snapshotAt = (at: number): Snapshot => ({
  offset: offset(at),
  epoch: epoch(2),
  state: {
    offset: offset(at),
    entries: [
      { key: "a", value: { type: "string", data: "1" }, version: offset(0), expireAtMs: 99 },
      { key: "l", value: { type: "list", items: ["x", "y"] }, version: offset(at - 1) },
    ],
  },
});

test("a snapshot deletes the segments it covers and comes back on reopen with the rest of the log", () => {
  withDirectory((directory) => {
    const storage = openOk(directory, { segmentBytesMax: 200 });
    const batches = batchesFrom(0, [3, 3, 3, 3, 3]);
    storage.append(batches);
    storage.sync();
    const before = readdirSync(directory).filter((name) => name.endsWith(".log")).length;
    storage.installSnapshot(snapshotAt(7));
    const after = readdirSync(directory).filter((name) => name.endsWith(".log")).length;
    assert.ok(after < before, `segments ${before} -> ${after}`);
    storage.close();
    const reopened = openOk(directory);
    const loaded = reopened.load();
    assert.deepEqual(loaded.snapshot, snapshotAt(7));
    // The batch holding offsets 6..8 is cut to start at 7: the log continues the snapshot.
    assert.equal(loaded.batches[0]?.baseOffset, 7);
    assert.deepEqual(
      recordsByOffset(loaded.batches).map(([at]) => at),
      [7, 8, 9, 10, 11, 12, 13, 14],
    );
    reopened.close();
  });
});

test("a snapshot past the end of the log empties it; appends continue from the snapshot", () => {
  withDirectory((directory) => {
    const storage = openOk(directory);
    storage.append(batchesFrom(0, [2, 2]));
    storage.installSnapshot(snapshotAt(10));
    storage.truncate(offset(10));
    storage.append(batchesFrom(10, [2]));
    storage.close();
    const loaded = openOk(directory).load();
    assert.equal(loaded.snapshot?.offset, 10);
    assert.deepEqual(
      recordsByOffset(loaded.batches).map(([at]) => at),
      [10, 11],
    );
  });
});

test("a damaged snapshot file is refused, naming it", () => {
  withDirectory((directory) => {
    const storage = openOk(directory);
    storage.installSnapshot(snapshotAt(3));
    storage.close();
    writeFileSync(join(directory, "snapshot"), Buffer.from("not a snapshot at all"));
    const opened = DiskStorage.open(directory);
    assert.equal(opened.kind, "corrupt");
    if (opened.kind === "corrupt") assert.match(opened.corruption.message, /snapshot/);
  });
});
