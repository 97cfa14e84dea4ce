/**
 * DiskStorage against MemoryStorage, the simulator's storage: random runs of appends (of every
 * record kind), truncations at any offset, syncs, hard-state saves and reopens, with segments so
 * small that most runs roll and cut across files, must always load the same log and hard state.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Batch, HardState, LogRecord } from "../../../src/core/replica/index.js";
import { epoch, nodeId, offset } from "../../../src/core/types.js";
import type { DiskStorage } from "../../../src/io/storage/index.js";
import { MemoryStorage } from "../../../src/storage/memory_storage.js";
import { everyRecordKind, openOk, withDirectory } from "./support.js";

type Operation =
  | { kind: "append"; batches: Array<{ records: LogRecord[]; epoch: number; timestampMs: number }> }
  | { kind: "truncate"; at: "batch_start" | "any_offset"; pick: number }
  | { kind: "sync" }
  | { kind: "hardState"; hardState: HardState }
  | { kind: "reopen" };

const recordArbitrary = fc.constantFrom(...everyRecordKind);
const batchArbitrary = fc.record({
  records: fc.array(recordArbitrary, { minLength: 1, maxLength: 6 }),
  epoch: fc.integer({ min: 0, max: 5 }),
  timestampMs: fc.integer({ min: 0, max: 2 ** 40 }),
});
const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("append" as const),
      batches: fc.array(batchArbitrary, { minLength: 1, maxLength: 4 }),
    }),
    weight: 4,
  },
  // At a batch's start (a cut between frames) or at any offset up to one past the end.
  {
    arbitrary: fc.record({
      kind: fc.constant("truncate" as const),
      at: fc.constantFrom("batch_start" as const, "any_offset" as const),
      pick: fc.nat(),
    }),
    weight: 3,
  },
  { arbitrary: fc.constant({ kind: "sync" as const }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("hardState" as const),
      hardState: fc
        .record({
          epoch: fc.integer({ min: 0, max: 1000 }).map(epoch),
          vote: fc.option(fc.integer({ min: 0, max: 9 }).map(nodeId), { nil: null }),
        })
        .map((hardState) => ({ ...hardState })),
    }),
    weight: 1,
  },
  { arbitrary: fc.constant({ kind: "reopen" as const }), weight: 2 },
);

const describe = (operation: Operation): string =>
  JSON.stringify(operation, (_, value) => (typeof value === "bigint" ? `${value}n` : value));

const endOf = (batches: readonly Batch[]): number | undefined => {
  const last = batches.at(-1);
  return last === undefined ? undefined : last.baseOffset + last.records.length;
};

function truncationPoint(
  batches: readonly Batch[],
  at: "batch_start" | "any_offset",
  pick: number,
) {
  const end = endOf(batches) ?? 0;
  if (at === "any_offset" || batches.length === 0) return pick % (end + 2);
  return (batches[pick % batches.length] as Batch).baseOffset;
}

test("DiskStorage loads what MemoryStorage loads after any run", () => {
  fc.assert(
    fc.property(
      fc.array(operationArbitrary, { maxLength: 25 }),
      fc.integer({ min: 60, max: 600 }),
      fc.constantFrom(0, 7),
      (operations, segmentBytesMax, firstOffset) => {
        withDirectory((directory) => {
          const options = { segmentBytesMax, fsync: { kind: "group" as const } };
          const model = new MemoryStorage<Batch, HardState>();
          let disk: DiskStorage = openOk(directory, options);
          try {
            for (const operation of operations) {
              const before = model.load().batches;
              switch (operation.kind) {
                case "append": {
                  let at = endOf(before) ?? firstOffset;
                  const batches = operation.batches.map((batch): Batch => {
                    const full = {
                      baseOffset: offset(at),
                      epoch: epoch(batch.epoch),
                      timestampMs: batch.timestampMs,
                      records: batch.records,
                    };
                    at += batch.records.length;
                    return full;
                  });
                  model.append(batches);
                  disk.append(batches);
                  break;
                }
                case "truncate": {
                  const from = offset(truncationPoint(before, operation.at, operation.pick));
                  model.truncate(from);
                  disk.truncate(from);
                  break;
                }
                case "sync":
                  model.sync();
                  disk.sync();
                  break;
                case "hardState":
                  model.saveHardState(operation.hardState);
                  disk.saveHardState(operation.hardState);
                  break;
                case "reopen":
                  disk.close();
                  disk = openOk(directory, options);
                  break;
              }
              assert.deepEqual(disk.load(), model.load(), `after ${describe(operation)}`);
            }
          } finally {
            disk.close();
          }
        });
      },
    ),
    { numRuns: 200 },
  );
});
