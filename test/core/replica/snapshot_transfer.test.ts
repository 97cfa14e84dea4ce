/**
 * Chunked snapshot transfer (src/core/replica/snapshot_transfer.ts): chunks respect the byte
 * bound yet always carry an entry, the follower reassembles exactly the leader's snapshot, and a
 * chunk that does not continue the transfer is ignored while a first chunk starts over.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type Snapshot, snapshotEntryBytesBound } from "../../../src/core/replica/index.js";
import { elementsOf } from "../../../src/core/replica/snapshot_entry_parts.js";
import {
  type SnapshotChunk,
  type SnapshotPosition,
  SnapshotReceiver,
  snapshotChunk,
} from "../../../src/core/replica/snapshot_transfer.js";
import type { HashField, KvSnapshotEntry, Value } from "../../../src/core/state/index.js";
import { epoch, nodeId, offset } from "../../../src/core/types.js";

/** Split entries at the fetch limit itself, however small, so these tests see parts. */
const noFloor = 0;

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
    const chunk = snapshotChunk(
      snapshot,
      receiver.position(leader, leaderEpoch),
      bytesMax,
      noFloor,
    );
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
    const chunk = snapshotChunk(current, requested, 1, noFloor);
    assert.equal(chunk.position, 0, JSON.stringify(requested));
    assert.equal(chunk.offset, current.offset);
  }
  assert.equal(
    snapshotChunk(
      current,
      { offset: offset(20), epoch: epoch(2), position: 3, element: 0 },
      1,
      noFloor,
    ).position,
    3,
  );
});

test("out-of-order, repeated and foreign chunks are ignored; a first chunk starts over", () => {
  const old = snapshotOf(3, 10);
  const current = snapshotOf(4, 20);
  const receiver = new SnapshotReceiver();
  const first = snapshotChunk(old, undefined, 1, noFloor);
  assert.equal(receiver.accept(leader, leaderEpoch, first), undefined);
  const at1 = { offset: old.offset, epoch: old.epoch, position: 1, element: 0 };
  assert.deepEqual(receiver.position(leader, leaderEpoch), at1);
  // Position 2 before 1, position 1 again after taking it, and position 1 of another snapshot.
  const second = snapshotChunk(old, at1, 1, noFloor);
  const third = snapshotChunk(old, { ...at1, position: 2 }, 1, noFloor);
  assert.equal(receiver.accept(leader, leaderEpoch, third), undefined);
  assert.equal(receiver.accept(leader, leaderEpoch, second), undefined);
  assert.equal(receiver.accept(leader, leaderEpoch, second), undefined);
  const foreign = snapshotChunk(current, { ...at1, offset: current.offset }, 1, noFloor);
  assert.equal(receiver.accept(leader, leaderEpoch, foreign), undefined);
  assert.deepEqual(receiver.position(leader, leaderEpoch), { ...at1, position: 2 });
  // The leader compacted meanwhile: its first chunk replaces the transfer.
  assert.equal(
    receiver.accept(leader, leaderEpoch, snapshotChunk(current, undefined, 1, noFloor)),
    undefined,
  );
  let installed: Snapshot | undefined;
  while (installed === undefined) {
    const position = receiver.position(leader, leaderEpoch);
    installed = receiver.accept(leader, leaderEpoch, snapshotChunk(current, position, 1, noFloor));
  }
  assert.deepEqual(installed, current);
});

test("a transfer belongs to one leader in one epoch", () => {
  const snapshot = snapshotOf(3, 10);
  const receiver = new SnapshotReceiver();
  receiver.accept(leader, leaderEpoch, snapshotChunk(snapshot, undefined, 1, noFloor));
  const next = { offset: snapshot.offset, epoch: snapshot.epoch, position: 1, element: 0 };
  assert.equal(
    receiver.accept(nodeId(2), leaderEpoch, snapshotChunk(snapshot, next, 1, noFloor)),
    undefined,
  );
  assert.equal(receiver.position(leader, epoch(5)), undefined, "a new epoch drops the transfer");
  assert.equal(receiver.position(leader, leaderEpoch), undefined, "and it stays dropped");
});

