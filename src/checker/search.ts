/**
 * The Wing–Gong linearizability search with Lowe's memoisation ("Testing for linearizability",
 * Concurrency and Computation 2017, §3–4), as Porcupine implements it (checker.go:
 * checkSingle). Calls and returns sit in one doubly linked list in history order. The search
 * walks it: at a call it tries to linearize that operation next (step the model, "lift" the
 * call and its return out of the list); at a return it has met an operation that had to be
 * linearized by then, so it backtracks. A configuration (set of linearized operations, model
 * state) that was seen before is never explored twice, which turns the exponential search into
 * one that is fast on real histories.
 *
 * Operations whose outcome is unknown (`info`, pending) are optional: their return sits at the
 * end of time, so they may take effect anywhere after their call, and the search succeeds once
 * every required operation is linearized, so they may also never take effect (Jepsen's meaning
 * of info; Knossos and Porcupine give timeouts an infinite return time for the same reason).
 *
 * With `onlyWhereNoticed`, an optional operation is tried only where the operation linearized
 * right after it notices it (`noticesOptional`). Any linearization can be rewritten into one
 * where each optional operation is followed by such a noticing one, or left out, so the search
 * loses nothing, and it no longer tries each of dozens of info writes at every place after its
 * call. A configuration reached by an optional operation is memoised apart from the same set and
 * state reached otherwise, since fewer continuations are tried from it, and only in a run of
 * optional operations (info incrs in any order notice each other and reach one configuration).
 */
import { assert } from "../util/assert.js";

export interface SearchOperation<Step> {
  step: Step;
  callIndex: number;
  /** `Infinity` for optional operations. */
  returnIndex: number;
  required: boolean;
}

export interface SearchModel<State, Step> {
  initial: State;
  step(state: State, step: Step): State | undefined;
  stateKey(state: State): string;
}

/**
 * The order candidates are tried in, which changes only the time to a verdict:
 * - history: list order, as Porcupine and Lowe do; fast when info operations took effect;
 * - required-first: an optional operation is tried only after every required candidate at that
 *   point failed; fast when many info operations never took effect (their absence is tried
 *   first). Both phases are explored, so the search stays exhaustive.
 */
export type CandidateOrder = "history" | "required-first";

/**
 * How the search walks: the candidate order, and whether an optional operation is tried only
 * where the next one notices it (`noticesOptional`). That prunes most of the search a refutation
 * must exhaust, but retries every pending info operation at every step, so a linearizable
 * history whose info operations took effect is found sooner without it.
 */
export interface SearchStrategy {
  order: CandidateOrder;
  onlyWhereNoticed: boolean;
}

export interface SearchLimits {
  /** Clock reading (ms) past which the search gives up with `unknown`. */
  deadlineMs: number;
  now: () => number;
  /** Memoised configurations past which the search gives up with `unknown` (memory bound). */
  cacheEntriesMax: number;
  /**
   * Whether memory is running out, asked as often as the clock: the search gives up with
   * `unknown` rather than let the process die of it, whatever one configuration costs.
   */
  memoryFull: () => boolean;
  /** Told the memoised configurations so far, as often as the clock is read (progress). */
  progress?: (configurations: number) => void;
  /** Search steps past which it stops with `budget`, so another order can have a turn. */
  iterationsMax: number;
}

export type SearchResult<State> =
  | { kind: "ok"; order: number[] }
  | {
      kind: "violation";
      /** The longest sequence of operations (indexes) the search could linearize. */
      longestPrefix: number[];
      stateAfterPrefix: State;
      /** The operation whose return was reached and that could not be linearized after it. */
      blocked: number;
    }
  | { kind: "unknown"; reason: "time limit" | "memory limit" }
  | { kind: "budget" };

const clockCheckInterval = 1024;

