/**
 * The client history a simulated run records, one event per invocation and per completion, in
 * onelog's JSON Lines history format (docs/history-format.md), which the checker reads.
 */
export type HistoryType = "invoke" | "ok" | "fail" | "info";

export interface HistoryEvent {
  process: number;
  type: HistoryType;
  f: string;
  key: string;
  value: unknown;
  /** Virtual milliseconds. */
  time: number;
  /** Completions of onelog operations: the exclusive log bound the operation reflects. */
  offset?: number;
  /** Reads: the `offset` of the write whose value was returned (null when absent). */
  version?: number | null;
  /** The replica that served the operation. */
  node?: number;
  concern?: { write?: string; read?: string };
  /** Reads made after the cluster healed and converged: the authoritative final state. */
  final?: boolean;
  /** Why an operation failed or is indeterminate. */
  error?: string;
}

export const historyToJsonLines = (history: readonly HistoryEvent[]): string =>
  history.map((event) => JSON.stringify(event)).join("\n") + (history.length > 0 ? "\n" : "");
