/**
 * The node's Prometheus metrics (prom-client), served at the admin endpoint's `/metrics`.
 * Request outcomes and latencies are recorded as they happen; log positions, fsync counts and
 * peer message counters are read from their owners when scraped.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ShardView } from "../api/index.js";
import { LatencyHistogram } from "./latency_histogram.js";

export interface MetricSources {
  shards(): readonly ShardView[];
  fsyncCount(): number;
  peers(): { sent: number; received: number; dropped: number; faultDropped: number };
}

const latencyBucketsSeconds = [
  0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

export class NodeMetrics {
  readonly registry = new Registry();
  private readonly writeSeconds: LatencyHistogram;
  private readonly readSeconds: LatencyHistogram;
  private readonly fsyncSeconds: Histogram;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    this.writeSeconds = new LatencyHistogram(
      "onelog_write_duration_seconds",
      "Time from a write's arrival to its answer.",
      latencyBucketsSeconds,
      this.registry,
    );
    this.readSeconds = new LatencyHistogram(
      "onelog_read_duration_seconds",
      "Time from a read's arrival to its answer.",
      latencyBucketsSeconds,
      this.registry,
    );
    // The totals by outcome are the histograms' counts, read when scraped.
    const byOutcome = (name: string, help: string, histogram: LatencyHistogram) =>
      new Counter({
        name,
        help,
        labelNames: ["outcome"],
        registers,
        collect() {
          this.reset();
          for (const outcome of histogram.outcomes()) {
            this.inc({ outcome }, histogram.count(outcome));
          }
        },
      });
    byOutcome(
      "onelog_writes_total",
      "Writes answered, by outcome (ok, rejected, timeout, unknown).",
      this.writeSeconds,
    );
    byOutcome(
      "onelog_reads_total",
      "Reads answered, by outcome (ok, rejected, timeout).",
      this.readSeconds,
    );
    this.fsyncSeconds = new Histogram({
      name: "onelog_fsync_duration_seconds",
      help: "Duration of each fsync round of the Ready loop (one per round, for all shards).",
      buckets: latencyBucketsSeconds,
      registers,
    });
    const shardGauge = (name: string, help: string, pick: (shard: ShardView) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ["shard"],
        registers,
        collect() {
          for (const shard of sources.shards()) this.set({ shard: shard.shard }, pick(shard));
        },
      });
    shardGauge(
      "onelog_commit_offset",
      "The shard's commit offset as this node knows it.",
      (s) => s.commit,
    );
    shardGauge("onelog_leo", "This replica's log end offset.", (s) => s.leo);
    shardGauge("onelog_durable_offset", "This replica's synced log end.", (s) => s.durableOffset);
    shardGauge("onelog_epoch", "This replica's epoch.", (s) => s.epoch);
    shardGauge("onelog_is_leader", "1 if this node leads the shard.", (s) =>
      s.role === "leader" ? 1 : 0,
    );
    const total = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    total("onelog_fsync_total", "fsync rounds of the Ready loop.", () => sources.fsyncCount());
    total(
      "onelog_peer_messages_sent_total",
      "Messages written to peers.",
      () => sources.peers().sent,
    );
    total(
      "onelog_peer_messages_received_total",
      "Messages received from peers.",
      () => sources.peers().received,
    );
    total(
      "onelog_peer_messages_dropped_total",
      "Messages lost to full queues, unknown peers or stops.",
      () => sources.peers().dropped,
    );
    total(
      "onelog_peer_messages_fault_dropped_total",
      "Messages dropped by injected faults.",
      () => sources.peers().faultDropped,
    );
  }

  recordWrite(outcome: string, seconds: number): void {
    this.writeSeconds.observe(outcome, seconds);
  }

  recordRead(outcome: string, seconds: number): void {
    this.readSeconds.observe(outcome, seconds);
  }

  recordFsync(seconds: number): void {
    this.fsyncSeconds.observe(seconds);
  }
}