/** Zobrist hashing: the set's hash is the xor of its members' codes, updated in O(1). */
function memberCode(index: number): number {
  let x = Math.imul(index + 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export function searchLinearization<State, Step>(
  operations: readonly SearchOperation<Step>[],
  model: SearchModel<State, Step>,
  limits: SearchLimits,
  strategy: SearchStrategy,
): SearchResult<State> {
  const count = operations.length;
  // Node 0 is the head; node 1 + 2i is operation i's call, 2 + 2i its return.
  const nodeCount = 2 * count + 1;
  const next = new Int32Array(nodeCount + 1);
  const previous = new Int32Array(nodeCount + 1);
  const end = nodeCount;
  const order = Array.from({ length: 2 * count }, (_, position) => position + 1);
  const time = (node: number): number => {
    const operation = operations[(node - 1) >> 1]!;
    return node % 2 === 1 ? operation.callIndex : operation.returnIndex;
  };
  // Returns at infinity are ordered by call, so optional operations leave in invocation order.
  order.sort((a, b) => {
    const difference = time(a) - time(b);
    return Number.isNaN(difference) || difference === 0 ? a - b : difference;
  });
  let last = 0;
  for (const node of order) {
    next[last] = node;
    previous[node] = last;
    last = node;
  }
  next[last] = end;
  previous[end] = last;

  const lift = (call: number): void => {
    next[previous[call]!] = next[call]!;
    previous[next[call]!] = previous[call]!;
    const ret = call + 1;
    next[previous[ret]!] = next[ret]!;
    previous[next[ret]!] = previous[ret]!;
  };
  const unlift = (call: number): void => {
    const ret = call + 1;
    next[previous[ret]!] = ret;
    previous[next[ret]!] = ret;
    next[previous[call]!] = call;
    previous[next[call]!] = call;
  };

  const words = new Uint32Array((count + 31) >>> 5);
  let hash = 0;
  const codes = Uint32Array.from({ length: count }, (_, index) => memberCode(index));
  // The state before the last linearized operation when that one was optional.
  let beforeOptional: State | undefined;
  const stackBeforeOptional: Array<State | undefined> = [];
  const cache = new Map<string, Uint32Array[]>();
  let cacheEntries = 0;
  const remember = (stateKey: string): boolean => {
    const key =
      beforeOptional === undefined
        ? `${hash}|${stateKey}`
        : `${hash}|${stateKey}|${model.stateKey(beforeOptional)}`;
    const bucket = cache.get(key);
    if (bucket === undefined) {
      cache.set(key, [words.slice()]);
    } else {
      if (bucket.some((seen) => seen.every((word, index) => word === words[index]))) return false;
      bucket.push(words.slice());
    }
    cacheEntries++;
    return true;
  };
  const toggle = (index: number): void => {
    words[index >>> 5]! ^= 1 << (index & 31);
    hash = (hash ^ codes[index]!) >>> 0;
  };

  let requiredRemaining = operations.filter((operation) => operation.required).length;
  const stackCalls: number[] = [];
  const stackStates: State[] = [];
  let state = model.initial;
  let best: { prefix: number[]; state: State; blocked: number } | undefined;
  // In the required-first order, the optional phase tries what the required phase skipped.
  const phased = strategy.order === "required-first";
  let optionalPhase = false;
  const stackPhases: boolean[] = [];
  let node = next[0]!;
  let iterations = 0;
  while (requiredRemaining > 0) {
    if (++iterations % clockCheckInterval === 0) {
      if (limits.now() > limits.deadlineMs) return { kind: "unknown", reason: "time limit" };
      if (limits.memoryFull()) return { kind: "unknown", reason: "memory limit" };
      limits.progress?.(cacheEntries);
    }
    if (cacheEntries > limits.cacheEntriesMax) return { kind: "unknown", reason: "memory limit" };
    if (iterations > limits.iterationsMax) return { kind: "budget" };
    assert(node !== end, "a required return always precedes the end of the list");
    const index = (node - 1) >> 1;
    const operation = operations[index]!;
    if (node % 2 === 1) {
      if (phased && operation.required === optionalPhase) {
        node = next[node]!;
        continue;
      }
      const nextState = model.step(state, operation.step);
      if (
        nextState !== undefined &&
        (beforeOptional === undefined ||
          noticesOptional(model, beforeOptional, state, operation.step, nextState))
      ) {
        toggle(index);
        const previousBeforeOptional = beforeOptional;
        beforeOptional = operation.required || !strategy.onlyWhereNoticed ? undefined : state;
        // An optional operation tried from a configuration reached otherwise has one way in,
        // from that one, which is explored once (memoised): it needs no memo of its own.
        const memoised = operation.required || previousBeforeOptional !== undefined;
        if (!memoised || remember(model.stateKey(nextState))) {
          stackCalls.push(node);
          stackStates.push(state);
          stackPhases.push(optionalPhase);
          stackBeforeOptional.push(previousBeforeOptional);
          optionalPhase = false;
          state = nextState;
          lift(node);
          if (operation.required) requiredRemaining--;
          node = next[0]!;
          continue;
        }
        beforeOptional = previousBeforeOptional;
        toggle(index);
      }
      node = next[node]!;
      continue;
    }
    // A return: `operation` must have been linearized by now and was not, on this path.
    if (phased && !optionalPhase) {
      optionalPhase = true;
      node = next[0]!;
      continue;
    }
    if (best === undefined || stackCalls.length > best.prefix.length) {
      best = { prefix: stackCalls.map((call) => (call - 1) >> 1), state, blocked: index };
    }
    const call = stackCalls.pop();
    if (call === undefined) {
      assert(best !== undefined, "a violation has a blocked operation");
      return {
        kind: "violation",
        longestPrefix: best.prefix,
        stateAfterPrefix: best.state,
        blocked: best.blocked,
      };
    }
    state = stackStates.pop()!;
    const undone = (call - 1) >> 1;
    toggle(undone);
    unlift(call);
    if (operations[undone]!.required) requiredRemaining++;
    optionalPhase = stackPhases.pop()!;
    beforeOptional = stackBeforeOptional.pop();
    node = next[call]!;
  }
  return { kind: "ok", order: stackCalls.map((call) => (call - 1) >> 1) };
}

/**
 * Whether `step`, taken in `state` (giving `after`) right after an optional operation took
 * `before` to `state`, notices that optional one; if not, the optional one can be moved past it
 * or left out in any linearization:
 * - the same result from both states (an overwrite): the optional one is pointless, leave it out;
 * - no change in either state (an info read, a cas that fails in both): move it past.
 * An optional operation that changes nothing is never noticed, as leaving it out is the same.
 */
function noticesOptional<State, Step>(
  model: SearchModel<State, Step>,
  before: State,
  state: State,
  step: Step,
  after: State,
): boolean {
  const fromBefore = model.step(before, step);
  if (fromBefore === undefined) return true;
  const fromBeforeKey = model.stateKey(fromBefore);
  const afterKey = model.stateKey(after);
  if (fromBeforeKey === afterKey) return false;
  return !(fromBeforeKey === model.stateKey(before) && afterKey === model.stateKey(state));
}
