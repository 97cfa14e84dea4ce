/**
 * A self-contained HTML report (inline CSS, no scripts or external assets) with one timeline row
 * per process, like Porcupine's visualisation: each operation is a bar from its invocation to its
 * completion (an info operation runs to the end, hatched). For a violation the bars of the
 * longest linearizable prefix are green and numbered in linearization order, the operation that
 * cannot be placed is red and the operations concurrent with it are amber. Operations named by
 * anomalies are outlined. Hovering a bar shows the whole operation.
 */
import type { Anomaly } from "./anomalies.js";
import { explainAnomaly, explainResult, operationById } from "./explain.js";
import { describeOperation, type History, type Operation } from "./history.js";
import type { LinearizabilityResult } from "./linearizability.js";
import { formatValue } from "./values.js";

/** Bars drawn at most; beyond that the report says what it left out. */
const operationsShownMax = 3000;
const pixelsPerStep = 28;
const rowHeightPixels = 30;

type Role = "prefix" | "blocked" | "concurrent" | "other";

export interface ReportInput {
  title: string;
  history: History;
  result: LinearizabilityResult | undefined;
  anomalies: readonly Anomaly[];
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

export function renderHtmlReport(input: ReportInput): string {
  const { history, result, anomalies } = input;
  const violation = result?.verdict === "violation" ? result.violations[0] : undefined;
  const roles = new Map<number, Role>();
  const prefixPosition = new Map<number, number>();
  if (violation !== undefined) {
    violation.longestPrefix.forEach((id, position) => {
      roles.set(id, "prefix");
      prefixPosition.set(id, position + 1);
    });
    for (const id of violation.concurrent) if (!roles.has(id)) roles.set(id, "concurrent");
    roles.set(violation.blocked, "blocked");
  }
  const flagged = new Set(anomalies.flatMap((anomaly) => anomaly.operations));
  const candidates =
    violation !== undefined
      ? violation.partitionOperations.map(operationById(history))
      : history.operations.filter((operation) => flagged.size === 0 || flagged.has(operation.id));
  const shown = candidates.slice(0, operationsShownMax);
  const summary = result === undefined ? "" : explainResult(history, result);
  const anomalyLines = anomalies.map(explainAnomaly).join("\n");
  const omitted = candidates.length - shown.length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>${style}</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<p class="verdict">${escapeHtml(result === undefined ? "anomalies only" : `verdict: ${result.verdict}`)}; ${anomalies.length} anomal${anomalies.length === 1 ? "y" : "ies"}</p>
${summary === "" ? "" : `<h2>Linearizability</h2><pre>${escapeHtml(summary)}</pre>`}
${anomalyLines === "" ? "" : `<h2>Anomalies</h2><pre>${escapeHtml(anomalyLines)}</pre>`}
<h2>Timeline${violation !== undefined && violation.key !== "" ? ` of key ${escapeHtml(JSON.stringify(violation.key))}` : ""}</h2>
<p class="legend"><span class="bar prefix">linearized prefix (order)</span> <span class="bar blocked">cannot be placed</span>
<span class="bar concurrent">concurrent with it</span> <span class="bar other">other</span>
<span class="bar other info">info: outcome unknown</span> <span class="bar other flagged">named by an anomaly</span></p>
${omitted > 0 ? `<p>${omitted} more operations are not drawn.</p>` : ""}
${timeline(shown, roles, prefixPosition, flagged)}
${violation === undefined ? "" : prefixTable(history, violation.longestPrefix, violation.stateAfterPrefix)}
</body></html>
`;
}

function timeline(
  operations: readonly Operation[],
  roles: ReadonlyMap<number, Role>,
  prefixPosition: ReadonlyMap<number, number>,
  flagged: ReadonlySet<number>,
): string {
  // Dense ranks of the drawn events, so bars stay readable however long the whole history is.
  const points = [
    ...new Set(operations.flatMap((operation) => [operation.callIndex, operation.returnIndex])),
  ]
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const rank = new Map(points.map((point, position) => [point, position]));
  const endStep = points.length + 1;
  const processes = [...new Set(operations.map((operation) => String(operation.process)))].sort(
    (a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const rows = processes.map((process) => {
    const bars = operations
      .filter((operation) => String(operation.process) === process)
      .map((operation) => {
        const start = rank.get(operation.callIndex)!;
        const end = Number.isFinite(operation.returnIndex)
          ? rank.get(operation.returnIndex)!
          : endStep;
        const role = roles.get(operation.id) ?? "other";
        const classes = [
          "bar",
          role,
          operation.status === "ok" ? "" : operation.status,
          flagged.has(operation.id) ? "flagged" : "",
        ];
        const position = prefixPosition.get(operation.id);
        const label = `${position === undefined ? "" : `${position}. `}${shortLabel(operation)}`;
        return `<div class="${classes.filter((name) => name !== "").join(" ")}" style="left:${start * pixelsPerStep}px;width:${Math.max(1, end - start) * pixelsPerStep - 4}px" title="${escapeHtml(describeOperation(operation, formatValue))}">${escapeHtml(label)}</div>`;
      });
    return `<div class="row"><div class="process">${escapeHtml(process)}</div><div class="lane" style="width:${(endStep + 1) * pixelsPerStep}px">${bars.join("")}</div></div>`;
  });
  return `<div class="timeline">${rows.join("\n")}</div>`;
}

function shortLabel(operation: Operation): string {
  const key = operation.key === undefined ? "" : `${operation.key} `;
  if (operation.status === "ok" && operation.input === null)
    return `${key}${operation.f} → ${formatValue(operation.output)}`;
  return `${key}${operation.f} ${formatValue(operation.input)}${operation.status === "ok" ? "" : ` (${operation.status})`}`;
}

function prefixTable(history: History, prefix: readonly number[], state: string): string {
  const byId = operationById(history);
  const rows = prefix.map(
    (id, position) =>
      `<tr><td>${position + 1}</td><td>${escapeHtml(describeOperation(byId(id), formatValue))}</td></tr>`,
  );
  return `<h2>Longest linearizable prefix</h2><table><tr><th>#</th><th>operation</th></tr>${rows.join("")}</table>
<p>State after it: <code>${escapeHtml(state)}</code></p>`;
}

const style = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
pre{background:#f6f6f6;padding:12px;overflow-x:auto}
.timeline{overflow-x:auto;border:1px solid #ddd;padding:8px 0}
.row{display:flex;align-items:center;height:${rowHeightPixels}px}
.process{width:80px;flex:none;text-align:right;padding-right:8px;font-weight:600}
.lane{position:relative;height:${rowHeightPixels - 6}px;flex:none}
.bar{position:absolute;top:0;height:100%;box-sizing:border-box;border-radius:4px;padding:2px 4px;font-size:12px;white-space:nowrap;overflow:hidden;border:1px solid #888}
.legend .bar{position:static;display:inline-block;margin-right:8px}
.prefix{background:#c8e6c9;border-color:#2e7d32}
.blocked{background:#ffcdd2;border-color:#c62828;font-weight:700}
.concurrent{background:#ffe0b2;border-color:#ef6c00}
.other{background:#eceff1}
.info{background-image:repeating-linear-gradient(45deg,transparent 0 6px,rgba(0,0,0,.08) 6px 12px)}
.fail{opacity:.6;text-decoration:line-through}
.flagged{outline:3px solid #6a1b9a}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}`;
