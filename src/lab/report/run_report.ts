/**
 * `index.html` of a run's report directory: the verdict against the promise, the faults, the
 * timeline of operations and faults, latency over time, and every anomaly with the operations
 * that show it. Self-contained: inline CSS and SVG, no scripts.
 */
import { describeOperation, type History, type Operation } from "../../checker/index.js";
import type { LabEvent } from "../history.js";
import type { NemesisValue } from "../nemesis.js";
import { describePromise } from "../promises.js";
import type { RunResults } from "../run.js";
import { escapeHtml, type FaultBand, latencySvg, timelineSvg } from "./svg.js";

export interface RunReportInput {
  results: RunResults;
  events: readonly LabEvent[];
  history: History;
}

const style = `body{font:14px system-ui,sans-serif;margin:1.5em;max-width:1100px}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;font-size:13px}
.agree{color:#1a7f37;font-weight:bold}.disagree{color:#c00;font-weight:bold}
.anomaly{margin-bottom:1em}.forbidden{color:#c00}.allowed{color:#8a6d00}
svg{border:1px solid #eee;display:block;margin:.5em 0}code{background:#f4f4f4;padding:1px 3px}`;

export function renderRunReport({ results, events, history }: RunReportInput): string {
  const { verdict } = results;
  // A loop, not Math.max(...times): a run records more events than a call takes arguments.
  const endMs = events.reduce((latest, event) => Math.max(latest, event.time), 1);
  const faults = faultBands(events, endMs);
  const flagged = new Set(verdict.anomalies.flatMap((anomaly) => anomaly.operations));
  for (const violation of verdict.invariantViolations) flagged.add(violation.operation);
  const title = `onelog lab: ${results.preset} ${results.workload}, w:${results.concern.write} read ${results.concern.read}`;
  const verdictText = verdict.agrees
    ? `<span class="agree">agrees with the promise</span>`
    : `<span class="disagree">${verdict.exitCode === 3 ? "undecided" : "breaks the promise"}</span>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${style}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="verdict">Observation ${verdictText}. Promise (${escapeHtml(results.promise.cite)}): ${escapeHtml(describePromise(results.promise))}.
Linearizability: ${escapeHtml(verdict.linearizability)}${verdict.linearizabilityDetail === undefined ? "" : ` (${escapeHtml(verdict.linearizabilityDetail)})`}.</p>
<p>Command: <code>${escapeHtml(results.command)}</code><br>
${results.counts.ok} ok, ${results.counts.fail} fail, ${results.counts.info} info over ${results.durationMs / 1000} s with ${results.concurrency} workers on ${results.nodeCount} nodes ${results.network === "netns" ? "in network namespaces of their own" : "on loopback"}; read preference ${escapeHtml(results.concern.readPreference)}; heal: ${escapeHtml(results.convergence)}.</p>
<h2>Faults</h2>
${faultTable(faults)}
<h2>Timeline</h2>
<p>One row per client process; green ok, grey fail, orange info (unknown, drawn to the end); red outline: named by an anomaly; shaded: a fault in force (numbered as in the table).</p>
${timelineSvg(history.operations, faults, flagged, endMs)}
<h2>Latency over time</h2>
${latencySvg(history.operations, endMs)}
<h2>Anomalies (${verdict.anomalies.length + verdict.invariantViolations.length})</h2>
${anomalyList(results, history.operations)}
</body></html>
`;
}

function faultBands(events: readonly LabEvent[], endMs: number): FaultBand[] {
  const bands = new Map<number, FaultBand>();
  for (const event of events) {
    if (event.process !== "nemesis") continue;
    const value = event.value as Partial<NemesisValue>;
    if (typeof value.fault !== "number") continue;
    const band = bands.get(value.fault);
    if (value.phase === "start" && band === undefined) {
      bands.set(value.fault, {
        fault: value.fault,
        startMs: event.time,
        endMs,
        description: value.description ?? event.f,
      });
    } else if (value.phase === "end" && band !== undefined) {
      band.endMs = event.time;
    }
  }
  return [...bands.values()];
}

function faultTable(faults: readonly FaultBand[]): string {
  if (faults.length === 0) return "<p>No faults.</p>";
  const rows = faults
    .map(
      (band) =>
        `<tr class="fault-row"><td>${band.fault}</td><td>${band.startMs.toFixed(0)}</td><td>${band.endMs.toFixed(0)}</td><td>${escapeHtml(band.description)}</td></tr>`,
    )
    .join("\n");
  return `<table class="faults"><tr><th>#</th><th>start ms</th><th>end ms</th><th>fault</th></tr>\n${rows}</table>`;
}

function anomalyList(results: RunResults, operations: readonly Operation[]): string {
  const { verdict } = results;
  if (verdict.anomalies.length === 0 && verdict.invariantViolations.length === 0) {
    return `<p class="no-anomalies">None observed.</p>`;
  }
  const operationRows = (ids: readonly number[]) =>
    ids
      .map((id) => operations[id])
      .filter((operation): operation is Operation => operation !== undefined)
      .map(
        (operation) =>
          `<tr><td>#${operation.id}</td><td>${escapeHtml(String(operation.process))}</td><td>${escapeHtml(describeOperation(operation, (value) => JSON.stringify(value ?? null)))}</td><td>${(operation.callTimeMs ?? 0).toFixed(1)}</td><td>${Number.isFinite(operation.returnTimeMs ?? Number.NaN) ? (operation.returnTimeMs as number).toFixed(1) : "—"}</td><td>${escapeHtml(JSON.stringify(operation.concern ?? {}))}</td></tr>`,
      )
      .join("");
  const table = (ids: readonly number[]) =>
    `<table><tr><th>op</th><th>process</th><th>operation</th><th>invoked ms</th><th>completed ms</th><th>concern</th></tr>${operationRows(ids)}</table>`;
  const items = verdict.anomalies.map(
    (anomaly) =>
      `<li class="anomaly"><b>${escapeHtml(anomaly.kind)}</b> on key ${escapeHtml(JSON.stringify(anomaly.key))} — ${anomaly.forbidden === undefined ? `<span class="allowed">allowed by the concerns</span>` : `<span class="forbidden">forbidden ${escapeHtml(anomaly.forbidden)}</span>`}<br>${escapeHtml(anomaly.description)}${table(anomaly.operations)}</li>`,
  );
  const invariants = verdict.invariantViolations.map(
    (violation) =>
      `<li class="anomaly"><b>${violation.invariant} invariant</b> — <span class="forbidden">forbidden</span><br>${escapeHtml(violation.description)}${table([violation.operation])}</li>`,
  );
  return `<ol class="anomalies">${[...items, ...invariants].join("\n")}</ol>`;
}
