/**
 * The verdict of a run: the checker on its history. Linearizability is required when the
 * concerns promise it (w:majority with linearizable reads); every anomaly is judged against the
 * concerns of the operations that show it (src/checker/judge.ts); a workload's own invariant is
 * checked on its runs (the bank's total, the queue's deliveries), and transaction runs with the
 * multi-register model. The run agrees with its promise when nothing forbidden was seen.
 */
import {
  type Anomaly,
  checkLinearizable,
  findAnomalies,
  forbiddenBy,
  type History,
  parseHistory,
} from "../checker/index.js";
import type { LabEvent } from "./history.js";
import type { Promise_ } from "./promises.js";
import { checkBankInvariant, checkQueueInvariant, type WorkloadName } from "./workloads/index.js";

/** A workload's invariant broken by an operation (the bank's total; a queue's deliveries). */
export interface InvariantViolation {
  invariant: "bank" | "queue";
  operation: number;
  description: string;
}

export interface JudgedAnomaly extends Anomaly {
  /** Why the concerns rule it out; absent when they allow it. */
  forbidden?: string;
}

export interface Verdict {
  linearizability: "ok" | "violation" | "unknown" | "not promised";
  linearizabilityDetail?: string;
  anomalies: JudgedAnomaly[];
  invariantViolations: InvariantViolation[];
  /** Observation agrees with the promise: nothing forbidden was seen, and nothing undecided. */
  agrees: boolean;
  /** 0 agrees, 1 something forbidden was seen, 3 the checker could not decide. */
  exitCode: 0 | 1 | 3;
}

export interface Judged {
  history: History;
  verdict: Verdict;
}

const checkTimeLimitMs = 60_000;

/** The model each workload's history is checked with: a register family, or transactions. */
const modelOf = (workload: WorkloadName): string =>
  workload === "txn" ? "multi-register" : "onelog";

/** The invariant of the workloads that have one, as violations. */
function invariantViolations(
  workload: WorkloadName,
  history: History,
  promise: Promise_,
): InvariantViolation[] {
  const { operations } = history;
  if (workload === "bank" || workload === "bank-script") {
    return checkBankInvariant(operations).map((each) => ({ invariant: "bank", ...each }));
  }
  if (workload !== "queue") return [];
  const lossAllowed = promise.allowed.includes("lost-write");
  const audit = checkQueueInvariant(operations, lossAllowed);
  return audit.violations.map((each) => ({ invariant: "queue", ...each }));
}

export function judgeHistory(
  events: readonly LabEvent[],
  promise: Promise_,
  workload: WorkloadName,
): Judged | { error: string } {
  // Through the JSONL reader, so that the lab's history is judged exactly as `onelog check`
  // would judge the history.jsonl of its report.
  const paired = parseHistory(events.map((event) => JSON.stringify(event)).join("\n"), "jsonl");
  if (paired.kind === "error")
    return { error: `history line ${paired.error.line}: ${paired.error.message}` };
  const history = paired.value;
  let linearizability: Verdict["linearizability"] = "not promised";
  let linearizabilityDetail: string | undefined;
  // A queue has no register model: its promise is its invariant.
  if (promise.linearizable && workload !== "queue") {
    const result = checkLinearizable(history, modelOf(workload), { timeLimitMs: checkTimeLimitMs });
    linearizability = result.verdict === "bad_input" ? "unknown" : result.verdict;
    if (result.verdict === "violation") {
      const first = result.violations[0];
      // Transactions are checked as one partition, with no key of its own.
      const where = first?.key ? `key ${first.key}` : "the transactions";
      linearizabilityDetail = `${where}: operation #${first?.blocked} cannot be placed`;
    } else if (result.verdict !== "ok") {
      linearizabilityDetail = "reason" in result ? String(result.reason) : String(result.message);
    }
  }
  const anomalies: JudgedAnomaly[] = findAnomalies(history).map((anomaly) => {
    const forbidden = forbiddenBy(anomaly, history.operations);
    return forbidden === undefined ? anomaly : { ...anomaly, forbidden };
  });
  const violations = invariantViolations(workload, history, promise);
  const broken =
    linearizability === "violation" ||
    anomalies.some((anomaly) => anomaly.forbidden !== undefined) ||
    violations.length > 0;
  const exitCode = broken ? 1 : linearizability === "unknown" ? 3 : 0;
  return {
    history,
    verdict: {
      linearizability,
      ...(linearizabilityDetail === undefined ? {} : { linearizabilityDetail }),
      anomalies,
      invariantViolations: violations,
      agrees: exitCode === 0,
      exitCode,
    },
  };
}
