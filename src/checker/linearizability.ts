/**
 * Linearizability of a history against a model: operations are prepared under one of the two
 * published conventions, split into independent partitions (one per key: Herlihy & Wing's
 * locality, which Porcupine calls P-compositionality), and each partition is searched
 * (search.ts). Synchronous and free of I/O, so the simulator can call it on every seed.
 */
import { getHeapStatistics } from "node:v8";
import type { History, Operation } from "./history.js";
import type { AnyModel, Outcome } from "./models/index.js";
import { models } from "./models/index.js";
import {
  type SearchLimits,
  type SearchModel,
  type SearchOperation,
  type SearchResult,
  type SearchStrategy,
  searchLinearization,
} from "./search.js";
import type { Value } from "./values.js";
import { offsetWitnessHolds } from "./witness.js";

/**
 * - porcupine: a failed cas is a real operation whose compare was observed to fail; every other
 *   fail did not happen; a read of nil read "absent" (Porcupine's etcd and kv models).
 * - knossos: every fail did not happen; a read that completed with nil read an unknown value
 *   (knossos.model: a nil read is treated as unknown; knossos.history: fails are removed).
 */
export type Convention = "porcupine" | "knossos";

export interface CheckOptions {
  /** The model's initial value (every key's, for keyed models); default nil (absent). */
  initial?: Value;
  convention?: Convention;
  /** Give up with `unknown` after this long; default no limit. */
  timeLimitMs?: number;
  /**
   * Give up with `unknown` past this many memoised configurations in one partition (the memory
   * bound: each costs a bitset and a state key); default 20 million.
   */
  cacheEntriesMax?: number;
  /**
   * Whether memory is running out, so that the search gives up with `unknown` instead of the
   * process dying; default: the heap holds three quarters of the old generation's limit (see
   * heapMostlyFull). A configuration costs a few hundred bytes, so on a default heap this comes
   * before `cacheEntriesMax`.
   */
  memoryFull?: () => boolean;
  /**
   * Told, every thousand or so search steps, the key being searched and the configurations
   * memoised so far in this attempt (the search restarts with a larger budget now and then),
   * so that a long check can show it is working.
   */
  onProgress?: (progress: { key: string; configurations: number }) => void;
  /** The clock for the time limit; default performance.now. Inject one for determinism. */
  now?: () => number;
  /**
   * Try the linearization the history's offsets suggest before searching (witness.ts); default
   * true. Turning it off only costs time: a failed witness falls back to the search anyway.
   */
  offsetWitness?: boolean;
}

export interface Violation {
  /** The partition (key) that is not linearizable; "" for a single register. */
  key: string;
  /** Operation ids of the longest linearizable prefix the search found, in order. */
  longestPrefix: number[];
  /** The model state after that prefix, in words. */
  stateAfterPrefix: string;
  /** The operation that cannot be placed after the prefix. */
  blocked: number;
  /** Operations of the partition that overlap the blocked one in time. */
  concurrent: number[];
  /** Every operation of the partition, in invocation order. */
  partitionOperations: number[];
}

export type LinearizabilityResult =
  | {
      verdict: "ok";
      model: string;
      partitionCount: number;
      operationCount: number;
      /** Partitions proven by the offsets' witness rather than by the search. */
      witnessPartitionCount: number;
    }
  | { verdict: "violation"; model: string; violations: Violation[] }
  | { verdict: "unknown"; model: string; reason: string; key: string }
  | { verdict: "bad_input"; model: string; line: number; message: string };

const cacheEntriesDefault = 20_000_000;

/**
 * The young generation's share of V8's `heap_size_limit`: three semi-spaces of 16 MiB on a
 * 64-bit Node 20, which the memo, all long-lived, never fills. With a small old generation
 * (`--max-old-space-size=48`) it is half the limit, and three quarters of the whole limit lies
 * past the old generation's end: the process died of a full heap before the bound was reached.
 */
const youngGenerationBytes = 48 * 1024 * 1024;

/** The default memory bound: past three quarters of the old generation, a search gives up. */
function heapMostlyFull(): boolean {
  const heap = getHeapStatistics();
  const oldGeneration = Math.max(
    heap.heap_size_limit - youngGenerationBytes,
    heap.heap_size_limit / 2,
  );
  return heap.used_heap_size > 0.75 * oldGeneration;
}

interface PreparedOperation {
  operation: Operation;
  search: SearchOperation<unknown>;
}

