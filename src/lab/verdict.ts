/**
 * The verdict of a run: the checker on its history. Linearizability is required when the
 * concerns promise it (w:majority with linearizable reads); every anomaly is judged against the
 * concerns of the operations that show it (src/checker/judge.ts); the bank's invariant is
 * checked on bank runs, and transaction runs with the multi-register model. The run agrees with its promise when nothing forbidden was seen.
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
import { type BankViolation, checkBankInvariant, type WorkloadName } from "./workloads/index.js";

export interface JudgedAnomaly extends Anomaly {
  /** Why the concerns rule it out; absent when they allow it. */
  forbidden?: string;
}

export interface Verdict {
  linearizability: "ok" | "violation" | "unknown" | "not promised";
  linearizabilityDetail?: string;
  anomalies: JudgedAnomaly[];
  bankViolations: BankViolation[];
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

export function judgeHistory(
  events: readonly LabEvent[],
  promisesLinearizable: boolean,
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
  if (promisesLinearizable) {
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
  const bankViolations = workload === "bank" ? checkBankInvariant(history.operations) : [];
  const broken =
    linearizability === "violation" ||
    anomalies.some((anomaly) => anomaly.forbidden !== undefined) ||
    bankViolations.length > 0;
  const exitCode = broken ? 1 : linearizability === "unknown" ? 3 : 0;
  return {
    history,
    verdict: {
      linearizability,
      ...(linearizabilityDetail === undefined ? {} : { linearizabilityDetail }),
      anomalies,
      bankViolations,
      agrees: exitCode === 0,
      exitCode,
    },
  };
}
