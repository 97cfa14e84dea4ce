/**
 * The node's Prometheus metrics (prom-client), served at the admin endpoint's `/metrics`.
 * Request outcomes and latencies are recorded as they happen; log positions, fsync counts and
 * peer message counters are read from their owners when scraped.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ShardView } from "../api/index.js";

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
  private readonly writes = new Map<string, number>();
  private readonly reads = new Map<string, number>();
  private readonly writeSeconds: Histogram<"outcome">;
  private readonly readSeconds: Histogram<"outcome">;
  private readonly fsyncSeconds: Histogram;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    // Tallied in plain maps on the request path, handed to prom-client only when scraped.
    const byOutcome = (name: string, help: string, tally: Map<string, number>) =>
      new Counter({
        name,
        help,
        labelNames: ["outcome"],
        registers,
        collect() {
          this.reset();
          for (const [outcome, count] of tally) this.inc({ outcome }, count);
        },
      });
    byOutcome(
      "onelog_writes_total",
      "Writes answered, by outcome (ok, rejected, timeout, unknown).",
      this.writes,
    );
    byOutcome(
      "onelog_reads_total",
      "Reads answered, by outcome (ok, rejected, timeout).",
      this.reads,
    );
    this.writeSeconds = new Histogram({
      name: "onelog_write_duration_seconds",
      help: "Time from a write's arrival to its answer.",
      labelNames: ["outcome"],
      buckets: latencyBucketsSeconds,
      registers,
    });
    this.readSeconds = new Histogram({
      name: "onelog_read_duration_seconds",
      help: "Time from a read's arrival to its answer.",
      labelNames: ["outcome"],
      buckets: latencyBucketsSeconds,
      registers,
    });
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
    this.writes.set(outcome, (this.writes.get(outcome) ?? 0) + 1);
    this.writeSeconds.observe({ outcome }, seconds);
  }

  recordRead(outcome: string, seconds: number): void {
    this.reads.set(outcome, (this.reads.get(outcome) ?? 0) + 1);
    this.readSeconds.observe({ outcome }, seconds);
  }

  recordFsync(seconds: number): void {
    this.fsyncSeconds.observe(seconds);
  }
}
