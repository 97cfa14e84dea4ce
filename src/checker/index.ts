/**
 * The consistency checker: history readers, the linearizability search and the anomaly finders.
 * Everything here is synchronous and does no I/O; the CLI (src/cli/check.ts) reads files.
 */

export { type Anomaly, type AnomalyKind, findAnomalies } from "./anomalies.js";
export { explainAnomaly, explainResult, explainViolation } from "./explain.js";
export type {
  Concern,
  EventType,
  History,
  HistoryError,
  HistoryEvent,
  Operation,
  OperationStatus,
  ProcessId,
  ReadResult,
} from "./history.js";
export { describeOperation, pairEvents } from "./history.js";
export { type ReportInput, renderHtmlReport } from "./html_report.js";
export { forbiddenBy } from "./judge.js";
export {
  type CheckOptions,
  type Convention,
  checkLinearizable,
  type LinearizabilityResult,
  type Violation,
} from "./linearizability.js";
export type { AnyModel, Call, Model, Outcome, Prepared } from "./models/index.js";
export { modelNames, models } from "./models/index.js";
export { detectFormat, type HistoryFormat, historyFormats, parseHistory } from "./parse.js";
export { parseEdnValue } from "./read_edn.js";
export { formatValue, type Value, valueKey } from "./values.js";
