/**
 * ReplicaLog.read's byte budget: a read always returns at least one batch, so a follower always
 * progresses, and otherwise stops before the batch that would pass the budget. Checked against a
 * naive reference that recomputes every batch's size, after random appends (some with their
 * size given, as a leader's are), truncations and compactions, so the log's cached sizes must
 * stay right through all of them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type Batch,
  batchEnd,
  type LogRecord,
  ReplicaLog,
  recordBytesBound,
  recordsBytesBound,
} from "../../../src/core/replica/index.js";
import { epoch, type Offset, offset } from "../../../src/core/types.js";

const recordOf = (valueBytes: number): LogRecord => ({
  kind: "kv",
  command: { kind: "set", key: "k", value: "v".repeat(valueBytes) },
});

/** Batches of 1–4 records with values of 0–3000 bytes, appended one after another. */
const batchSizes = fc.array(fc.array(fc.nat(3000), { minLength: 1, maxLength: 4 }), {
  minLength: 1,
  maxLength: 12,
});

/** Every other batch is appended with its records' bounds summed, as a leader's writes are. */
function logOf(sizes: readonly (readonly number[])[]): ReplicaLog {
  const log = new ReplicaLog();
  for (const [index, values] of sizes.entries()) {
    const records = values.map(recordOf);
    const recordBytes =
      index % 2 === 0
        ? undefined
        : records.reduce((sum, record) => sum + recordBytesBound(record), 0);
    log.append({ baseOffset: log.leo, epoch: epoch(1), timestampMs: 0, records }, recordBytes);
  }
  return log;
}

/** What `read` must answer, from the whole batches now in the log. */
function referenceRead(log: ReplicaLog, from: Offset, recordsMax: number, bytesMax: number) {
  const stored = log.read(log.startOffset, Number.POSITIVE_INFINITY);
  const out: Batch[] = [];
  let records = 0;
  let bytes = 0;
  for (const batch of stored) {
    if (batchEnd(batch) <= from || records >= recordsMax) continue;
    bytes += recordsBytesBound(batch.records);
    if (out.length > 0 && bytes > bytesMax) break;
    const skip = Math.max(0, from - batch.baseOffset);
    const taken = batch.records.slice(skip, skip + recordsMax - records);
    out.push({ ...batch, baseOffset: offset(batch.baseOffset + skip), records: taken });
    records += taken.length;
  }
  return out;
}

const startAndEnd = (batches: readonly Batch[]) =>
  batches.map((batch) => [batch.baseOffset, batchEnd(batch)]);

test("a byte budget below one batch still returns exactly one batch", () => {
  const log = logOf([[5000], [5000], [5000]]);
  assert.deepEqual(startAndEnd(log.read(offset(0), 100, 1)), [[0, 1]]);
  assert.deepEqual(startAndEnd(log.read(offset(2), 100, 0)), [[2, 3]]);
});

test("the read stops before the batch that would pass the budget", () => {
  const log = logOf([[1000], [1000], [1000], [1000]]);
  const batchBytes = recordsBytesBound([recordOf(1000)]);
  assert.deepEqual(startAndEnd(log.read(offset(0), 100, 2 * batchBytes)), [
    [0, 1],
    [1, 2],
  ]);
  assert.deepEqual(startAndEnd(log.read(offset(0), 100, 3 * batchBytes - 1)), [
    [0, 1],
    [1, 2],
  ]);
  assert.equal(log.read(offset(0), 100, Number.POSITIVE_INFINITY).length, 4);
});

test("reads agree with the reference after appends, truncations and compactions", () => {
  fc.assert(
    fc.property(
      batchSizes,
      fc.nat(),
      fc.nat(),
      fc.nat(),
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 1, max: 20_000 }),
      (sizes, truncateSeed, compactSeed, fromSeed, recordsMax, bytesMax) => {
        const log = logOf(sizes);
        log.truncate(offset(1 + (truncateSeed % log.leo)));
        log.compact(offset(compactSeed % (log.leo + 1)));
        log.append({
          baseOffset: log.leo,
          epoch: epoch(2),
          timestampMs: 0,
          records: [recordOf(7)],
        });
        const span = log.leo - log.startOffset;
        const from = offset(log.startOffset + (fromSeed % span));
        const read = log.read(from, recordsMax, bytesMax);
        assert.deepEqual(read, referenceRead(log, from, recordsMax, bytesMax));
        assert.ok(read.length > 0, "a read below leo returns something");
        assert.equal(read[0]?.baseOffset, from);
      },
    ),
    { numRuns: 300 },
  );
});
