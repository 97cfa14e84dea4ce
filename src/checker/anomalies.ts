/**
 * Anomaly finders for histories that carry offsets or versions (onelog's own). The vocabulary is
 * replication-semantics.md §0: lost acknowledged write (LAW), stale read (SR), dirty read (DR),
 * non-monotonic read (NMR), and read-your-writes (RYW). Each anomaly names the operations that
 * show it, so a person can find them in the history and in the HTML report.
 */
import type { Operation } from "./history.js";
import { type KeyView, keyViews, readVersion, writerOf, writtenValue } from "./key_index.js";
import { findOrderAnomalies } from "./order_anomalies.js";
import { formatValue, type Value, valueKey } from "./values.js";

export type AnomalyKind =
  | "lost-write"
  | "stale-read"
  | "dirty-read"
  | "non-monotonic-read"
  | "read-your-writes";

export interface Anomaly {
  kind: AnomalyKind;
  key: string;
  /** Operation ids that show the anomaly, the one it is about first. */
  operations: number[];
  description: string;
  /** Stale reads: how many log offsets behind the newest write acknowledged before it began. */
  staleOffsets?: number;
  /** Stale reads: how long before the read began the first write it missed was acknowledged. */
  staleMs?: number;
  /** Non-monotonic reads and read-your-writes: the order that was broken. */
  scope?: "process" | "session";
}

/**
 * Runs every finder; anomalies come out per key, in the order above. Histories without offsets
 * or versions (Jepsen's) get none: their written values need not be unique, so a value would
 * not identify its write.
 */
export function findAnomalies(history: { operations: readonly Operation[] }): Anomaly[] {
  const anomalies: Anomaly[] = [];
  if (
    !history.operations.some(
      (operation) => operation.offset !== undefined || operation.version !== undefined,
    )
  ) {
    return anomalies;
  }
  const views = keyViews(history.operations);
  // One by one, not pushed as spread arguments: a long run of local reads finds more stale
  // reads on one key than a call takes arguments.
  const add = (found: readonly Anomaly[]) => {
    for (const anomaly of found) anomalies.push(anomaly);
  };
  for (const view of views.values()) {
    add(lostWrites(view));
    add(dirtyReads(view));
    add(staleReads(view));
  }
  add(findOrderAnomalies(views));
  return anomalies;
}

export const name = (operation: Operation): string => `#${operation.id}`;

/** The list elements a list read returned, as valueKeys. */
const elements = (read: Operation): Set<string> =>
  new Set(Array.isArray(read.output) ? read.output.map((item: Value) => valueKey(item)) : []);

/**
 * LAW: an acknowledged write the final state does not reflect. For lists every acknowledged
 * element must be in the final list; for registers the final read must reflect a log at or past
 * the write's offset, and when the final value's writer holds the same offset, that slot was
 * reused after a truncation.
 */
function lostWrites(view: KeyView): Anomaly[] {
  const final = view.finalRead;
  if (final === undefined) return [];
  const anomalies: Anomaly[] = [];
  const finalElements = elements(final);
  const finalVersion = readVersion(view, final);
  const finalWriter = writerOf(view, final);
  for (const write of view.writes) {
    if (write.status !== "ok" || write === finalWriter) continue;
    let lost: string | undefined;
    if (view.holdsLists) {
      if (write.f === "list-append" && !finalElements.has(valueKey(write.input))) {
        lost = `its element ${formatValue(write.input)} is missing from the final list`;
      }
    } else if (write.offset !== undefined && finalVersion !== undefined) {
      if (finalVersion < write.offset) {
        lost = `the final state reflects offset ${finalVersion}, before its offset ${write.offset}`;
      } else if (finalWriter?.offset === write.offset) {
        lost = `its offset ${write.offset} holds ${name(finalWriter)}'s value in the final state`;
      }
    } else if (finalWriter !== undefined && finalWriter.returnIndex < write.callIndex) {
      lost = `the final value was written by ${name(finalWriter)}, which completed before it began`;
    }
    if (lost !== undefined) {
      anomalies.push({
        kind: "lost-write",
        key: view.key,
        operations: [write.id, final.id],
        description: `acknowledged ${write.f} ${name(write)} of ${formatValue(write.input)} is lost: ${lost} (final read ${name(final)})`,
      });
    }
  }
  return anomalies;
}