/** A collection value of each type with `count` elements of about 10 bytes each. */
function collections(count: number): Value[] {
  const names = Array.from({ length: count }, (_, index) => `e${String(index).padStart(8, "0")}`);
  return [
    { type: "list", items: names },
    { type: "hash", fields: names.map((name) => [name, `v${name}`] as const) },
    { type: "set", members: names },
    { type: "zset", entries: names.map((name, index) => [name, index / 4] as const) },
  ];
}

function snapshotWith(entries: KvSnapshotEntry[], at = 100): Snapshot {
  return { offset: offset(at), epoch: epoch(2), state: { offset: offset(at), entries } };
}

/** Every chunk of a whole transfer, fed to one receiver; fails if it does not finish. */
function chunksOf(
  snapshot: Snapshot,
  bytesMax: number,
): { chunks: SnapshotChunk[]; installed: Snapshot } {
  const receiver = new SnapshotReceiver();
  const chunks: SnapshotChunk[] = [];
  for (let fetches = 0; fetches < 100_000; fetches++) {
    const chunk = snapshotChunk(
      snapshot,
      receiver.position(leader, leaderEpoch),
      bytesMax,
      noFloor,
    );
    chunks.push(chunk);
    const installed = receiver.accept(leader, leaderEpoch, chunk);
    if (installed !== undefined) return { chunks, installed };
  }
  throw new Error("the transfer did not finish");
}

const chunkBytes = (chunk: SnapshotChunk): number =>
  chunk.entries.reduce((sum, entry) => sum + snapshotEntryBytesBound(entry), 0);

/** A chunk that may pass the byte bound: one element of a collection, or one string. */
const singleElement = (chunk: SnapshotChunk): boolean =>
  chunk.entries.length === 1 &&
  (chunk.entries[0]?.value.type === "string" ||
    elementCount(chunk.entries[0] as KvSnapshotEntry) <= 1);

const elementCount = (entry: KvSnapshotEntry): number => elementsOf(entry.value)?.length ?? 0;

test("a collection larger than a chunk travels in parts and arrives whole, for every type", () => {
  for (const value of collections(1000)) {
    const entry: KvSnapshotEntry = { key: "big", value, version: offset(7), expireAtMs: 99 };
    const snapshot = snapshotWith([entry]);
    const bytesMax = 1000;
    assert.ok(snapshotEntryBytesBound(entry) > 10 * bytesMax, value.type);
    const { chunks, installed } = chunksOf(snapshot, bytesMax);
    assert.deepEqual(installed, snapshot, value.type);
    assert.ok(chunks.length >= 10, `${value.type}: ${chunks.length} chunks`);
    for (const chunk of chunks) {
      assert.ok(
        chunkBytes(chunk) <= bytesMax,
        `${value.type}: chunk of ${chunkBytes(chunk)} bytes`,
      );
      assert.equal(chunk.entries.length, 1);
      assert.equal(chunk.entries[0]?.value.type, value.type);
    }
    assert.deepEqual(
      chunks.map((chunk) => chunk.continues),
      chunks.map((_, index) => index < chunks.length - 1),
    );
  }
});

