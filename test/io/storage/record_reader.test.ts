/**
 * The hand-written reader of plain-SET batches against msgpackr, the generic reader it stands in
 * for: whenever it accepts bytes it returns exactly what msgpackr returns for them, whatever the
 * bytes, and it accepts every batch of plain SETs the record writer writes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Unpackr } from "msgpackr";
import type { LogRecord } from "../../../src/core/replica/index.js";
import { decodeRecords, encodeRecords } from "../../../src/io/storage/index.js";
import { readPlainSets } from "../../../src/io/storage/record_reader.js";
import { wellFormedText } from "./support.js";

/** msgpackr with the record codec's reading options. */
const oracle = new Unpackr({ mapsAsObjects: true, int64AsType: "bigint", useRecords: false });

/** What msgpackr reads from `bytes`, or undefined where it throws. */
function generic(bytes: Uint8Array): unknown {
  try {
    return oracle.unpack(bytes);
  } catch {
    return undefined;
  }
}

const plainSets = fc.array(
  fc
    .record({ key: wellFormedText, value: wellFormedText })
    .map((fields): LogRecord => ({ kind: "kv", command: { kind: "set", ...fields } })),
  { minLength: 1, maxLength: 40 },
);

test("every batch of plain SETs the writer writes is read back by hand, as msgpackr reads it", () => {
  fc.assert(
    fc.property(plainSets, (records) => {
      const bytes = encodeRecords(records);
      const read = readPlainSets(bytes, records.length);
      assert.deepEqual(read, records);
      assert.deepEqual(read, generic(bytes));
    }),
  );
});

test("changed, cut or extended bytes are read as msgpackr reads them, or left to it", () => {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant("flip"), at: fc.nat(), to: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant("cut"), at: fc.nat() }),
    fc.record({
      kind: fc.constant("extend"),
      extra: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
  );
  fc.assert(
    fc.property(plainSets, fc.array(edit, { minLength: 1, maxLength: 3 }), (records, edits) => {
      let bytes = Buffer.from(encodeRecords(records));
      for (const change of edits) {
        if (change.kind === "flip") bytes[change.at % bytes.length] = change.to;
        else if (change.kind === "cut") bytes = bytes.subarray(0, change.at % bytes.length);
        else bytes = Buffer.concat([bytes, change.extra]);
      }
      const read = readPlainSets(bytes, records.length);
      if (read !== undefined) assert.deepEqual(read, generic(bytes));
    }),
    { numRuns: 2000 },
  );
});

test("string bytes that are not UTF-8 are decoded as msgpackr decodes them", () => {
  const head = Buffer.from(
    encodeRecords([{ kind: "kv", command: { kind: "set", key: "", value: "" } }]),
  );
  // The batch ends with the key's and the value's empty fixstr: 0xa0, `value`, 0xa0.
  const beforeKey = head.subarray(0, head.length - 8);
  const valueField = head.subarray(head.length - 7, head.length - 1);
  const str = (bytes: Uint8Array) => {
    const length = bytes.length;
    const header = length < 32 ? [0xa0 | length] : [0xd9, length];
    return Buffer.concat([Buffer.from(header), bytes]);
  };
  const byte = fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0x80, max: 0xff }));
  const bytesOf = fc.array(byte, { maxLength: 100 }).map((codes) => Uint8Array.from(codes));
  fc.assert(
    fc.property(bytesOf, bytesOf, (key, value) => {
      const bytes = Buffer.concat([beforeKey, str(key), valueField, str(value)]);
      const read = readPlainSets(bytes, 1);
      assert.notEqual(read, undefined);
      assert.deepEqual(read, generic(bytes));
    }),
    { numRuns: 2000 },
  );
});

test("a batch with any other record, or another count, is left to msgpackr", () => {
  const set: LogRecord = { kind: "kv", command: { kind: "set", key: "k", value: "v" } };
  const others: LogRecord[] = [
    { kind: "noop" },
    { kind: "kv", command: { kind: "set", key: "k", value: "v", keepTtl: true } },
    { kind: "kv", command: { kind: "incr", key: "n", by: 1n } },
  ];
  for (const [index, other] of others.entries()) {
    const records: LogRecord[] = [set, other, set];
    const bytes = encodeRecords(records);
    assert.equal(readPlainSets(bytes, 3), undefined, `other record ${index}`);
    assert.deepEqual(decodeRecords(bytes, 3), { kind: "ok", records });
  }
  const bytes = encodeRecords([set, set]);
  assert.equal(readPlainSets(bytes, 3), undefined);
  assert.deepEqual(decodeRecords(bytes, 3), {
    kind: "invalid",
    reason: "2 records, header says 3",
  });
});
