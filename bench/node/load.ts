/**
 * A closed-loop load generator: `concurrency` workers, each with one request outstanding, issue
 * requests back to back for a warm-up and then a measured window. Throughput counts requests
 * completed inside the window; latencies are those of requests started inside it. Lean on
 * purpose: one timestamp pair per request and a preallocated sample buffer, so the generator
 * shares the machine's CPUs with the cluster as little as it can.
 */

export interface LoadResult {
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  completed: number;
  errors: number;
  firstError?: string;
}

/** One request; it resolves when acknowledged and rejects on a failure. */
export type Operation = (worker: number) => Promise<void>;

export async function runLoad(
  operation: Operation,
  concurrency: number,
  warmupMs: number,
  durationMs: number,
): Promise<LoadResult> {
  const startMs = performance.now() + warmupMs;
  const endMs = startMs + durationMs;
  let latenciesMs = new Float64Array(1 << 16);
  let samples = 0;
  let completed = 0;
  let errors = 0;
  let firstError: string | undefined;
  const worker = async (index: number) => {
    for (;;) {
      const sentMs = performance.now();
      if (sentMs >= endMs) return;
      try {
        await operation(index);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
        continue;
      }
      const doneMs = performance.now();
      if (doneMs >= startMs && doneMs < endMs) completed++;
      if (sentMs >= startMs && doneMs < endMs) {
        if (samples === latenciesMs.length) {
          const grown = new Float64Array(samples * 2);
          grown.set(latenciesMs);
          latenciesMs = grown;
        }
        latenciesMs[samples++] = doneMs - sentMs;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  const sorted = latenciesMs.subarray(0, samples).sort();
  const percentile = (p: number) =>
    sorted[Math.min(samples - 1, Math.floor(p * samples))] ?? Number.NaN;
  return {
    opsPerSecond: completed / (durationMs / 1000),
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
    completed,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

/** A random key and a fixed value of `valueBytes` bytes, as the benchmark writes them. */
export function randomKey(): string {
  return `key:${Math.floor(Math.random() * 1_000_000_000)}`;
}

export function valueOfBytes(valueBytes: number): string {
  return "v".repeat(valueBytes);
}
