/**
 * The write journal through many shifts (which compact its array) and pops: it must always hold
 * exactly the entries between the collected and the truncated ends, in order, and find the
 * newest entry below any offset.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { WriteJournal } from "../../../src/core/state/write_journal.js";
import { offset } from "../../../src/core/types.js";

test("shifts and pops hand back exactly the entries at their end, across compactions", () => {
  const journal = new WriteJournal();
  let oldest = 0;
  let next = 0;
  for (let round = 0; round < 400; round++) {
    for (let index = 0; index < 10; index++) {
      journal.push({ offset: offset(next), keys: [`k${next}`], countsAfter: countsOf(next) });
      next += 1;
    }
    const belowOffset = next - 4;
    const shifted = journal.shiftBelow(offset(belowOffset));
    assert.deepEqual(
      shifted.map((entry) => entry.offset),
      range(oldest, belowOffset),
    );
    oldest = belowOffset;
    // Undo the newest two and write them again, as a truncation followed by new records.
    assert.deepEqual(
      journal.popFrom(offset(next - 2)).map((entry) => entry.offset),
      [next - 1, next - 2],
    );
    next -= 2;
    assert.equal(journal.length, next - oldest);
    // The newest entry below each offset held, and none below the oldest.
    assert.equal(journal.lastBelow(offset(oldest)), undefined);
    for (const at of [oldest + 1, next - 1, next, next + 5]) {
      assert.deepEqual(
        journal.lastBelow(offset(at))?.countsAfter,
        countsOf(Math.min(at, next) - 1),
      );
    }
  }
  assert.deepEqual(
    journal.popFrom(offset(0)).map((entry) => entry.keys[0]),
    range(oldest, next)
      .reverse()
      .map((at) => `k${at}`),
  );
  assert.equal(journal.length, 0);
});

const countsOf = (at: number) => ({ keys: at, expires: at % 3 });

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, index) => from + index);
