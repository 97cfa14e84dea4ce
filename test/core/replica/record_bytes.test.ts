/**
 * The size bound of records: never below what the record codec writes, for any command and any
 * JavaScript string (latin1 bytes from RESP, any unicode from OL.* or the client, lone
 * surrogates), and exact for strings, so a limit checked against it wastes nothing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type LogRecord,
  recordBytesBound,
  recordsBytesBound,
} from "../../../src/core/replica/index.js";
import type { KvCommand } from "../../../src/core/state/index.js";
import { encodeRecords } from "../../../src/io/storage/index.js";
import { commandArbitrary } from "../state/kv_arbitraries.js";

/** Any UTF-16 code units, so lone surrogates and pairs both come up. */
const anyString = fc.string({ unit: "binary", maxLength: 300 });
const latin1String = fc.string({
  unit: fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code)),
  maxLength: 300,
});
const text = fc.oneof(anyString, latin1String, fc.string({ unit: "grapheme", maxLength: 300 }));

/** Commands whose strings are arbitrary, of every shape that carries strings. */
const unicodeCommand: fc.Arbitrary<KvCommand> = fc.oneof(
  fc.record({ key: text, value: text }).map((fields): KvCommand => ({ kind: "set", ...fields })),
  fc
    .array(fc.tuple(text, text), { minLength: 1, maxLength: 4 })
    .map((pairs): KvCommand => ({ kind: "mset", pairs })),
  fc
    .record({ key: text, elements: fc.array(text, { minLength: 1, maxLength: 4 }) })
    .map((fields): KvCommand => ({ kind: "push", side: "left", ...fields })),
  fc
    .record({ key: text, by: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) })
    .map((fields): KvCommand => ({ kind: "incr", ...fields })),
);

const records = fc.array(
  fc.oneof(
    fc.constant<LogRecord>({ kind: "noop" }),
    fc
      .oneof(commandArbitrary, unicodeCommand)
      .map((command): LogRecord => ({ kind: "kv", command })),
  ),
  { minLength: 1, maxLength: 20 },
);

test("the bound is never below the encoded size of the records", () => {
  fc.assert(
    fc.property(records, (batch) => {
      const encodedBytes = encodeRecords(batch).length;
      const bound = recordsBytesBound(batch);
      assert.ok(bound >= encodedBytes, `bound ${bound} < encoded ${encodedBytes}`);
    }),
    { numRuns: 500 },
  );
});

test("strings are counted exactly: a set record's bound exceeds its encoding only by map headers", () => {
  fc.assert(
    fc.property(text, text, (key, value) => {
      const record: LogRecord = { kind: "kv", command: { kind: "set", key, value } };
      // The two maps are counted with 5-byte headers and written with 1-byte ones.
      const slackBytes = 2 * 4;
      const encodedBytes = encodeRecords([record]).length - 1; // less the array header
      assert.equal(recordBytesBound(record), encodedBytes + slackBytes);
    }),
  );
});

test("a latin1 byte above 0x7f counts two bytes, a surrogate pair four, a lone surrogate three", () => {
  const setOf = (value: string): LogRecord => ({
    kind: "kv",
    command: { kind: "set", key: "k", value },
  });
  const empty = recordBytesBound(setOf(""));
  assert.equal(recordBytesBound(setOf("a")) - empty, 1);
  assert.equal(recordBytesBound(setOf("\xff")) - empty, 2);
  assert.equal(recordBytesBound(setOf("\u{1f600}")) - empty, 4);
  assert.equal(recordBytesBound(setOf("\ud800")) - empty, 3);
  assert.equal(recordBytesBound(setOf("\u20ac")) - empty, 3);
});

test("a large value is counted with its 5-byte header", () => {
  const value = "v".repeat(200_000);
  const record: LogRecord = { kind: "kv", command: { kind: "set", key: "k", value } };
  assert.equal(recordBytesBound(record), encodeRecords([record]).length - 1 + 2 * 4);
});