/**
 * DR: a read observed a value that never became committed: written by a failed operation,
 * never written at all, rolled back before the final state (a list element missing from the
 * final list, or a version past the final state's).
 */
function dirtyReads(view: KeyView): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const final = view.finalRead;
  const finalVersion = final === undefined ? undefined : readVersion(view, final);
  const finalElements = final === undefined ? undefined : elements(final);
  for (const read of view.reads) {
    if (read === final) continue;
    let dirty: string | undefined;
    let witness: Operation | undefined;
    const writer = writerOf(view, read);
    const version = readVersion(view, read);
    if (view.holdsLists) {
      const missing =
        finalElements === undefined
          ? []
          : [...elements(read)].filter((item) => !finalElements.has(item));
      if (missing.length > 0) dirty = `elements ${missing.join(", ")} are not in the final list`;
      witness = final;
    } else if (writer?.status === "fail") {
      dirty = `the value was written by ${name(writer)}, which failed`;
      witness = writer;
    } else if (
      writer === undefined &&
      (read.output ?? null) !== null &&
      view.writes.every((w) => writtenValue(w) !== undefined)
    ) {
      dirty = "no operation wrote that value";
    } else if (version !== undefined && finalVersion !== undefined && version > finalVersion) {
      dirty = `it reflects offset ${version}, past the final state's ${finalVersion}`;
      witness = final;
    }
    if (dirty !== undefined) {
      anomalies.push({
        kind: "dirty-read",
        key: view.key,
        operations: witness === undefined ? [read.id] : [read.id, witness.id],
        description: `read ${name(read)} returned ${formatValue(read.output)}, which was rolled back or never written: ${dirty}`,
      });
    }
  }
  return anomalies;
}

/**
 * SR: a read returns state older than a write acknowledged before the read began. Writes are
 * indexed by completion, with the running maximum offset, so each read costs a binary search.
 */
function staleReads(view: KeyView): Anomaly[] {
  const acknowledged = view.writes
    .filter((write) => write.status === "ok" && write.offset !== undefined)
    .sort((a, b) => a.returnIndex - b.returnIndex);
  const newestOffset: number[] = [];
  for (const write of acknowledged)
    newestOffset.push(Math.max(newestOffset.at(-1) ?? 0, write.offset!));
  const anomalies: Anomaly[] = [];
  for (const read of view.reads) {
    // A final read that misses an acknowledged write shows a lost write, reported as such.
    const version = read.final === true ? undefined : readVersion(view, read);
    if (version === undefined) continue;
    const before = countBefore(acknowledged, read.callIndex);
    if (before === 0 || newestOffset[before - 1]! <= version) continue;
    const missed = acknowledged.slice(0, before).filter((write) => write.offset! > version);
    const newest = missed.reduce((a, b) => (b.offset! > a.offset! ? b : a));
    const first = missed[0]!;
    const anomaly: Anomaly = {
      kind: "stale-read",
      key: view.key,
      operations: [read.id, first.id, ...(newest === first ? [] : [newest.id])],
      description: "",
      staleOffsets: newest.offset! - version,
    };
    if (read.callTimeMs !== undefined && first.returnTimeMs !== undefined) {
      anomaly.staleMs = read.callTimeMs - first.returnTimeMs;
    }
    const ms = anomaly.staleMs === undefined ? "" : ` and ${anomaly.staleMs} ms`;
    anomaly.description =
      `read ${name(read)} returned ${formatValue(read.output)} (offset ${version}) but ${missed.length} ` +
      `acknowledged write(s) completed before it began, first ${name(first)}; stale by ` +
      `${anomaly.staleOffsets} offsets${ms}`;
    anomalies.push(anomaly);
  }
  return anomalies;
}

/** How many writes (sorted by return) completed before `index`. */
function countBefore(writes: readonly Operation[], index: number): number {
  let low = 0;
  let high = writes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (writes[middle]!.returnIndex < index) low = middle + 1;
    else high = middle;
  }
  return low;
}
