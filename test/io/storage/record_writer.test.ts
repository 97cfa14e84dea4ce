/**
 * The record writer's own walk: whatever a record holds, its bytes read back (by msgpackr, with
 * the codec's options) exactly as msgpackr's own bytes for it do, with numbers at every width,
 * bigints at the 64-bit edges, fields left undefined, and values only msgpackr can write (a
 * Buffer, a Map, undefined in an array, a bigint beyond 64 bits), which go to msgpackr whole.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Packr } from "msgpackr";
import type { LogRecord } from "../../../src/core/replica/index.js";
import { RecordWriter } from "../../../src/io/storage/record_writer.js";

const packr = new Packr({
  useRecords: false,
  mapsAsObjects: true,
  int64AsType: "bigint",
  skipValues: [undefined],
} as ConstructorParameters<typeof Packr>[0]);
const writer = new RecordWriter(packr);

const readBack = (bytes: Uint8Array): unknown => packr.unpack(bytes);

const edges = [0, -0, 1, 31, 32, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32];
const numbers = fc.oneof(
  fc.constantFrom(...edges, ...edges.map((edge) => -edge), -33, -129, -32_769, -(2 ** 31) - 1),
  fc.integer(),
  fc.double(),
);
const bigints = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n),
);
const { object } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    fc.string({ unit: "binary" }),
    numbers,
    bigints,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 20 }),
    tie("object"),
  ),
  object: fc.dictionary(fc.string(), fc.option(tie("value"), { nil: undefined }), {
    maxKeys: 20,
  }),
}));

test("the walk's bytes read back as msgpackr's do", () => {
  // A record is an object; what it holds is anything.
  fc.assert(
    fc.property(fc.array(object, { maxLength: 20 }), (values) => {
      const records = values as unknown as LogRecord[];
      assert.deepEqual(readBack(writer.write(records)), readBack(packr.pack(records)));
    }),
  );
});

test("what only msgpackr writes goes to msgpackr, the other records still walked", () => {
  const records = [
    { kind: "kv", command: { kind: "incr", key: "n", by: 5n } },
    { kind: "kv", command: { kind: "odd", bytes: Buffer.from("ab") } },
    { kind: "kv", command: { kind: "odd", map: new Map([["a", 1]]) } },
    { kind: "kv", command: { kind: "odd", list: ["a", undefined] } },
    { kind: "kv", command: { kind: "odd", huge: 2n ** 70n } },
  ] as unknown as LogRecord[];
  const expected = records.map((record) => {
    try {
      return readBack(packr.pack(record));
    } catch (thrown) {
      return (thrown as Error).message;
    }
  });
  const each = records.map((record) => {
    try {
      return readBack(writer.write([record]));
    } catch (thrown) {
      return (thrown as Error).message;
    }
  });
  assert.deepEqual(
    each.map((decoded) => (Array.isArray(decoded) ? decoded[0] : decoded)),
    expected,
  );
});
