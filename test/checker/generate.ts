/**
 * Histories from a real sequential execution: processes invoke operations on one shared state,
 * each operation takes effect atomically at a random moment between its invocation and its
 * completion, so every generated history is linearizable by construction. Random interleaving
 * gives random overlaps; `infoRatio` makes some completions `info` (half of those never took
 * effect), and cas operations whose compare failed complete with `fail` (Porcupine's convention).
 * Used by the tests and by bench/checker.ts.
 */

import type { HistoryEvent, Value } from "../../src/checker/index.js";
import { type Random, seededRandom } from "../../src/core/random.js";

export interface GenerateOptions {
  seed: number;
  processCount: number;
  operationCount: number;
  /** 0 for a single register without keys. */
  keyCount: number;
  infoRatio: number;
  /** The fs drawn from: register read/write, cas-register adds cas, list-append reads lists. */
  workload: "register" | "cas-register" | "list-append";
}

type Fate = "complete" | "info-applied" | "info-never";

interface Running {
  f: string;
  key: string | undefined;
  input: Value;
  fate: Fate;
  applied: boolean;
  output: Value;
  failed: boolean;
}

export function generateHistory(options: GenerateOptions): HistoryEvent[] {
  const random = seededRandom(options.seed);
  const state = new Map<string, Value>();
  const written = new Map<string, number>();
  const events: HistoryEvent[] = [];
  const processIds = Array.from({ length: options.processCount }, (_, index) => index);
  const running = new Map<number, Running>();
  let invoked = 0;
  let timeMs = 0;
  const emit = (process: number, type: HistoryEvent["type"], operation: Running, value: Value) => {
    const event: HistoryEvent = {
      process,
      type,
      f: operation.f,
      value,
      timeMs: timeMs++,
      line: events.length + 1,
    };
    if (operation.key !== undefined) event.key = operation.key;
    events.push(event);
  };
  while (invoked < options.operationCount || running.size > 0) {
    const slot = random.int(0, options.processCount - 1);
    const process = processIds[slot]!;
    const operation = running.get(process);
    if (operation === undefined) {
      if (invoked >= options.operationCount) continue;
      const created = createOperation(random, options, state, written);
      running.set(process, created);
      invoked++;
      emit(process, "invoke", created, created.f === "read" ? null : created.input);
    } else if (!operation.applied && operation.fate !== "info-never") {
      apply(operation, state);
    } else {
      running.delete(process);
      if (operation.fate !== "complete") {
        emit(process, "info", operation, operation.input);
        // Jepsen retires a process whose operation is indeterminate and starts a fresh one.
        processIds[slot] = process + options.processCount;
      } else {
        emit(process, operation.failed ? "fail" : "ok", operation, operation.output);
      }
    }
  }
  return events;
}

function createOperation(
  random: Random,
  options: GenerateOptions,
  state: Map<string, Value>,
  written: Map<string, number>,
): Running {
  const key = options.keyCount === 0 ? undefined : `k${random.int(0, options.keyCount - 1)}`;
  const slot = key ?? "";
  const fs =
    options.workload === "cas-register"
      ? ["read", "write", "cas"]
      : options.workload === "register"
        ? ["read", "write"]
        : ["read", "append"];
  const f = random.pick(fs);
  const unique = (written.get(slot) ?? 0) + 1;
  written.set(slot, unique);
  const current = state.get(slot) ?? null;
  const input: Value =
    f === "cas"
      ? [random.chance(0.6) ? current : random.int(1, Math.max(1, unique - 1)), unique]
      : f === "read"
        ? null
        : unique;
  const fate: Fate =
    f !== "read" && random.chance(options.infoRatio)
      ? random.chance(0.5)
        ? "info-applied"
        : "info-never"
      : "complete";
  return { f, key, input, fate, applied: false, output: null, failed: false };
}

function apply(operation: Running, state: Map<string, Value>): void {
  const slot = operation.key ?? "";
  const current = state.get(slot) ?? null;
  operation.applied = true;
  switch (operation.f) {
    case "read":
      operation.output = current;
      break;
    case "write":
      state.set(slot, operation.input);
      operation.output = operation.input;
      break;
    case "append":
      state.set(slot, [...((current as Value[] | null) ?? []), operation.input]);
      operation.output = operation.input;
      break;
    case "cas": {
      const [expected, next] = operation.input as [Value, Value];
      operation.failed = expected !== current;
      if (!operation.failed) state.set(slot, next);
      operation.output = operation.input;
      break;
    }
    default:
      throw new Error(`no such f ${operation.f}`);
  }
}

/**
 * Appends a read, after everything else, of a value no generated operation writes: the history
 * is then not linearizable, and a checker must rule out every order to say so.
 */
export function withImpossibleRead(events: readonly HistoryEvent[]): HistoryEvent[] {
  const read = { process: "impossible-reader", f: "read" };
  return [
    ...events,
    { ...read, type: "invoke", value: null, line: events.length + 1 },
    { ...read, type: "ok", value: 999, line: events.length + 2 },
  ];
}

/** Serialises events as onelog JSON Lines. */
export function toJsonLines(events: readonly HistoryEvent[]): string {
  return events
    .map((event) => {
      const record: Record<string, unknown> = {
        process: event.process,
        type: event.type,
        f: event.f,
      };
      if (event.key !== undefined) record["key"] = event.key;
      record["value"] = event.value;
      if (event.timeMs !== undefined) record["time"] = event.timeMs;
      return JSON.stringify(record);
    })
    .join("\n");
}
