/**
 * The record limit: the largest write the driver takes still fits a storage frame in its encoded
 * form, even when every value byte takes two bytes (latin1 above 0x7f), and one byte more is
 * refused, so no write can reach the frame assertion that once crashed a node.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type LogRecord, recordBytesBound } from "../../src/core/replica/index.js";
import type { KvCommand } from "../../src/core/state/index.js";
import { oversizedWrite } from "../../src/io/driver/record_limit.js";
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