test("small entries travel whole around split ones; a chunk passes the bound only for one element", () => {
  const small = (key: string): KvSnapshotEntry => ({
    key,
    value: { type: "string", data: "s".repeat(20) },
    version: offset(3),
  });
  const [list, hash, set, zset] = collections(300) as [Value, Value, Value, Value];
  const huge = "x".repeat(500);
  const entries: KvSnapshotEntry[] = [
    small("a"),
    { key: "list", value: list, version: offset(4) },
    small("b"),
    small("c"),
    { key: "hash", value: hash, version: offset(5) },
    { key: "set", value: set, version: offset(6) },
    small("d"),
    { key: "zset", value: zset, version: offset(8) },
    { key: "huge-items", value: { type: "list", items: [huge, huge, huge] }, version: offset(9) },
    { key: "huge-string", value: { type: "string", data: huge }, version: offset(9) },
    small("e"),
    { key: "f", value: { type: "set", members: ["m1", "m2", "m3", "m4"] }, version: offset(9) },
    small("g"),
  ];
  const snapshot = snapshotWith(entries);
  // At 145 bytes "e" (77) leaves room for the first member of "f" (61 without members) but not
  // for all of "f" (73): "f" must wait for the next chunk rather than split.
  for (const bytesMax of [1, 120, 145, 400, 1000, 5000]) {
    const { chunks, installed } = chunksOf(snapshot, bytesMax);
    assert.deepEqual(installed, snapshot, `bytesMax ${bytesMax}`);
    for (const chunk of chunks) {
      const bytes = chunkBytes(chunk);
      assert.ok(bytes <= bytesMax || singleElement(chunk), `bytesMax ${bytesMax}: ${bytes} bytes`);
    }
    // An entry that fits a chunk is never cut: it arrives in one chunk, whole.
    for (const whole of entries) {
      if (snapshotEntryBytesBound(whole) > bytesMax) continue;
      const carried = chunks.flatMap((chunk) => chunk.entries).filter((e) => e.key === whole.key);
      assert.deepEqual(carried, [whole], `bytesMax ${bytesMax}: ${whole.key}`);
    }
  }
  // With room for several small entries, they share chunks as before.
  const { chunks } = chunksOf(snapshot, 1000);
  assert.ok(chunks.some((chunk) => chunk.entries.length >= 2 && !chunk.continues));
});

test("a transfer resumes mid-entry, from the element the follower names", () => {
  const [, hash] = collections(100) as [Value, Value];
  const entry: KvSnapshotEntry = { key: "h", value: hash, version: offset(1) };
  const snapshot = snapshotWith([entry, { ...entry, key: "i" }]);
  const receiver = new SnapshotReceiver();
  assert.equal(
    receiver.accept(leader, leaderEpoch, snapshotChunk(snapshot, undefined, 300, noFloor)),
    undefined,
  );
  const position = receiver.position(leader, leaderEpoch) as SnapshotPosition;
  assert.equal(position.position, 0);
  assert.ok(position.element > 0 && position.element < 100, `element ${position.element}`);
  // The leader keeps nothing: the position alone names the next part.
  const next = snapshotChunk(snapshot, position, 300, noFloor);
  assert.equal(next.element, position.element);
  const count = elementCount(next.entries[0] as KvSnapshotEntry);
  const fields: readonly HashField[] = hash.type === "hash" ? hash.fields : [];
  assert.ok(count > 0);
  assert.deepEqual(next.entries[0], {
    ...entry,
    value: { type: "hash", fields: fields.slice(position.element, position.element + count) },
  });
  // An element past the entry's end is no position of this snapshot: the leader starts over.
  assert.equal(snapshotChunk(snapshot, { ...position, element: 100 }, 300, noFloor).element, 0);
  assert.equal(snapshotChunk(snapshot, { ...position, element: 100 }, 300, noFloor).position, 0);
  let installed = receiver.accept(leader, leaderEpoch, next);
  while (installed === undefined) {
    installed = receiver.accept(
      leader,
      leaderEpoch,
      snapshotChunk(snapshot, receiver.position(leader, leaderEpoch), 300, noFloor),
    );
  }
  assert.deepEqual(installed, snapshot);
});

test("a part that does not continue the entry held exactly is ignored", () => {
  const [list] = collections(50) as [Value];
  const entry: KvSnapshotEntry = { key: "l", value: list, version: offset(1) };
  const snapshot = snapshotWith([entry]);
  const other = snapshotWith([{ ...entry, key: "m" }]);
  const receiver = new SnapshotReceiver();
  receiver.accept(leader, leaderEpoch, snapshotChunk(snapshot, undefined, 100, noFloor));
  const held = receiver.position(leader, leaderEpoch) as SnapshotPosition;
  assert.ok(held.element > 0);
  const next = snapshotChunk(snapshot, held, 100, noFloor);
  const ignored: Array<[string, SnapshotChunk]> = [
    ["another key", snapshotChunk(other, { ...held, offset: other.offset }, 100, noFloor)],
    [
      "another version",
      { ...next, entries: [{ ...(next.entries[0] as KvSnapshotEntry), version: offset(2) }] },
    ],
    ["another type", { ...next, entries: [{ ...entry, value: { type: "set", members: ["x"] } }] }],
    ["a string", { ...next, entries: [{ ...entry, value: { type: "string", data: "x" } }] }],
    [
      "an element too far",
      snapshotChunk(snapshot, { ...held, element: held.element + 1 }, 100, noFloor),
    ],
    [
      "an element repeated",
      snapshotChunk(snapshot, { ...held, element: held.element - 1 }, 100, noFloor),
    ],
    ["the next entry", { ...next, element: 0, position: 1 }],
    ["no entry", { ...next, entries: [] }],
  ];
  for (const [what, chunk] of ignored) {
    assert.equal(receiver.accept(leader, leaderEpoch, chunk), undefined, what);
    assert.deepEqual(receiver.position(leader, leaderEpoch), held, what);
  }
  receiver.accept(leader, leaderEpoch, next);
  assert.ok((receiver.position(leader, leaderEpoch) as SnapshotPosition).element > held.element);
});

