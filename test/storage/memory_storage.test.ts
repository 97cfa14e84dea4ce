import assert from "node:assert/strict";
import { test } from "node:test";
import { type Offset, offset } from "../../src/core/types.js";
import { MemoryStorage } from "../../src/storage/memory_storage.js";

type TestBatch = { baseOffset: Offset; records: string[] };
const batch = (base: number, ...records: string[]): TestBatch => ({
  baseOffset: offset(base),
  records,
});
const records = (storage: MemoryStorage<TestBatch, string>) =>
  storage.load().batches.flatMap((b) => b.records);

test("a crash loses exactly the writes since the last sync", () => {
  const storage = new MemoryStorage<TestBatch, string>();
  storage.append([batch(0, "a", "b")]);
  storage.sync();
  storage.append([batch(2, "c")]);
  storage.crash();
  assert.deepEqual(records(storage), ["a", "b"]);
});

test("an unsynced truncation is undone by a crash", () => {
  const storage = new MemoryStorage<TestBatch, string>();
  storage.append([batch(0, "a", "b"), batch(2, "c")]);
  storage.sync();
  storage.truncate(offset(1));
  storage.append([batch(1, "x")]);
  assert.deepEqual(records(storage), ["a", "x"]);
  storage.crash();
  assert.deepEqual(records(storage), ["a", "b", "c"]);
});

test("a synced truncation survives a crash, and later unsynced truncations stack", () => {
  const storage = new MemoryStorage<TestBatch, string>();
  storage.append([batch(0, "a"), batch(1, "b"), batch(2, "c")]);
  storage.sync();
  storage.truncate(offset(2));
  storage.sync();
  storage.append([batch(2, "x")]);
  storage.truncate(offset(1));
  storage.truncate(offset(0));
  storage.crash();
  assert.deepEqual(records(storage), ["a", "b"]);
});

test("the hard state is durable at once", () => {
  const storage = new MemoryStorage<TestBatch, string>();
  storage.saveHardState("epoch 3");
  storage.crash();
  assert.equal(storage.load().hardState, "epoch 3");
});

test("appends must continue the log", () => {
  const storage = new MemoryStorage<TestBatch, string>();
  storage.append([batch(0, "a")]);
  assert.throws(() => storage.append([batch(5, "z")]), /storage append at 5, log ends at 1/);
});

test("a snapshot drops the batches it covers; load cuts the one it covers in part", () => {
  const storage = new MemoryStorage<TestBatch, string, { offset: Offset }>();
  storage.append([batch(0, "a", "b"), batch(2, "c", "d"), batch(4, "e")]);
  storage.sync();
  storage.installSnapshot({ offset: offset(3) });
  const loaded = storage.load();
  assert.equal(loaded.snapshot?.offset, 3);
  assert.deepEqual(
    loaded.batches.map((b) => [b.baseOffset, b.records]),
    [
      [3, ["d"]],
      [4, ["e"]],
    ],
  );
  storage.crash();
  assert.deepEqual(records(storage), ["d", "e"]);
});
