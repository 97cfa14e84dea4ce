/**
 * Snapshot entries written by hand (string values without an expiry) or through msgpackr read
 * back as the entries they were, and stay within `snapshotEntryBytesBound`, whose sum for a
 * string entry is the generic walk's.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Packr } from "msgpackr";
import {
  isStringEntry,
  type LogRecord,
  recordBytesBound,
  snapshotEntryBytesBound,
} from "../../../src/core/replica/index.js";
import type { KvSnapshotEntry } from "../../../src/core/state/index.js";
import { offset } from "../../../src/core/types.js";
import { isHandWritten, SnapshotEntriesWriter } from "../../../src/io/storage/snapshot_entries.js";
import { wellFormedText } from "./support.js";

const packr = new Packr({ useRecords: false, mapsAsObjects: true });
const writer = new SnapshotEntriesWriter(packr);

const version = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.integer({ min: 0, max: 2 ** 32 + 10 }),
  fc.maxSafeInteger().filter((value) => value >= 0),
);
const entry: fc.Arbitrary<KvSnapshotEntry> = fc
  .record(
    {
      key: wellFormedText,
      value: fc.oneof(
        wellFormedText.map((data) => ({ type: "string" as const, data })),
        fc
          .array(fc.tuple(fc.string(), fc.string()), { maxLength: 3 })
          .map((fields) => ({ type: "hash" as const, fields })),
        fc.array(fc.string(), { maxLength: 3 }).map((items) => ({ type: "list" as const, items })),
      ),
      version: version.map(offset),
      expireAtMs: fc.integer({ min: 1, max: 2 ** 45 }),
    },
    { requiredKeys: ["key", "value", "version"] },
  )
  // Plain objects, as a reader makes them (fast-check's records have no prototype).
  .map((value) => structuredClone(value) as KvSnapshotEntry);

test("entries read back as written, within their bounds", () => {
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 20 }), fc.nat(5), (entries, skip) => {
      const start = Math.min(skip, entries.length);
      const bytes = writer.write(entries, start, entries.length);
      assert.deepStrictEqual(packr.unpack(bytes), entries.slice(start));
      let bound = 5;
      for (const one of entries.slice(start)) bound += snapshotEntryBytesBound(one);
      assert.ok(bytes.length <= bound, `${bytes.length} bytes > bound ${bound}`);
    }),
    { numRuns: 300 },
  );
});

test("a string entry's bound is the walk's, and only plain string entries are written by hand", () => {
  const plain: KvSnapshotEntry = {
    key: "k",
    value: { type: "string", data: "v" },
    version: offset(7),
  };
  assert.ok(isHandWritten(plain));
  // recordBytesBound is the generic walk, over any record-shaped value.
  const walk = (one: KvSnapshotEntry) => recordBytesBound(one as unknown as LogRecord);
  fc.assert(
    fc.property(entry, (one) => {
      if (isStringEntry(one)) assert.equal(snapshotEntryBytesBound(one), walk(one));
    }),
  );
  assert.ok(!isHandWritten({ ...plain, expireAtMs: 5 }));
  // A version past 2^32 is still a string entry for the bound, but goes through msgpackr.
  assert.ok(!isHandWritten({ ...plain, version: offset(2 ** 32) }));
  assert.ok(isStringEntry({ ...plain, version: offset(2 ** 32) }));
  assert.ok(!isHandWritten({ ...plain, extra: 1 } as KvSnapshotEntry));
  const undefinedExpiry = { ...plain, expireAtMs: undefined } as KvSnapshotEntry;
  assert.ok(isHandWritten(undefinedExpiry));
  assert.deepStrictEqual(packr.unpack(writer.write([undefinedExpiry], 0, 1)), [plain]);
});
