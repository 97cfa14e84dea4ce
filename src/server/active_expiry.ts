/**
 * Redis's active expiry on onelog's log (replication-semantics.md §3.1): replicas never expire
 * keys themselves; the leader finds keys whose expiry has passed and deletes them through the
 * log, so every replica applies the same DEL at the same offset. Until it applies, every replica
 * already hides a logically expired key (the state machine reads by `nowMs`). Redis runs this
 * cycle `hz` (10) times a second with a bounded effort; so does this loop.
 */
import type { Store } from "../api/index.js";

export interface ActiveExpiryOptions {
  readonly intervalMs: number;
  /** Keys deleted per cycle at most (Redis: ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP is 20 per db loop). */
  readonly keysPerCycleMax: number;
  onExpired?(count: number): void;
}

export class ActiveExpiry {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly store: Store,
    private readonly options: ActiveExpiryOptions = { intervalMs: 100, keysPerCycleMax: 200 },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.cycle(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One cycle: only the leader proposes; a cycle still running skips the next tick. */
  async cycle(): Promise<void> {
    if (this.running) return;
    if (this.store.topology().shards[0]?.role !== "leader") return;
    this.running = true;
    try {
      const read = await this.store.read(
        { kind: "expiredKeys", limit: this.options.keysPerCycleMax },
        { level: "local", readPreference: "primary" },
      );
      if (read.kind !== "ok" || read.result.kind !== "keys" || read.result.keys.length === 0)
        return;
      const written = await this.store.write({ kind: "del", keys: read.result.keys }, { w: 1 });
      if (written.kind === "ok") this.options.onExpired?.(read.result.keys.length);
    } finally {
      this.running = false;
    }
  }
}
