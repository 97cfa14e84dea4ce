/**
 * Snapshots on disk: installed durably, covering (and deleting) the segments below their offset,
 * recovered on reopen with the log that continues them, and refused when damaged.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { crc32c } from "@node-rs/crc32";
import { Packr } from "msgpackr";
import type { Snapshot } from "../../../src/core/replica/index.js";
import { epoch, offset } from "../../../src/core/types.js";
import { DiskStorage } from "../../../src/io/storage/index.js";
import { SnapshotEncoder } from "../../../src/io/storage/snapshot_file.js";
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

const packr = new Packr({ useRecords: false, mapsAsObjects: true });

/** A snapshot file in the sliced format (snapshot_file.ts), built here from its description. */
function slicedFile(values: readonly unknown[]): Buffer {
  const payload = Buffer.concat(values.map((value) => packr.pack(value)));
  const header = Buffer.alloc(16);
  header.write("OLS2", 0, "latin1");
  header.writeBigUInt64LE(BigInt(payload.length), 8);
  header.writeUInt32LE(crc32c(header.subarray(8), crc32c(payload)), 4);
  return Buffer.concat([header, payload]);
}

/** What opening a directory whose snapshot file holds `bytes` says. */
function openWithSnapshot(directory: string, bytes: Buffer): string {
  writeFileSync(join(directory, "snapshot"), bytes);
  const opened = DiskStorage.open(directory);
  if (opened.kind === "ok") {
    opened.storage.close();
    return "ok";
  }
  assert.match(opened.corruption.message, /snapshot is corrupt/);
  return opened.corruption.reason;
}

test("a damaged snapshot file in the sliced format is refused, saying what is wrong", () => {
  withDirectory((directory) => {
    const storage = openOk(directory, { snapshotSlice: { entriesMax: 1, bytesMax: 1024 } });
    storage.installSnapshot(snapshotAt(3));
    storage.close();
    const good = readFileSync(join(directory, "snapshot"));
    assert.equal(good.subarray(0, 4).toString("latin1"), "OLS2");
    assert.equal(openWithSnapshot(directory, good), "ok");

    const flipped = Buffer.from(good);
    flipped[good.length - 3] = (flipped[good.length - 3] as number) ^ 0x40;
    assert.equal(openWithSnapshot(directory, flipped), "crc32c mismatch");
    assert.match(openWithSnapshot(directory, good.subarray(0, good.length - 5)), /header says/);
    assert.match(openWithSnapshot(directory, good.subarray(0, 10)), /too short/);

    const [first, second] = snapshotAt(3).state.entries;
    const metadata = { offset: 3, epoch: 2, count: 3 };
    assert.equal(
      openWithSnapshot(directory, slicedFile([metadata, [first], [second]])),
      "2 entries, the snapshot says 3",
    );
    assert.equal(
      openWithSnapshot(directory, slicedFile([metadata, [first], "x"])),
      "value 3 of the payload is not entries",
    );
    assert.match(openWithSnapshot(directory, slicedFile([{ offset: 3 }])), /not a snapshot/);
    assert.equal(
      openWithSnapshot(directory, slicedFile([{ ...metadata, count: 2 }, [first], [second]])),
      "ok",
    );
  });
});

test("a snapshot file written in one MessagePack value, as before slicing, still reads", () => {
  withDirectory((directory) => {
    const { offset: at, epoch: atEpoch, state } = snapshotAt(5);
    const payload = packr.pack({ offset: at, epoch: atEpoch, entries: state.entries });
    const header = Buffer.alloc(8);
    header.writeUInt32LE(payload.length, 4);
    header.writeUInt32LE(crc32c(payload, crc32c(header.subarray(4))), 0);
    writeFileSync(join(directory, "snapshot"), Buffer.concat([header, payload]));
    const storage = openOk(directory);
    assert.deepEqual(storage.load().snapshot, snapshotAt(5));
    storage.close();
  });
});

test("a payload is cut into slices by entries and by bytes, an entry larger than that alone", () => {
  const entry = (key: string, valueBytes: number) => ({
    key,
    value: { type: "string" as const, data: "x".repeat(valueBytes) },
    version: offset(0),
  });
  // About 160 bytes each by snapshotEntryBytesBound, but "c" about 5 KB.
  const entries = [entry("a", 100), entry("b", 100), entry("c", 5000), entry("d", 100)];
  const snapshot: Snapshot = {
    offset: offset(5),
    epoch: epoch(1),
    state: { offset: offset(5), entries: [...entries, entry("e", 100), entry("f", 100)] },
  };
  const sliceKeys = (entriesMax: number, bytesMax: number): string[] => {
    const encoder = new SnapshotEncoder(snapshot, { entriesMax, bytesMax });
    assert.deepEqual(packr.unpack(encoder.next()), { offset: 5, epoch: 1, count: 6 });
    const slices: string[] = [];
    while (!encoder.done) {
      const slice = packr.unpack(encoder.next()) as Array<{ key: string }>;
      slices.push(slice.map(({ key }) => key).join(""));
    }
    return slices;
  };
  assert.deepEqual(sliceKeys(4, 1_000_000), ["abcd", "ef"]);
  assert.deepEqual(sliceKeys(100, 400), ["ab", "c", "de", "f"]);
  assert.deepEqual(sliceKeys(1, 400), ["a", "b", "c", "d", "e", "f"]);
});

test("encoding a snapshot leaves alone what another encoder returned meanwhile", () => {
  // msgpackr keeps its output buffer in module state shared by every Packr: a peer message packed
  // between two slices, and still waiting in a socket write, must not be written over.
  const snapshot = snapshotAt(9);
  const encoder = new SnapshotEncoder(snapshot, { entriesMax: 1, bytesMax: 1_000_000 });
  encoder.next();
  const message = new Packr({ useRecords: false }).pack({ kind: "hello", nodeId: 3 });
  const before = Buffer.from(message);
  while (!encoder.done) encoder.next();
  assert.deepEqual(message, before);
});
