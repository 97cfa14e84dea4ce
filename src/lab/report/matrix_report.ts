/** The matrix as Markdown (for docs/matrix.md and the terminal) and as a self-contained HTML page. */
import type { MatrixRow } from "../matrix.js";
import { describePromise } from "../promises.js";
import { escapeHtml } from "./svg.js";

const tags: Record<string, string> = {
  "lost-write": "LAW",
  "dirty-read": "DR",
  "stale-read": "SR",
  "non-monotonic-read": "NMR",
  "read-your-writes": "RYW",
};

interface Cells {
  combination: string;
  promise: string;
  cite: string;
  observed: string;
  linearizable: string;
  agrees: string;
}

function cells(row: MatrixRow): Cells {
  const observed = Object.entries(row.observed)
    .map(([kind, count]) => `${tags[kind] ?? kind} ×${count}`)
    .concat(row.invariantViolations > 0 ? [`invariant ×${row.invariantViolations}`] : []);
  return {
    combination: `w:${row.combination.write} + read ${row.combination.read}`,
    promise: describePromise(row.promise),
    cite: row.promise.cite,
    observed: observed.length === 0 ? "none" : observed.join(", "),
    linearizable: row.linearizability,
    agrees: row.agrees ? "yes" : "no",
  };
}

export function matrixMarkdown(
  preset: string,
  rows: readonly MatrixRow[],
  command: string,
): string {
  const lines = [
    `### Preset \`${preset}\``,
    "",
    `\`${command}\``,
    "",
    "| combination | promise | reference | anomalies observed | linearizability | agree |",
    "|---|---|---|---|---|---|",
    ...rows.map((row) => {
      const cell = cells(row);
      return `| ${cell.combination} | ${cell.promise} | ${cell.cite} | ${cell.observed} | ${cell.linearizable} | ${cell.agrees} |`;
    }),
    "",
  ];
  return lines.join("\n");
}

export function matrixHtml(preset: string, rows: readonly MatrixRow[], command: string): string {
  const body = rows
    .map((row) => {
      const cell = cells(row);
      const link = `${row.reportDir.split("/").at(-1)}/index.html`;
      return `<tr class="matrix-row"><td><a href="${escapeHtml(link)}">${escapeHtml(cell.combination)}</a></td><td>${escapeHtml(cell.promise)}</td><td>${escapeHtml(cell.cite)}</td><td>${escapeHtml(cell.observed)}</td><td>${escapeHtml(cell.linearizable)}</td><td class="${row.agrees ? "agree" : "disagree"}">${cell.agrees}</td></tr>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>onelog consistency matrix: ${escapeHtml(preset)}</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px}.agree{color:#1a7f37}.disagree{color:#c00;font-weight:bold}</style></head><body>
<h1>Consistency matrix: preset ${escapeHtml(preset)}</h1>
<p><code>${escapeHtml(command)}</code></p>
<table><tr><th>combination</th><th>promise</th><th>reference</th><th>anomalies observed</th><th>linearizability</th><th>agree</th></tr>
${body}
</table></body></html>
`;
}
