/**
 * What a leader's node knows of its followers, learned from the fetches that pass through the
 * driver: each fetch names the follower's log end and durable offset (DESIGN.md §4). The replica
 * keeps the same knowledge privately for its commit rule; the node needs it for `WAIT`-style
 * counts and for status, so it reads the same messages rather than reaching into the core.
 *
 * A fetch whose position diverges from the leader's log (the leader would answer `diverging`)
 * says nothing about what the follower holds of this log, so it is not recorded.
 */
import type { Message, Replica } from "../../core/replica/index.js";
import type { NodeId, Offset } from "../../core/types.js";
import { offset } from "../../core/types.js";

export interface FollowerPosition {
  leo: Offset;
  durableOffset: Offset;
  lastFetchAtMs: number;
}

export class FollowerProgress {
  private readonly positions = new Map<NodeId, FollowerPosition>();
  private epoch = -1;

  /** Records a fetch the leader `replica` is about to step. */
  observe(replica: Replica, message: Message, nowMs: number): void {
    if (message.body.kind !== "fetch" || replica.role !== "leader") return;
    this.resetOnNewEpoch(replica);
    if (message.epoch !== replica.epoch) return;
    const { fetchOffset, lastFetchedEpoch, durableOffset } = message.body;
    const end = replica.log.endOffsetForEpoch(lastFetchedEpoch);
    if (end.epoch !== lastFetchedEpoch || end.endOffset < fetchOffset) return;
    const leo = offset(Math.min(fetchOffset, replica.log.leo));
    this.positions.set(message.from, {
      leo,
      durableOffset: offset(Math.min(durableOffset, leo)),
      lastFetchAtMs: nowMs,
    });
  }

  /** Followers known in the leader's current epoch; empty unless `replica` leads. */
  followers(replica: Replica): ReadonlyMap<NodeId, FollowerPosition> {
    if (replica.role !== "leader") return new Map();
    this.resetOnNewEpoch(replica);
    return this.positions;
  }

  /** Replicas holding the log up to `target`, the leader included; 0 unless `replica` leads. */
  countHolding(replica: Replica, target: Offset): number {
    if (replica.role !== "leader") return 0;
    let count = replica.log.leo >= target ? 1 : 0;
    for (const position of this.followers(replica).values()) if (position.leo >= target) count++;
    return count;
  }

  private resetOnNewEpoch(replica: Replica): void {
    if (replica.epoch === this.epoch) return;
    this.epoch = replica.epoch;
    this.positions.clear();
  }
}
