/**
 * Words for a verdict: for a violation, the operations involved, the longest linearizable
 * prefix the search found and the operation that cannot be placed after it (the same three
 * things Knossos's :final-paths and Porcupine's partial linearizations show).
 */
import type { Anomaly } from "./anomalies.js";
import { describeOperation, type History, type Operation } from "./history.js";
import type { LinearizabilityResult, Violation } from "./linearizability.js";
import { formatValue } from "./values.js";

/** How many prefix operations the words show; the HTML report shows them all. */
const prefixShownMax = 8;

export function operationById(history: History): (id: number) => Operation {
  return (id) => {
    const operation = history.operations[id];
    if (operation === undefined || operation.id !== id) throw new RangeError(`no operation #${id}`);
    return operation;
  };
}

export function explainViolation(history: History, violation: Violation): string {
  const byId = operationById(history);
  const describe = (id: number) => describeOperation(byId(id), formatValue);
  const where = violation.key === "" ? "the history" : `key ${JSON.stringify(violation.key)}`;
  const blocked = byId(violation.blocked);
  const prefix = violation.longestPrefix;
  const shown = prefix.slice(-prefixShownMax);
  const lines = [
    `${where} is not linearizable (${violation.partitionOperations.length} operations).`,
    `The longest linearizable prefix has ${prefix.length} operation(s)` +
      (prefix.length > shown.length ? `; its last ${shown.length}:` : ":"),
    ...shown.map((id) => `  ${describe(id)}`),
    `After it the state is ${violation.stateAfterPrefix}.`,
    `This operation cannot be placed: it had to take effect before it completed, and in that state it cannot:`,
    `  ${describe(blocked.id)}`,
  ];
  if (violation.concurrent.length > 0) {
    lines.push("Operations concurrent with it:");
    for (const id of violation.concurrent.slice(0, prefixShownMax)) lines.push(`  ${describe(id)}`);
    if (violation.concurrent.length > prefixShownMax) {
      lines.push(`  ... and ${violation.concurrent.length - prefixShownMax} more`);
    }
  }
  return lines.join("\n");
}

export function explainResult(history: History, result: LinearizabilityResult): string {
  switch (result.verdict) {
    case "ok":
      return `linearizable (${result.model}): ${result.operationCount} operations in ${result.partitionCount} partition(s)`;
    case "violation":
      return result.violations
        .map((violation) => explainViolation(history, violation))
        .join("\n\n");
    case "unknown":
      return `unknown (${result.model}): the ${result.reason} was reached while checking ${result.key === "" ? "the history" : `key ${JSON.stringify(result.key)}`}; no verdict is given`;
    case "bad_input":
      return `line ${result.line}: ${result.message}`;
  }
}

export function explainAnomaly(anomaly: Anomaly): string {
  const key = anomaly.key === "" ? "" : ` key ${JSON.stringify(anomaly.key)}`;
  return `${anomaly.kind}${key}: ${anomaly.description}`;
}
