/**
 * What an operator needs in the node's log to explain a failover: every change of a shard
 * replica's role, epoch or leader, and every stall of the event loop long enough to matter to
 * elections (a blocked leader stops answering fetches; a blocked follower stops fetching).
 * Sampled by a timer, so a change is logged within `intervalMs` of happening.
 */
import type { Logger } from "pino";
import type { ShardView } from "../api/index.js";

export interface HealthLogOptions {
  intervalMs: number;
  /** A timer late by at least this much is logged as a stall. */
  stallWarnMs: number;
}

export class HealthLog {
  private timer: NodeJS.Timeout | undefined;
  private readonly seen = new Map<number, string>();
  private lastMs = 0;

  constructor(
    private readonly shards: () => readonly ShardView[],
    private readonly logger: Logger,
    private readonly options: HealthLogOptions,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  start(): void {
    this.lastMs = this.nowMs();
    this.check();
    this.timer = setInterval(() => this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** One sample: logs a stall since the last one, and each shard whose role changed. */
  check(): void {
    const nowMs = this.nowMs();
    const lateMs = nowMs - this.lastMs - this.options.intervalMs;
    this.lastMs = nowMs;
    if (lateMs >= this.options.stallWarnMs) {
      this.logger.warn({ blockedMs: Math.round(lateMs) }, "event loop was blocked");
    }
    for (const shard of this.shards()) {
      const role = `${shard.role} ${shard.epoch} ${shard.leader ?? "none"}`;
      const before = this.seen.get(shard.shard);
      if (before === role) continue;
      this.seen.set(shard.shard, role);
      if (before === undefined) continue;
      const fields = { shard: shard.shard, role: shard.role, epoch: shard.epoch, leo: shard.leo };
      this.logger.info(
        { ...fields, leader: shard.leader ?? null, commit: shard.commit },
        "role changed",
      );
    }
  }
}
