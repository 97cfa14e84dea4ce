/**
 * Histories in Jepsen's model: each process invokes one operation at a time and then completes it
 * with `ok` (it happened), `fail` (it did not happen) or `info` (unknown: it may take effect at any
 * time after its invocation, or never). Readers turn text into `HistoryEvent`s; `pairEvents`
 * matches each invocation with its completion into `Operation`s. See docs/history-format.md.
 */
import { assert } from "../util/assert.js";
import type { Value } from "./values.js";

export type EventType = "invoke" | "ok" | "fail" | "info";

/** A process id: an integer, or a name such as "nemesis". */
export type ProcessId = number | string;

/** The write and read concerns a onelog client asked for, carried on invocations. */
export interface Concern {
  write?: string;
  read?: string;
}

/** onelog's own fields (docs/history-format.md); set on completions, `concern` on invocations. */
export interface OnelogFields {
  /** The exclusive log bound the operation reflects: a write's record offset + 1. */
  offset?: number;
  /** A read's: the `offset` of the write whose value it returned; null when the key was absent. */
  version?: number | null;
  /** The replica that served it. */
  node?: number;
  /** Defaults to the process. */
  session?: string;
  /** The leader epoch of a write's record. */
  epoch?: number;
  /** A read done after the cluster healed and converged: the authoritative final state. */
  final?: boolean;
  concern?: Concern;
}

/** One line of a history: an invocation or a completion. */
export interface HistoryEvent extends OnelogFields {
  process: ProcessId;
  type: EventType;
  f: string;
  key?: string;
  value: Value;
  /** Wall time in milliseconds; monotone per process when present. */
  timeMs?: number;
  /** 1-based line in the source text, for error messages and reports. */
  line: number;
}

/** The way an operation ended. A pending invocation (no completion) counts as `info`. */
export type OperationStatus = "ok" | "fail" | "info";

/** An invocation paired with its completion. */
export interface Operation extends OnelogFields {
  /** Index in `History.operations`, in invocation order. */
  id: number;
  process: ProcessId;
  f: string;
  key?: string;
  /** The invocation's value (a write's value, a cas's [expected, new]). */
  input: Value;
  /** The completion's value for `ok` (a read's result); undefined otherwise. */
  output?: Value;
  status: OperationStatus;
  /** Position of the invocation among all events of the history (nemesis excluded). */
  callIndex: number;
  /** Position of the completion; `Infinity` for `info` and pending operations. */
  returnIndex: number;
  callTimeMs?: number;
  returnTimeMs?: number;
  callLine: number;
  returnLine?: number;
}

export interface History {
  /** Client operations in invocation order; nemesis operations are left out. */
  operations: Operation[];
  /** Events of the nemesis that were read and set aside. */
  nemesisEventCount: number;
}

/** Bad input: where it is and what was expected there. */
export interface HistoryError {
  line: number;
  message: string;
}

export type ReadResult<T> = { kind: "ok"; value: T } | { kind: "error"; error: HistoryError };

export const isNemesis = (process: ProcessId): boolean => process === "nemesis";

const processLabel = (process: ProcessId): string =>
  typeof process === "number" ? `process ${process}` : `process "${process}"`;

/**
 * Pairs invocations with completions per process. A process has at most one open operation; a
 * completion must follow an invocation of the same process and the same `f`. Invocations left
 * open at the end are pending: their outcome is unknown, like `info` (Jepsen's convention).
 */
export function pairEvents(events: readonly HistoryEvent[]): ReadResult<History> {
  const operations: Operation[] = [];
  const open = new Map<ProcessId, Operation>();
  let nemesisEventCount = 0;
  let index = 0;
  for (const event of events) {
    if (isNemesis(event.process)) {
      nemesisEventCount++;
      continue;
    }
    const pending = open.get(event.process);
    if (event.type === "invoke") {
      if (pending !== undefined) {
        return failure(
          event.line,
          `${processLabel(event.process)} invokes again while its operation from line ` +
            `${pending.callLine} is still open; expected a completion (ok, fail or info) first`,
        );
      }
      const operation = invocation(event, operations.length, index);
      operations.push(operation);
      open.set(event.process, operation);
    } else {
      if (pending === undefined) {
        return failure(
          event.line,
          `${processLabel(event.process)} completes "${event.f}" with ${event.type} but has no ` +
            `open invocation; expected an invoke before it`,
        );
      }
      if (pending.f !== event.f) {
        return failure(
          event.line,
          `${processLabel(event.process)} completes "${event.f}" but invoked "${pending.f}" at ` +
            `line ${pending.callLine}; expected the same f`,
        );
      }
      complete(pending, event, index);
      open.delete(event.process);
    }
    index++;
  }
  return { kind: "ok", value: { operations, nemesisEventCount } };
}

function failure(line: number, message: string): ReadResult<History> {
  return { kind: "error", error: { line, message } };
}

function invocation(event: HistoryEvent, id: number, index: number): Operation {
  const operation: Operation = {
    id,
    process: event.process,
    f: event.f,
    input: event.value,
    status: "info",
    callIndex: index,
    returnIndex: Number.POSITIVE_INFINITY,
    callLine: event.line,
  };
  if (event.key !== undefined) operation.key = event.key;
  if (event.timeMs !== undefined) operation.callTimeMs = event.timeMs;
  if (event.concern !== undefined) operation.concern = event.concern;
  if (event.session !== undefined) operation.session = event.session;
  return operation;
}

function complete(operation: Operation, event: HistoryEvent, index: number): void {
  assert(operation.status === "info", `operation ${operation.id} completed twice`);
  operation.status = event.type === "invoke" ? "info" : event.type;
  operation.returnLine = event.line;
  if (event.timeMs !== undefined) operation.returnTimeMs = event.timeMs;
  // An info completion says nothing about when the operation took effect: it stays open to the
  // end of the history (Jepsen, Knossos and Porcupine all treat a timeout this way).
  if (event.type !== "info") operation.returnIndex = index;
  if (event.type === "ok") operation.output = event.value;
  if (operation.key === undefined && event.key !== undefined) operation.key = event.key;
  if (event.offset !== undefined) operation.offset = event.offset;
  if (event.version !== undefined) operation.version = event.version;
  if (event.node !== undefined) operation.node = event.node;
  if (event.session !== undefined) operation.session = event.session;
  if (event.epoch !== undefined) operation.epoch = event.epoch;
  if (event.final !== undefined) operation.final = event.final;
}

/** One line naming an operation for explanations: `#12 process 3 write 4 -> ok (lines 20-23)`. */
export function describeOperation(
  operation: Operation,
  format: (value: Value | undefined) => string,
): string {
  const key = operation.key === undefined ? "" : ` key ${JSON.stringify(operation.key)}`;
  const input = operation.input === null ? "" : ` ${format(operation.input)}`;
  // A completion that repeats the invocation's value (Jepsen's writes and cas) adds nothing.
  const repeated =
    operation.output === undefined || format(operation.output) === format(operation.input);
  const result =
    operation.status === "ok" && !repeated ? `ok ${format(operation.output)}` : operation.status;
  const lines =
    operation.returnLine === undefined
      ? `line ${operation.callLine}, never completed`
      : `lines ${operation.callLine}-${operation.returnLine}`;
  return `#${operation.id} ${processLabel(operation.process)}${key} ${operation.f}${input} -> ${result} (${lines})`;
}
