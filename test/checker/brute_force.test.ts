/**
 * The search against a brute-force checker on random small histories (up to 8 operations over
 * 3 processes, with info, fail and pending operations): the brute force tries every subset of
 * the operations with unknown outcome and every order of the chosen operations that respects
 * real time, stepping its own cas register. Both must always agree, under both conventions.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type Convention,
  checkLinearizable,
  type History,
  type HistoryEvent,
  type Operation,
  pairEvents,
  type Value,
} from "../../src/checker/index.js";

interface Planned {
  f: "read" | "write" | "cas";
  input: Value;
  ending: "ok" | "fail" | "info" | "pending";
  readValue: number | null;
}

const small = fc.constantFrom(0, 1, 2);
const plannedWith = (ending: fc.Arbitrary<Planned["ending"]>): fc.Arbitrary<Planned> =>
  fc
    .record({
      f: fc.constantFrom("read", "write", "cas"),
      input: small,
      expected: fc.constantFrom(null, 0, 1, 2),
      ending,
      readValue: fc.constantFrom(null, 0, 1, 2),
    })
    .map(({ f, input, expected, ending, readValue }) => ({
      f: f as Planned["f"],
      input: f === "cas" ? [expected, input] : f === "read" ? null : input,
      // Reads neither fail nor stay pending in this generator: neither would constrain anything.
      ending: f === "read" && (ending === "fail" || ending === "pending") ? "ok" : ending,
      readValue,
    }));
const planned = plannedWith(fc.constantFrom("ok", "ok", "ok", "fail", "info", "pending"));
/** Mostly unknown outcomes, as on lossy links: where info writes only a failed cas sees matter. */
const plannedLossy = plannedWith(fc.constantFrom("ok", "fail", "fail", "info", "info", "info"));

/** Assigns operations to processes round-robin and interleaves their events by `schedule`. */
function buildHistory(operations: readonly Planned[], schedule: readonly number[]): History {
  const processCount = 3;
  const queues: Planned[][] = [[], [], []];
  for (const [index, operation] of operations.entries())
    queues[index % processCount]!.push(operation);
  const open: Array<Planned | undefined> = [undefined, undefined, undefined];
  const events: HistoryEvent[] = [];
  const emit = (process: number, type: HistoryEvent["type"], operation: Planned, value: Value) =>
    events.push({ process, type, f: operation.f, value, line: events.length + 1 });
  const step = (process: number): boolean => {
    const current = open[process];
    if (current !== undefined) {
      open[process] = undefined;
      if (current.ending === "pending") {
        queues[process] = [];
        return true;
      }
      emit(
        process,
        current.ending,
        current,
        current.f === "read" && current.ending === "ok" ? current.readValue : current.input,
      );
      return true;
    }
    const next = queues[process]!.shift();
    if (next === undefined) return false;
    open[process] = next;
    emit(process, "invoke", next, next.input);
    return true;
  };
  for (const process of schedule) step(process);
  for (let process = 0; process < processCount; process++) while (step(process)) {}
  const paired = pairEvents(events);
  assert.equal(paired.kind, "ok");
  return (paired as { kind: "ok"; value: History }).value;
}

/** The brute-force oracle with its own cas-register semantics. */
function bruteForce(history: History, convention: Convention): boolean {
  const required: Operation[] = [];
  const optional: Operation[] = [];
  for (const operation of history.operations) {
    if (operation.status === "info") optional.push(operation);
    else if (operation.status === "ok") required.push(operation);
    else if (convention === "porcupine" && operation.f === "cas") required.push(operation);
  }
  for (let mask = 0; mask < 1 << optional.length; mask++) {
    const chosen = [...required, ...optional.filter((_, index) => (mask & (1 << index)) !== 0)];
    if (orderExists(chosen, [], null, convention)) return true;
  }
  return false;
}

function orderExists(
  remaining: Operation[],
  placed: Operation[],
  state: Value,
  convention: Convention,
): boolean {
  if (remaining.length === 0) return true;
  for (const candidate of remaining) {
    // Real time: nothing still unplaced may have returned before this one was invoked.
    if (remaining.some((other) => other !== candidate && other.returnIndex < candidate.callIndex))
      continue;
    const next = apply(candidate, state, convention);
    if (next === undefined) continue;
    if (
      orderExists(
        remaining.filter((other) => other !== candidate),
        [...placed, candidate],
        next.state,
        convention,
      )
    )
      return true;
  }
  return false;
}

function apply(
  operation: Operation,
  state: Value,
  convention: Convention,
): { state: Value } | undefined {
  const known = operation.status === "ok";
  if (operation.f === "write") return { state: operation.input };
  if (operation.f === "read") {
    if (!known || (convention === "knossos" && operation.output === null)) return { state };
    return operation.output === state ? { state } : undefined;
  }
  const [expected, value] = operation.input as [Value, Value];
  const matches = expected === state;
  if (operation.status === "fail") return matches ? undefined : { state };
  if (known) return matches ? { state: value } : undefined;
  return { state: matches ? value : state };
}

function agreesWithBruteForce(operation: fc.Arbitrary<Planned>, lengthMax: number): void {
  const verdicts = { ok: 0, violation: 0 };
  fc.assert(
    fc.property(
      fc.array(operation, { minLength: 1, maxLength: lengthMax }),
      fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 20 }),
      fc.constantFrom<Convention>("porcupine", "knossos"),
      (operations, schedule, convention) => {
        const history = buildHistory(operations, schedule);
        const expected = bruteForce(history, convention);
        const actual = checkLinearizable(history, "cas-register", { convention }).verdict;
        verdicts[expected ? "ok" : "violation"]++;
        assert.equal(actual, expected ? "ok" : "violation");
      },
    ),
    { numRuns: 1500 },
  );
  // Both verdicts must be common, or the comparison says little.
  assert.ok(verdicts.ok > 150 && verdicts.violation > 150, JSON.stringify(verdicts));
}

test("the search agrees with brute force on random small histories", () => {
  agreesWithBruteForce(planned, 8);
});

test("the search agrees with brute force when most outcomes are unknown", () => {
  agreesWithBruteForce(plannedLossy, 8);
});
