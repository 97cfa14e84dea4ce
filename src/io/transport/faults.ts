/**
 * Run-time fault injection for the lab (issue 6): partitions by blocking links, loss and delay.
 * Everything is off by default, and while nothing is set the transport checks one boolean.
 *
 * - `blockedTo`: messages to these nodes are dropped at `send`; `blockedFrom`: messages from them
 *   are dropped on arrival. Blocking both ways on every node of one side makes a symmetric
 *   partition; one list alone makes an asymmetric one.
 * - `lossRate`, `delayMs`, `delayJitterMs` apply to outgoing messages only, so a link's loss and
 *   latency are set on its sending node and never counted twice. Delayed messages keep their
 *   order while the jitter is 0 (timers of one duration fire in the order they were set); jitter
 *   draws a delay per message and so reorders, as a real network may.
 *
 * Randomness is injected so that a test, or a seeded lab run, decides loss deterministically.
 */
import type { NodeId } from "../../core/types.js";
import { assert } from "../../util/assert.js";

export interface FaultSettings {
  readonly blockedTo: readonly NodeId[];
  readonly blockedFrom: readonly NodeId[];
  /** Probability in [0, 1] that an outgoing message is lost. */
  readonly lossRate: number;
  readonly delayMs: number;
  /** Each delayed message waits `delayMs` plus a uniform draw in [0, delayJitterMs). */
  readonly delayJitterMs: number;
}

export const noFaults: FaultSettings = {
  blockedTo: [],
  blockedFrom: [],
  lossRate: 0,
  delayMs: 0,
  delayJitterMs: 0,
};

export class TransportFaults {
  private current: FaultSettings = noFaults;
  private blockedTo = new Set<NodeId>();
  private blockedFrom = new Set<NodeId>();
  /** True when any fault is set; the only check on the path of a message otherwise. */
  active = false;

  constructor(private readonly random: () => number) {}

  /** Replaces the fields given; the others keep their current value. */
  set(settings: Partial<FaultSettings>): void {
    const next = { ...this.current, ...settings };
    assert(next.lossRate >= 0 && next.lossRate <= 1, () => `lossRate ${next.lossRate}`);
    assert(next.delayMs >= 0, () => `delayMs ${next.delayMs}`);
    assert(next.delayJitterMs >= 0, () => `delayJitterMs ${next.delayJitterMs}`);
    this.current = { ...next, blockedTo: [...next.blockedTo], blockedFrom: [...next.blockedFrom] };
    this.blockedTo = new Set(next.blockedTo);
    this.blockedFrom = new Set(next.blockedFrom);
    this.active =
      this.blockedTo.size > 0 ||
      this.blockedFrom.size > 0 ||
      next.lossRate > 0 ||
      next.delayMs > 0 ||
      next.delayJitterMs > 0;
  }

  clear(): void {
    this.set(noFaults);
  }

  get settings(): FaultSettings {
    return this.current;
  }

  /** Whether a message to `to` is blocked or lost. Draws randomness only when loss is on. */
  dropsOutgoing(to: NodeId): boolean {
    if (this.blockedTo.has(to)) return true;
    return this.current.lossRate > 0 && this.random() < this.current.lossRate;
  }

  dropsIncoming(from: NodeId): boolean {
    return this.blockedFrom.has(from);
  }

  get delays(): boolean {
    return this.current.delayMs > 0 || this.current.delayJitterMs > 0;
  }

  /** The hold time of one outgoing message. */
  delayMsNext(): number {
    const { delayMs, delayJitterMs } = this.current;
    return delayJitterMs > 0 ? delayMs + this.random() * delayJitterMs : delayMs;
  }
}
