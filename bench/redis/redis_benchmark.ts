/** Runs `redis-benchmark ... --csv` and reads its rows (redis-benchmark 7: rps and percentiles). */
import { spawn } from "node:child_process";

export interface BenchRow {
  test: string;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export function redisBenchmark(
  args: readonly string[],
): Promise<{ rows: BenchRow[]; command: string }> {
  const command = `redis-benchmark ${args.join(" ")}`;
  return new Promise((resolve, reject) => {
    // Options first: after a custom command (EVAL ...), every argument is the command's.
    const child = spawn("redis-benchmark", ["--csv", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`${command} exited ${code}: ${err}${out}`));
      resolve({ rows: parseCsv(out), command });
    });
  });
}

/**
 * `"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"`,
 * every cell quoted (a custom command's name may hold commas).
 */
export function parseCsv(text: string): BenchRow[] {
  const lines = text.trim().split("\n").slice(1);
  return lines.map((line) => {
    const cells = [...line.matchAll(/"([^"]*)"/g)].map((match) => match[1]);
    return {
      test: cells[0] ?? "?",
      opsPerSecond: Number(cells[1]),
      p50Ms: Number(cells[4]),
      p99Ms: Number(cells[6]),
    };
  });
}