const text = fc.string({ maxLength: 12 });
// fast-check's records have no prototype; the state machine's values are plain objects.
const valueArbitrary: fc.Arbitrary<Value> = fc
  .oneof(
    fc.record({ type: fc.constant("string" as const), data: fc.string({ maxLength: 40 }) }),
    fc.record({ type: fc.constant("list" as const), items: fc.array(text, { maxLength: 60 }) }),
    fc.record({
      type: fc.constant("hash" as const),
      fields: fc.array(fc.tuple(text, text), { maxLength: 60 }),
    }),
    fc.record({ type: fc.constant("set" as const), members: fc.array(text, { maxLength: 60 }) }),
    fc.record({
      type: fc.constant("zset" as const),
      entries: fc.array(fc.tuple(text, fc.double({ noNaN: true })), { maxLength: 60 }),
    }),
  )
  .map((value): Value => ({ ...value }));
const snapshotArbitrary = fc
  .array(fc.tuple(valueArbitrary, fc.option(fc.nat(), { nil: undefined })), { maxLength: 12 })
  .map((values) =>
    snapshotWith(
      values.map(([value, expireAtMs], index) => ({
        key: `k${index}`,
        value,
        version: offset(index),
        ...(expireAtMs === undefined ? {} : { expireAtMs }),
      })),
    ),
  );

test("property: any snapshot arrives exactly, every chunk progresses and respects the bound", () => {
  fc.assert(
    fc.property(snapshotArbitrary, fc.integer({ min: 1, max: 300 }), (snapshot, bytesMax) => {
      const receiver = new SnapshotReceiver();
      let before: SnapshotPosition = {
        offset: snapshot.offset,
        epoch: snapshot.epoch,
        position: 0,
        element: 0,
      };
      for (;;) {
        const chunk = snapshotChunk(
          snapshot,
          receiver.position(leader, leaderEpoch),
          bytesMax,
          noFloor,
        );
        assert.ok(
          chunkBytes(chunk) <= bytesMax || singleElement(chunk),
          `${chunkBytes(chunk)} bytes`,
        );
        const installed = receiver.accept(leader, leaderEpoch, chunk);
        if (installed !== undefined) {
          assert.deepEqual(installed, snapshot);
          return;
        }
        const after = receiver.position(leader, leaderEpoch) as SnapshotPosition;
        assert.ok(
          after.position > before.position ||
            (after.position === before.position && after.element > before.element),
          `no progress from ${JSON.stringify(before)} to ${JSON.stringify(after)}`,
        );
        before = after;
      }
    }),
    { numRuns: 500 },
  );
});

test("entries up to the part floor travel whole, alone, whatever the fetch limit", () => {
  const items = Array.from({ length: 50 }, (_, index) => `item ${index}`);
  const snapshot: Snapshot = {
    offset: offset(10),
    epoch: epoch(1),
    state: {
      offset: offset(10),
      entries: [{ key: "list", value: { type: "list", items }, version: offset(3) }],
    },
  };
  const chunk = snapshotChunk(snapshot, undefined, 1);
  assert.deepEqual(chunk.entries, snapshot.state.entries);
  assert.equal(chunk.continues, false);
  assert.equal(chunk.done, true);
  assert.ok(
    snapshotChunk(snapshot, undefined, 1, noFloor).continues,
    "without the floor it splits",
  );
});
