/**
 * The record limit: the largest write the driver takes still fits a storage frame in its encoded
 * form, even when every value byte takes two bytes (latin1 above 0x7f), and one byte more is
 * refused, so no write can reach the frame assertion that once crashed a node.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type LogRecord, recordBytesBound } from "../../src/core/replica/index.js";
import type { KvCommand } from "../../src/core/state/index.js";
import { oversizedWrite, writeRecordBytes } from "../../src/io/driver/record_limit.js";
import {
  encodeRecords,
  frameBytesMax,
  frameHeaderBytes,
  recordBytesMax,
} from "../../src/io/storage/index.js";

const setOf = (valueBytes: number): KvCommand => ({
  kind: "set",
  key: "big",
  value: "\xff".repeat(valueBytes),
  expireAtMs: 1_700_000_000_000,
});
const recordOf = (command: KvCommand): LogRecord => ({ kind: "kv", command });

test("the largest record taken fits a frame; one value byte more is refused", () => {
  // Each value byte counts two, and the string header of a value this long is five bytes.
  const emptyBytes = recordBytesBound(recordOf(setOf(0))) - 1;
  const largestValueBytes = Math.floor((recordBytesMax - emptyBytes - 5) / 2);
  const largest = setOf(largestValueBytes);
  assert.ok(recordBytesBound(recordOf(largest)) <= recordBytesMax);
  assert.ok(recordBytesBound(recordOf(setOf(largestValueBytes + 1))) > recordBytesMax);
  assert.equal(oversizedWrite(largest), undefined);
  const frameBytes = frameHeaderBytes + encodeRecords([recordOf(largest)]).length;
  assert.ok(frameBytes <= frameBytesMax, `frame of ${frameBytes} bytes > ${frameBytesMax}`);

  assert.deepEqual(oversizedWrite(setOf(largestValueBytes + 1)), {
    kind: "rejected",
    reason: "too_large",
    detail: `value too large: a record holds at most ${recordBytesMax} bytes`,
  });
});

test("a command of many small strings is bounded as a whole", () => {
  // About 36 bytes a pair: 200,000 pairs are some 7 MB, 300,000 some 11 MB.
  const msetOf = (count: number): KvCommand => ({
    kind: "mset",
    pairs: Array.from({ length: count }, (_, index) => [`key${index}`, "v".repeat(20)] as const),
  });
  assert.equal(oversizedWrite(msetOf(200_000)), undefined);
  assert.equal(oversizedWrite(msetOf(300_000))?.reason, "too_large");
});

test("a plain SET's bound, summed without the walk, is the walk's and bounds its bytes", () => {
  // Any UTF-16 text: latin1 from RESP, but other faces may hand the core any string.
  const text = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }));
  fc.assert(
    fc.property(text, text, (key, value) => {
      const command: KvCommand = { kind: "set", key, value };
      const bound = writeRecordBytes(command);
      assert.equal(bound, recordBytesBound(recordOf(command)));
      assert.ok(encodeRecords([recordOf(command)]).length <= bound + 5);
    }),
  );
  // An option left undefined is still a plain SET, whose bytes the codec writes without it.
  const plain: KvCommand = { kind: "set", key: "k", value: "v", condition: undefined };
  assert.equal(writeRecordBytes(plain), writeRecordBytes({ kind: "set", key: "k", value: "v" }));
  assert.ok(encodeRecords([recordOf(plain)]).length <= writeRecordBytes(plain) + 5);
  const timed: KvCommand = { kind: "set", key: "k", value: "v", expireAtMs: 1 };
  assert.equal(writeRecordBytes(timed), recordBytesBound(recordOf(timed)));
  assert.equal(
    oversizedWrite({ kind: "set", key: "k", value: "\xff".repeat(recordBytesMax / 2) })?.reason,
    "too_large",
  );
});
