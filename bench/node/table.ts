/** The benchmark's closing table: per concurrency, etcd and onelog side by side with ratios. */
import type { LoadResult } from "./load.js";
import type { Generator } from "./onelog_set.js";

export interface Row {
  concurrency: number;
  etcd: LoadResult;
  onelog: Partial<Record<Generator, LoadResult>>;
}

/** The faster onelog generator of a row, if onelog ran. */
export function fastest(row: Row): [Generator, LoadResult] | undefined {
  const entries = Object.entries(row.onelog) as Array<[Generator, LoadResult]>;
  return entries.sort((a, b) => b[1].opsPerSecond - a[1].opsPerSecond)[0];
}

export function printTable(
  rows: Row[],
  settings: { durationMs: number; warmupMs: number; valueBytes: number },
): void {
  const lines = [
    `W majority, ${settings.valueBytes}-byte values, random keys; ${settings.warmupMs} ms warm-up, ${settings.durationMs} ms measured per cell`,
    "",
    "| conc | etcd ops/s | etcd p50 ms | etcd p99 ms | onelog ops/s | onelog p50 ms | onelog p99 ms | generator | ops ratio | p99 ratio | goal |",
    "|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
  ];
  for (const row of rows) {
    const best = fastest(row);
    const etcd = row.etcd;
    const cells = [String(row.concurrency), ops(etcd), ms(etcd.p50Ms), ms(etcd.p99Ms)];
    if (best === undefined) cells.push("-", "-", "-", "-", "-", "-", "-");
    else {
      const [generator, onelog] = best;
      const opsRatio = onelog.opsPerSecond / etcd.opsPerSecond;
      const p99Ratio = onelog.p99Ms / etcd.p99Ms;
      const met = opsRatio >= 2 && p99Ratio <= 1 ? "met" : "missed";
      cells.push(
        ops(onelog),
        ms(onelog.p50Ms),
        ms(onelog.p99Ms),
        generator,
        `${opsRatio.toFixed(2)}x`,
        `${p99Ratio.toFixed(2)}x`,
        met,
      );
    }
    lines.push(`| ${cells.join(" | ")} |`);
  }
  console.log(lines.join("\n"));
}

const ops = (result: LoadResult) => String(Math.round(result.opsPerSecond));
const ms = (value: number) => value.toFixed(2);
