/**
 * A request-latency histogram by outcome, cheap enough for every command: a Map lookup and a
 * bucket search on the request path (prom-client's Histogram hashes its labels on each
 * observation, a tenth of a GET's time), handed to prom-client as a custom metric when scraped,
 * in the exposition a prom-client Histogram would give.
 */
import type { Metric, Registry } from "prom-client";

interface Tally {
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName: string;
}

export class LatencyHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly tallies = new Map<string, Tally>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly upperBounds: readonly number[],
    registry: Registry,
  ) {
    // The registry reads any object with name, help, type and get() (registry.js
    // getMetricsAsString); its typings only name prom-client's own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  observe(outcome: string, seconds: number): void {
    let tally = this.tallies.get(outcome);
    if (tally === undefined) {
      tally = { buckets: new Float64Array(this.upperBounds.length + 1), sum: 0, count: 0 };
      this.tallies.set(outcome, tally);
    }
    let bucket = 0;
    while (bucket < this.upperBounds.length && seconds > (this.upperBounds[bucket] as number)) {
      bucket++;
    }
    (tally.buckets[bucket] as number)++;
    tally.sum += seconds;
    tally.count++;
  }

  /** Observations of `outcome` so far. */
  count(outcome: string): number {
    return this.tallies.get(outcome)?.count ?? 0;
  }

  outcomes(): IterableIterator<string> {
    return this.tallies.keys();
  }

  /** prom-client's metric interface: Registry.resetMetrics calls it on every metric. */
  reset(): void {
    this.tallies.clear();
  }

  /** prom-client's metric interface: the samples of `_bucket`, `_sum` and `_count`. */
  get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: Sample[];
  }> {
    const values: Sample[] = [];
    for (const [outcome, tally] of this.tallies) {
      let cumulative = 0;
      this.upperBounds.forEach((le, index) => {
        cumulative += tally.buckets[index] as number;
        values.push({
          value: cumulative,
          labels: { le, outcome },
          metricName: `${this.name}_bucket`,
        });
      });
      const all = { value: tally.count, labels: { le: "+Inf", outcome } };
      values.push({ ...all, metricName: `${this.name}_bucket` });
      values.push({ value: tally.sum, labels: { outcome }, metricName: `${this.name}_sum` });
      values.push({ value: tally.count, labels: { outcome }, metricName: `${this.name}_count` });
    }
    const { name, help, type, aggregator } = this;
    return Promise.resolve({ name, help, type, aggregator, values });
  }
}
