/**
 * Per-key views of a onelog history for the anomaly finders: which operations write, which
 * write produced the value a read returned (by `version`, else by value: written values are
 * unique per key in generated workloads), and the authoritative final read.
 */
import type { Operation } from "./history.js";
import { type Value, valueKey } from "./values.js";

const writeFs: ReadonlySet<string> = new Set([
  "write",
  "set",
  "put",
  "cas",
  "append",
  "list-append",
  "incr",
  "del",
]);
const readFs: ReadonlySet<string> = new Set(["read", "get"]);

export const isWrite = (operation: Operation): boolean => writeFs.has(operation.f);
export const isRead = (operation: Operation): boolean => readFs.has(operation.f);

/** The value a write leaves when it is the last one (undefined when it depends on the state). */
export function writtenValue(operation: Operation): Value | undefined {
  switch (operation.f) {
    case "write":
    case "set":
    case "put":
      return operation.input;
    case "cas":
      return Array.isArray(operation.input) && operation.input.length === 2
        ? (operation.input[1] as Value)
        : undefined;
    default:
      return undefined;
  }
}

export interface KeyView {
  key: string;
  /** Every operation on the key, in invocation order. */
  operations: Operation[];
  writes: Operation[];
  /** Reads that completed ok. */
  reads: Operation[];
  /** The last ok read marked final: the state after the cluster healed and converged. */
  finalRead: Operation | undefined;
  /** Writes by the value they write (valueKey). */
  writerByValue: Map<string, Operation>;
  /** True when the key holds lists (list-append). */
  holdsLists: boolean;
  /** True when the key was deleted, so a nil read does not mean "before every write". */
  hasDeletes: boolean;
}

export function keyViews(operations: readonly Operation[]): Map<string, KeyView> {
  const views = new Map<string, KeyView>();
  for (const operation of operations) {
    const key = operation.key ?? "";
    let view = views.get(key);
    if (view === undefined) {
      view = {
        key,
        operations: [],
        writes: [],
        reads: [],
        finalRead: undefined,
        writerByValue: new Map(),
        holdsLists: false,
        hasDeletes: false,
      };
      views.set(key, view);
    }
    view.operations.push(operation);
    if (isWrite(operation)) {
      view.writes.push(operation);
      const value = writtenValue(operation);
      if (value !== undefined) view.writerByValue.set(valueKey(value), operation);
      if (operation.f === "list-append") view.holdsLists = true;
      if (operation.f === "del") view.hasDeletes = true;
    } else if (isRead(operation) && operation.status === "ok") {
      view.reads.push(operation);
      if (Array.isArray(operation.output)) view.holdsLists = true;
      if (
        operation.final === true &&
        (view.finalRead === undefined || view.finalRead.returnIndex < operation.returnIndex)
      ) {
        view.finalRead = operation;
      }
    }
  }
  return views;
}

/** The write whose value a read returned, when the value identifies one. */
export function writerOf(view: KeyView, read: Operation): Operation | undefined {
  const output = read.output ?? null;
  if (view.holdsLists) {
    if (!Array.isArray(output) || output.length === 0) return undefined;
    const last = valueKey(output[output.length - 1] as Value);
    return view.writes.find((write) => write.f === "list-append" && valueKey(write.input) === last);
  }
  return view.writerByValue.get(valueKey(output));
}

/**
 * The log position a read reflects for its key: its `version` when present, else the offset of
 * the write whose value it returned; 0 for a nil read of a key never deleted (the state before
 * every write). Undefined when unknown.
 */
export function readVersion(view: KeyView, read: Operation): number | undefined {
  if (read.version !== undefined) {
    if (read.version !== null) return read.version;
    return view.hasDeletes ? undefined : 0;
  }
  if ((read.output ?? null) === null || (Array.isArray(read.output) && read.output.length === 0)) {
    return view.hasDeletes ? undefined : 0;
  }
  return writerOf(view, read)?.offset;
}
