/**
 * Optional (info) operations are tried only just before an operation that notices them
 * (search.ts), which is what decides histories with many info writes. Agreement with brute
 * force is in brute_force.test.ts; these pin the cases each kind of noticing covers.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type AnyModel, checkLinearizable, type History, models } from "../../src/checker/index.js";
import { history, paired, type EventTuple as Step } from "./build.js";
import { generateHistory, withImpossibleRead } from "./generate.js";

const casRegister = models.get("cas-register") as AnyModel;

test("an info write nobody reads still explains a failed cas", () => {
  // write 0; an info write of 7; then a cas from 0 fails: only the info write explains it.
  const steps: Step[] = [
    [0, "invoke", "write", 0],
    [0, "ok", "write", 0],
    [1, "invoke", "write", 7],
    [1, "info", "write", 7],
    [0, "invoke", "cas", [0, 1]],
    [0, "fail", "cas", [0, 1]],
  ];
  assert.equal(checkLinearizable(history(steps), casRegister).verdict, "ok");
  // Without the info write the same failed cas is a violation.
  const alone = steps.filter(([process]) => process === 0);
  assert.equal(checkLinearizable(history(alone), casRegister).verdict, "violation");
});

test("an info write is noticed by an info cas that it turns from a no-op into a change", () => {
  // The info write of 7 enables the info cas 7 -> 8, which the read of 8 needs; the cas is
  // possible (as a no-op) without the write too.
  const steps: Step[] = [
    [0, "invoke", "write", 0],
    [0, "ok", "write", 0],
    [1, "invoke", "write", 7],
    [1, "info", "write", 7],
    [2, "invoke", "cas", [7, 8]],
    [2, "info", "cas", [7, 8]],
    [0, "invoke", "read", null],
    [0, "ok", "read", 8],
  ];
  assert.equal(checkLinearizable(history(steps), casRegister).verdict, "ok");
});

/**
 * `infoWrites` info writes of values nobody reads, open from the start, then a process that
 * writes and reads back each of `rounds` values and at last reads a value it overwrote: not
 * linearizable, and the search must rule out every placement of the info writes to say so.
 */
function staleReadAmongInfoWrites(infoWrites: number, rounds: number): History {
  const steps: Step[] = [];
  for (let index = 0; index < infoWrites; index++) {
    steps.push([index + 1, "invoke", "write", 1000 + index]);
    steps.push([index + 1, "info", "write", 1000 + index]);
  }
  for (let round = 0; round < rounds; round++) {
    steps.push([0, "invoke", "write", round], [0, "ok", "write", round]);
    steps.push([0, "invoke", "read", null], [0, "ok", "read", round]);
  }
  steps.push([0, "invoke", "read", null], [0, "ok", "read", 0]);
  return history(steps);
}

test("an info write is noticed by a read of its value", () => {
  const steps: Step[] = [
    [1, "invoke", "write", 7],
    [0, "invoke", "write", 0],
    [0, "ok", "write", 0],
    [1, "info", "write", 7],
    [0, "invoke", "read", null],
    [0, "ok", "read", 7],
  ];
  assert.equal(checkLinearizable(history(steps), casRegister).verdict, "ok");
});

test("many info writes nobody reads: the violation is found within a small memo", () => {
  // Tried everywhere, 24 info writes make every subset of them a configuration at each place:
  // far more than 200,000 (the search then ends "unknown", memory limit).
  const input = staleReadAmongInfoWrites(24, 20);
  const limits = { cacheEntriesMax: 200_000, memoryFull: () => false };
  assert.equal(checkLinearizable(input, casRegister, limits).verdict, "violation");
});

test("info incrs, which notice each other in any order, are memoised as a run", () => {
  // Ten info incrs reach one state in any order; a read no subset of them explains must be
  // refuted by trying subsets, not orders (10! of them). The clock is the search's step count.
  const steps: Step[] = [];
  for (let index = 0; index < 10; index++) {
    steps.push([index + 1, "invoke", "incr", 1], [index + 1, "info", "incr", 1]);
  }
  steps.push([0, "invoke", "read", null], [0, "ok", "read", "100"]);
  let clock = 0;
  const stepsAsClock = { now: () => clock++, timeLimitMs: 1000, memoryFull: () => false };
  const result = checkLinearizable(history(steps), "onelog", stepsAsClock);
  assert.equal(result.verdict, "violation");
});

test("a read nobody's write explains is refuted among info writes, cas that fail either way and info reads", () => {
  // The clock counts search steps (read every 1,024): refuted after 174 reads; without moving
  // an info write past what does not notice it, still undecided after 1,000.
  const events = generateHistory({
    seed: 12,
    processCount: 5,
    operationCount: 100,
    keyCount: 0,
    infoRatio: 0.15,
    workload: "cas-register",
  });
  let clock = 0;
  const stepsAsClock = { now: () => clock++, timeLimitMs: 400, memoryFull: () => false };
  const input = paired(withImpossibleRead(events));
  assert.equal(checkLinearizable(input, casRegister, stepsAsClock).verdict, "violation");
});
