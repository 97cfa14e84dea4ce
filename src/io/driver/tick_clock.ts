/**
 * Real time into ticks: each pass asks how many whole ticks elapsed since the last one. After a
 * stall (a long GC pause, a stopped process, a slow fsync) the replicas catch up by at most
 * `catchUpTicksMax` ticks and the rest is dropped, so a resumed node sees time pass (its election
 * timer fires, as the simulator's paused nodes do) without running thousands of ticks at once.
 */
import { assert } from "../../util/assert.js";

export class TickClock {
  private lastTickAtMs: number;
  /** Ticks dropped after stalls, for status and tests. */
  droppedTicks = 0;

  constructor(
    private readonly tickMs: number,
    private readonly catchUpTicksMax: number,
    nowMs: number,
  ) {
    assert(tickMs > 0, () => `tickMs ${tickMs}`);
    assert(catchUpTicksMax >= 1, () => `catchUpTicksMax ${catchUpTicksMax}`);
    this.lastTickAtMs = nowMs;
  }

  /** The ticks due at `nowMs`; the clock then counts from the last whole tick. */
  due(nowMs: number): number {
    const elapsed = Math.floor((nowMs - this.lastTickAtMs) / this.tickMs);
    if (elapsed <= 0) return 0;
    if (elapsed > this.catchUpTicksMax) {
      this.droppedTicks += elapsed - this.catchUpTicksMax;
      this.lastTickAtMs = nowMs;
      return this.catchUpTicksMax;
    }
    this.lastTickAtMs += elapsed * this.tickMs;
    return elapsed;
  }
}
