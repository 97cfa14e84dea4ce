/**
 * The report's two charts as inline SVG (no scripts, no external assets): a timeline with one
 * row per client process (a bar from invocation to completion, coloured by outcome, anomalous
 * operations outlined) under a band per nemesis fault, and a scatter of latency over time.
 * Large runs are sampled to `barsMax` bars; operations named by anomalies are always drawn.
 */
import type { Operation } from "../../checker/index.js";

export interface FaultBand {
  fault: number;
  startMs: number;
  endMs: number;
  description: string;
}

const width = 1000;
const left = 60;
const rowHeight = 9;
const barsMax = 4000;
const pointsMax = 3000;

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const number = (value: number) => Math.round(value * 10) / 10;

export function sampled<T>(items: readonly T[], keep: (item: T) => boolean, most: number): T[] {
  if (items.length <= most) return [...items];
  const step = items.length / most;
  const chosen = new Set<number>();
  for (let index = 0; index < most; index++) chosen.add(Math.floor(index * step));
  return items.filter((item, index) => chosen.has(index) || keep(item));
}

export function timelineSvg(
  operations: readonly Operation[],
  faults: readonly FaultBand[],
  flagged: ReadonlySet<number>,
  endMs: number,
): string {
  const processes = [...new Set(operations.map((operation) => String(operation.process)))];
  const row = new Map(processes.map((process, index) => [process, index]));
  const top = 14 + Math.max(1, faults.length > 0 ? 1 : 0) * 14;
  const height = top + processes.length * rowHeight + 20;
  const x = (ms: number) =>
    number(left + ((width - left - 10) * Math.max(0, ms)) / Math.max(1, endMs));
  const bands = faults
    .map(
      (band) =>
        `<g class="timeline-fault"><rect x="${x(band.startMs)}" y="0" width="${Math.max(1, x(band.endMs) - x(band.startMs))}" height="${height - 16}" fill="#f3c9c9" fill-opacity="0.45"><title>${escapeHtml(`fault ${band.fault}: ${band.description} (${band.startMs.toFixed(0)}–${band.endMs.toFixed(0)} ms)`)}</title></rect><text x="${x(band.startMs) + 2}" y="11" font-size="9">${band.fault}</text></g>`,
    )
    .join("");
  const shown = sampled(operations, (operation) => flagged.has(operation.id), barsMax);
  const bars = shown
    .map((operation) => {
      const y = top + (row.get(String(operation.process)) ?? 0) * rowHeight;
      const start = operation.callTimeMs ?? 0;
      const end = Number.isFinite(operation.returnTimeMs ?? Number.NaN)
        ? (operation.returnTimeMs as number)
        : endMs;
      const colour =
        operation.status === "ok" ? "#4a9d5b" : operation.status === "fail" ? "#9a9a9a" : "#e39b2d";
      const outline = flagged.has(operation.id) ? ' stroke="#c00" stroke-width="1.5"' : "";
      const title = `#${operation.id} p${operation.process} ${operation.f} ${operation.key ?? ""} ${JSON.stringify(operation.input)} → ${operation.status} ${JSON.stringify(operation.output ?? null)} [${start.toFixed(1)}–${end.toFixed(1)} ms]`;
      return `<rect class="op op-${operation.status}" x="${x(start)}" y="${y}" width="${Math.max(1, x(end) - x(start))}" height="${rowHeight - 2}" fill="${colour}"${outline}><title>${escapeHtml(title)}</title></rect>`;
    })
    .join("");
  const labels = processes
    .map(
      (process, index) =>
        `<text class="timeline-row" x="2" y="${top + index * rowHeight + 7}" font-size="8">p${escapeHtml(process)}</text>`,
    )
    .join("");
  const axis = `<text x="${left}" y="${height - 4}" font-size="9">0 ms</text><text x="${width - 70}" y="${height - 4}" font-size="9">${endMs.toFixed(0)} ms</text>`;
  const note =
    shown.length < operations.length
      ? `<p>${shown.length} of ${operations.length} operations drawn (every anomalous one).</p>`
      : "";
  return `${note}<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${bands}${labels}${bars}${axis}</svg>`;
}

/** Completed operations' latency (log scale) against their start time. */
export function latencySvg(operations: readonly Operation[], endMs: number): string {
  const done = operations.filter(
    (operation) => operation.returnTimeMs !== undefined && Number.isFinite(operation.returnTimeMs),
  );
  const height = 220;
  const points = sampled(done, () => false, pointsMax);
  const latency = (operation: Operation) =>
    Math.max(0.1, (operation.returnTimeMs ?? 0) - (operation.callTimeMs ?? 0));
  const maxMs = points.reduce((most, operation) => Math.max(most, latency(operation)), 10);
  const logMax = Math.log10(maxMs * 1.2);
  const logMin = -1;
  const y = (ms: number) =>
    number(height - 20 - ((height - 30) * (Math.log10(ms) - logMin)) / (logMax - logMin));
  const x = (ms: number) => number(left + ((width - left - 10) * ms) / Math.max(1, endMs));
  const dots = points
    .map((operation) => {
      const colour =
        operation.status === "ok" ? "#2f6fb0" : operation.status === "fail" ? "#9a9a9a" : "#e39b2d";
      return `<circle cx="${x(operation.callTimeMs ?? 0)}" cy="${y(latency(operation))}" r="1.6" fill="${colour}"/>`;
    })
    .join("");
  const ticks = [0.1, 1, 10, 100, 1000, 10000]
    .filter((ms) => ms <= maxMs * 1.2)
    .map(
      (ms) =>
        `<line x1="${left}" x2="${width - 10}" y1="${y(ms)}" y2="${y(ms)}" stroke="#ddd"/><text x="2" y="${y(ms) + 3}" font-size="9">${ms} ms</text>`,
    )
    .join("");
  return `<svg class="latency" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${ticks}${dots}<text x="${left}" y="${height - 4}" font-size="9">0 ms</text><text x="${width - 70}" y="${height - 4}" font-size="9">${endMs.toFixed(0)} ms</text></svg>`;
}
