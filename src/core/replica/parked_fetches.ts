/**
 * Fetches a leader holds until it has something to tell (long polling, like Kafka's
 * `fetch.max.wait.ms`): at most one per follower, its newest. Answering is the replica's job;
 * this only keeps them, in Map order (a follower that parks again keeps its place).
 */
import type { NodeId } from "../types.js";
import type { FetchBody } from "./leader_fetches.js";

export interface ParkedFetch {
  follower: NodeId;
  body: FetchBody;
}

export class ParkedFetches {
  private readonly parked = new Map<NodeId, { body: FetchBody; deadlineTick: number }>();

  park(follower: NodeId, body: FetchBody, deadlineTick: number): void {
    this.parked.set(follower, { body, deadlineTick });
  }

  /** Removes and returns every parked fetch. */
  takeAll(): ParkedFetch[] {
    const all = [...this.parked].map(([follower, { body }]) => ({ follower, body }));
    this.parked.clear();
    return all;
  }

  /** Brings every parked fetch's deadline forward to `deadlineTick`, if it is later. */
  answerBy(deadlineTick: number): void {
    for (const parked of this.parked.values()) {
      if (parked.deadlineTick > deadlineTick) parked.deadlineTick = deadlineTick;
    }
  }

  /** Removes and returns the fetches whose deadline has come by `nowTick`. */
  takeExpired(nowTick: number): ParkedFetch[] {
    const expired: ParkedFetch[] = [];
    for (const [follower, { body, deadlineTick }] of this.parked) {
      if (deadlineTick <= nowTick) {
        this.parked.delete(follower);
        expired.push({ follower, body });
      }
    }
    return expired;
  }

  clear(): void {
    this.parked.clear();
  }
}