export function checkLinearizable(
  history: History,
  modelOrName: AnyModel | string,
  options: CheckOptions = {},
): LinearizabilityResult {
  const model = typeof modelOrName === "string" ? models.get(modelOrName) : modelOrName;
  if (model === undefined) {
    return {
      verdict: "bad_input",
      model: String(modelOrName),
      line: 0,
      message: `unknown model "${modelOrName}"; expected one of ${[...models.keys()].join(", ")}`,
    };
  }
  const convention = options.convention ?? "porcupine";
  const partitions = new Map<string, PreparedOperation[]>();
  const withOffsets = history.operations.some((operation) => operation.offset !== undefined);
  for (const operation of history.operations) {
    const outcome = outcomeOf(operation, model, convention, withOffsets);
    if (outcome === undefined) continue;
    const prepared = model.prepare({
      f: operation.f,
      key: operation.key,
      input: operation.input,
      outcome,
      output: outcome === "ok" ? operation.output : undefined,
      nilReadIsUnknown: convention === "knossos",
    });
    if (prepared.kind === "error") {
      return {
        verdict: "bad_input",
        model: model.name,
        line: operation.callLine,
        message: prepared.message,
      };
    }
    const partition = partitions.get(prepared.partition) ?? [];
    partitions.set(prepared.partition, partition);
    partition.push({
      operation,
      search: {
        step: prepared.step,
        callIndex: operation.callIndex,
        returnIndex: outcome === "unknown" ? Number.POSITIVE_INFINITY : operation.returnIndex,
        required: outcome !== "unknown",
      },
    });
  }
  const now = options.now ?? (() => performance.now());
  const deadlineMs = now() + (options.timeLimitMs ?? Number.POSITIVE_INFINITY);
  const cacheEntriesMax = options.cacheEntriesMax ?? cacheEntriesDefault;
  const memoryFull = options.memoryFull ?? heapMostlyFull;
  const { onProgress } = options;
  const violations: Violation[] = [];
  let unknown: { reason: string; key: string } | undefined;
  let witnessPartitionCount = 0;
  for (const [key, partition] of partitions) {
    const searchModel = {
      initial: model.initial(options.initial ?? null),
      step: (state: unknown, step: unknown) => model.step(state, step),
      stateKey: (state: unknown) => model.stateKey(state),
    };
    // Offsets in the history may hand us a linearization to verify instead of search for.
    if (options.offsetWitness !== false && offsetWitnessHolds(partition, searchModel)) {
      witnessPartitionCount++;
      continue;
    }
    const result = searchPortfolio(
      partition.map((prepared) => prepared.search),
      searchModel,
      {
        deadlineMs,
        now,
        cacheEntriesMax,
        memoryFull,
        progress: (configurations) => onProgress?.({ key, configurations }),
      },
    );
    if (result.kind === "unknown") {
      unknown ??= { reason: result.reason, key };
      if (result.reason === "time limit") break;
      continue;
    }
    if (result.kind === "violation") {
      const ids = (indexes: number[]) => indexes.map((index) => partition[index]!.operation.id);
      const blocked = partition[result.blocked]!.operation;
      violations.push({
        key,
        longestPrefix: ids(result.longestPrefix),
        stateAfterPrefix: model.describeState(result.stateAfterPrefix),
        blocked: blocked.id,
        concurrent: partition
          .map((prepared) => prepared.operation)
          .filter((other) => other !== blocked && overlaps(other, blocked))
          .map((other) => other.id),
        partitionOperations: partition.map((prepared) => prepared.operation.id),
      });
    }
  }
  if (violations.length > 0) return { verdict: "violation", model: model.name, violations };
  if (unknown !== undefined) return { verdict: "unknown", model: model.name, ...unknown };
  const operationCount = [...partitions.values()].reduce(
    (sum, partition) => sum + partition.length,
    0,
  );
  return {
    verdict: "ok",
    model: model.name,
    partitionCount: partitions.size,
    operationCount,
    witnessPartitionCount,
  };
}

const iterationsFirst = 20_000;

/**
 * Runs the strategies in turns with growing budgets until one reaches a verdict (each is
 * exhaustive, so any verdict is final). Restarting wastes at most a constant factor, and each
 * history shape gets the strategy that suits it: Porcupine's history order finds a linearization
 * fast when info operations took effect; trying info operations only where noticed refutes, and
 * decides keys with dozens of info operations; required-first order decides some histories
 * neither of the others does quickly (test/checker/generated.test.ts).
 */
const strategies: readonly SearchStrategy[] = [
  { order: "history", onlyWhereNoticed: false },
  { order: "history", onlyWhereNoticed: true },
  { order: "required-first", onlyWhereNoticed: true },
];

function searchPortfolio<State, Step>(
  operations: readonly SearchOperation<Step>[],
  model: SearchModel<State, Step>,
  limits: Omit<SearchLimits, "iterationsMax">,
): Exclude<SearchResult<State>, { kind: "budget" }> {
  for (let iterationsMax = iterationsFirst; ; iterationsMax *= 4) {
    for (const strategy of strategies) {
      const result = searchLinearization(operations, model, { ...limits, iterationsMax }, strategy);
      if (result.kind !== "budget") return result;
    }
  }
}

/**
 * How the search treats an operation under a convention; undefined when it did not happen. In a
 * history with offsets (onelog's) a `fail` says which it was: one with an offset is in the log
 * and its condition was observed to fail (a cas whose compare failed); one without never
 * happened (refused), whatever the convention.
 */
function outcomeOf(
  operation: Operation,
  model: AnyModel,
  convention: Convention,
  withOffsets: boolean,
): Outcome | undefined {
  switch (operation.status) {
    case "ok":
      return "ok";
    case "info":
      return "unknown";
    case "fail": {
      const observed = withOffsets ? operation.offset !== undefined : convention === "porcupine";
      return observed && model.failIsObservation(operation.f) ? "failed" : undefined;
    }
  }
}

/** Two operations overlap when neither returned before the other was invoked. */
function overlaps(a: Operation, b: Operation): boolean {
  return a.callIndex < b.returnIndex && b.callIndex < a.returnIndex;
}
