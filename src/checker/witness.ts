/**
 * A fast path for histories that say where each operation took effect. onelog's operations carry
 * the log offset they reflect, and list reads return every element in log order, so a candidate
 * linearization can be read off the history instead of searched for:
 * - registers: writes at their record's offset, reads at the bound of the state they read; an
 *   indeterminate write that some read observed sits where that read says it was written;
 * - lists: appends in the order of the longest list read, reads right after the append of their
 *   last element.
 * The candidate is then checked like any proof: every required operation is in it, the model
 * accepts it step by step, and it respects real time (no operation is placed before one that
 * completed before it was invoked). A candidate that passes proves linearizability whatever the
 * offsets claimed; one that fails proves nothing, and the exhaustive search decides (Lowe's
 * algorithm), so the verdict never depends on trusting the system under test.
 */
import type { Operation } from "./history.js";
import type { SearchModel, SearchOperation } from "./search.js";
import { type Value, valueKey } from "./values.js";

export interface WitnessCandidate<Step> {
  operation: Operation;
  search: SearchOperation<Step>;
}

/** True when the offsets in the history yield a valid linearization of `candidates`. */
export function offsetWitnessHolds<State, Step>(
  candidates: readonly WitnessCandidate<Step>[],
  model: SearchModel<State, Step>,
): boolean {
  const positions = candidates.some(({ operation }) => operation.f === "list-append")
    ? listPositions(candidates)
    : offsetPositions(candidates);
  if (positions === undefined) return false;
  const order = candidates
    .map((candidate, index) => ({ candidate, index, position: positions[index] }))
    .filter(
      (entry): entry is { candidate: WitnessCandidate<Step>; index: number; position: number } =>
        entry.position !== undefined,
    )
    .sort(
      (a, b) =>
        a.position - b.position || a.candidate.search.callIndex - b.candidate.search.callIndex,
    );
  // Optional writes the history does not place (an indeterminate cas nobody saw the value of)
  // may still have happened; when a step fails, one of them may be what happened just before.
  const unplaced = candidates
    .filter(
      (candidate, index) =>
        positions[index] === undefined &&
        !candidate.search.required &&
        !isRead(candidate.operation),
    )
    .sort((a, b) => a.search.callIndex - b.search.callIndex);
  let state = model.initial;
  let latestCall = Number.NEGATIVE_INFINITY;
  for (const { candidate } of order) {
    if (candidate.search.returnIndex < latestCall) return false;
    let next = model.step(state, candidate.search.step);
    if (next === undefined) {
      const repair = repairWith(unplaced, state, candidate, model);
      if (repair === undefined) return false;
      latestCall = Math.max(latestCall, repair.inserted.search.callIndex);
      if (candidate.search.returnIndex < latestCall) return false;
      unplaced.splice(unplaced.indexOf(repair.inserted), 1);
      next = repair.state;
    }
    latestCall = Math.max(latestCall, candidate.search.callIndex);
    state = next;
  }
  return true;
}

/**
 * An unplaced optional operation, invoked before `blocked` returned, after which `blocked` can
 * step; and the state after both. Greedy: the witness is still verified step by step, so a poor
 * choice can only send the history to the search, never pass a bad one.
 */
function repairWith<State, Step>(
  unplaced: readonly WitnessCandidate<Step>[],
  state: State,
  blocked: WitnessCandidate<Step>,
  model: SearchModel<State, Step>,
): { inserted: WitnessCandidate<Step>; state: State } | undefined {
  for (const optional of unplaced) {
    if (optional.search.callIndex > blocked.search.returnIndex) break;
    const between = model.step(state, optional.search.step);
    if (between === undefined) continue;
    const after = model.step(between, blocked.search.step);
    if (after !== undefined) return { inserted: optional, state: after };
  }
  return undefined;
}

const isRead = (operation: Operation): boolean => operation.f === "read" || operation.f === "get";

/**
 * Registers: a write's record sits just below its exclusive offset, a read at its bound. An
 * optional write goes where the history shows its value was written, or nowhere (it may never
 * have happened): a read names the write it saw (`version`), and a placed cas shows that its
 * expected value was written just before it — which may place another optional write, and so on.
 */
function offsetPositions<Step>(
  candidates: readonly WitnessCandidate<Step>[],
): Array<number | undefined> | undefined {
  const positions: Array<number | undefined> = [];
  /** Where each value's write goes, by value. */
  const writtenAt = new Map<string, number>();
  for (const { operation, search } of candidates) {
    if (search.required) {
      if (operation.offset === undefined) return undefined;
      positions.push(isRead(operation) ? operation.offset : operation.offset - 0.5);
    } else if (isRead(operation)) {
      positions.push(undefined);
    } else if (writtenValue(operation) === undefined) {
      return undefined;
    } else {
      positions.push(undefined);
    }
    if (
      isRead(operation) &&
      operation.status === "ok" &&
      operation.version != null &&
      operation.output != null
    ) {
      writtenAt.set(valueKey(operation.output), operation.version - 0.5);
    }
  }
  // Each round places writes further back along a chain of cas; a chain is at most as long as
  // the partition (a cycle can only come from a contradictory history, which the search judges).
  for (let round = 0, changed = true; changed && round < candidates.length; round++) {
    changed = false;
    candidates.forEach(({ operation }, index) => {
      const position = positions[index];
      if (position === undefined || operation.f !== "cas" || operation.status === "fail") return;
      const expected = Array.isArray(operation.input) ? operation.input[0] : undefined;
      if (expected == null) return;
      const justBefore = position - 0.25;
      if (justBefore < (writtenAt.get(valueKey(expected)) ?? Number.POSITIVE_INFINITY)) {
        writtenAt.set(valueKey(expected), justBefore);
      }
    });
    candidates.forEach(({ operation, search }, index) => {
      if (search.required || isRead(operation)) return;
      const at = writtenAt.get(valueKey(writtenValue(operation) as Value));
      if (at !== undefined && at !== positions[index]) {
        positions[index] = at;
        changed = true;
      }
    });
  }
  return positions;
}

/** The value a write or cas leaves behind; undefined for operations whose effect is not a value. */
function writtenValue(operation: Operation): Value | undefined {
  if (operation.f === "write" || operation.f === "put") return operation.input;
  if (operation.f === "cas" && Array.isArray(operation.input)) return operation.input[1];
  return undefined;
}

/** Lists: the longest read orders every observed append; reads follow their last element. */
function listPositions<Step>(
  candidates: readonly WitnessCandidate<Step>[],
): Array<number | undefined> | undefined {
  let longest: readonly Value[] = [];
  for (const { operation } of candidates) {
    if (
      isRead(operation) &&
      operation.status === "ok" &&
      Array.isArray(operation.output) &&
      operation.output.length > longest.length
    ) {
      longest = operation.output;
    }
  }
  const indexOf = new Map(longest.map((element, index) => [valueKey(element), index]));
  let unobserved = longest.length;
  const positions: Array<number | undefined> = [];
  for (const { operation, search } of candidates) {
    if (isRead(operation)) {
      if (!search.required) positions.push(undefined);
      else positions.push(Array.isArray(operation.output) ? operation.output.length - 0.5 : -0.5);
    } else if (operation.f === "list-append") {
      const index = indexOf.get(valueKey(operation.input));
      // An acknowledged append no read saw goes last; the real-time check decides if it may.
      positions.push(index ?? (search.required ? unobserved++ : undefined));
    } else {
      return undefined;
    }
  }
  return positions;
}
