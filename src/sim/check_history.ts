/**
 * Every seed's client history goes through the consistency checker. A seed whose concerns all
 * promise linearizability (majority writes, linearizable reads) must be linearizable. Every seed
 * is searched for anomalies; an anomaly is allowed where the operations' concerns permit it
 * (replication-semantics.md §2.10: local reads may be dirty and stale, majority reads stale, w:1
 * writes may be lost) and a violation where they rule it out.
 */
import {
  type AnomalyKind,
  type HistoryEvent as CheckerEvent,
  checkLinearizable,
  findAnomalies,
  forbiddenBy,
  type Operation,
  pairEvents,
} from "../checker/index.js";
import type { HistoryEvent } from "./history.js";
import type { Scenario } from "./scenario.js";

export interface HistoryCheck {
  /** The linearizability verdict, for seeds that promise it. */
  linearizable: "ok" | "violation" | "unknown" | "not promised";
  /** Anomalies the seed's concerns allow, counted by kind. */
  allowedAnomalies: Partial<Record<AnomalyKind, number>>;
  /** What broke a promise, if anything did. */
  violation?: string;
}

// With a correct core the offsets prove the history in milliseconds (witness.ts); only a broken
// history needs the search, and a search that runs out reports `unknown`, a failure here.
const checkTimeLimitMs = 5_000;

export function checkHistory(scenario: Scenario, events: readonly HistoryEvent[]): HistoryCheck {
  const paired = pairEvents(events.map(toCheckerEvent));
  if (paired.kind === "error") {
    return {
      linearizable: "unknown",
      allowedAnomalies: {},
      violation: `history: ${paired.error.message}`,
    };
  }
  const history = paired.value;
  const check: HistoryCheck = { linearizable: "not promised", allowedAnomalies: {} };
  if (scenario.concernMode === "strict") {
    const result = checkLinearizable(history, "onelog", { timeLimitMs: checkTimeLimitMs });
    check.linearizable = result.verdict === "bad_input" ? "unknown" : result.verdict;
    if (result.verdict === "violation") {
      const first = result.violations[0];
      check.violation = `not linearizable on key ${first?.key}: ${first === undefined ? "" : describe(history.operations, first.blocked)}`;
    } else if (result.verdict !== "ok") {
      check.violation = `the checker could not decide: ${"reason" in result ? result.reason : result.message}`;
    }
  }
  for (const anomaly of findAnomalies(history)) {
    const forbidden = forbiddenBy(anomaly, history.operations);
    if (forbidden !== undefined) {
      check.violation ??= `${anomaly.kind} on key ${anomaly.key} ${forbidden}: ${anomaly.description}`;
    } else {
      check.allowedAnomalies[anomaly.kind] = (check.allowedAnomalies[anomaly.kind] ?? 0) + 1;
    }
  }
  return check;
}

function describe(operations: readonly Operation[], id: number | undefined): string {
  const operation = id === undefined ? undefined : operations[id];
  if (operation === undefined) return "";
  return `#${operation.id} ${operation.f} by process ${operation.process} (${JSON.stringify(operation.input)} -> ${JSON.stringify(operation.output ?? null)})`;
}

/** The checker's in-memory event for one of ours (the JSONL fields, `time` as `timeMs`). */
function toCheckerEvent(event: HistoryEvent, index: number): CheckerEvent {
  const converted: CheckerEvent = {
    process: event.process,
    type: event.type,
    f: event.f,
    key: event.key,
    value: event.value as CheckerEvent["value"],
    timeMs: event.time,
    line: index + 1,
  };
  if (event.offset !== undefined) converted.offset = event.offset;
  if (event.version !== undefined) converted.version = event.version;
  if (event.node !== undefined) converted.node = event.node;
  if (event.concern !== undefined) converted.concern = event.concern;
  if (event.final !== undefined) converted.final = event.final;
  return converted;
}
