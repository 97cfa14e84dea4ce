/**
 * Read-concern evaluation: reads wait here until the replica's state can answer them at the
 * level asked for (DESIGN.md §7), then are answered as of one offset, which the reply names.
 *
 * - `local`/`available`: the applied state, which may include records later rolled back;
 * - `majority`: the state as of the replica's commit offset (MVCC), never rolled back;
 * - `snapshot`: the state as of `atOffset`, once committed;
 * - `linearizable`: ReadIndex (Raft thesis §6.4) — once the leader's own epoch has committed,
 *   start a round; when a majority has acknowledged it, read as of the commit offset.
 * `afterOffset` (causal sessions) waits until the level's bound reaches it.
 */
import { assert, unreachable } from "../../util/assert.js";
import type { KvQuery, KvQueryResult } from "../state/kv_ops.js";
import type { NodeId, Offset } from "../types.js";
import type { ClientReply, ReadRequest } from "./types.js";

export interface ReadView {
  isLeader: boolean;
  applied: Offset;
  commit: Offset;
  /** The oldest offset the state machine can still answer at. */
  horizon: Offset;
  /** The leader has committed a record of its own epoch (its no-op). */
  ownEpochCommitted: boolean;
  /** The newest read round a majority has acknowledged. */
  confirmedRound(): number;
  /** Starts a read round and returns its number. */
  startRound(): number;
  query(query: KvQuery, atOffset: Offset, nowMs: number): KvQueryResult;
}

interface ParkedRead {
  request: ReadRequest;
  deadlineTick: number;
  round?: number;
}

export class ParkedReads {
  private reads: ParkedRead[] = [];

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.reads.length;
  }

  get full(): boolean {
    return this.reads.length >= this.limit;
  }

  add(read: ParkedRead): void {
    assert(
      this.reads.length < this.limit,
      () => `parked reads ${this.reads.length} at limit ${this.limit}`,
    );
    this.reads.push(read);
  }

  /**
   * A new read: answered at once when its condition holds, else parked; false when it must wait
   * and no room is left. Only its own condition is checked (a new read changes no other read's),
   * so a burst of reads costs O(1) each.
   */
  admit(read: ParkedRead, view: ReadView, replies: ClientReply[]): boolean {
    if (!this.waits(read, view, replies, () => view.startRound())) return true;
    if (this.full) return false;
    this.add(read);
    return true;
  }

  /** Answers every read whose condition holds in `view`; new rounds start once, shared. */
  serve(view: ReadView, replies: ClientReply[]): void {
    let round: number | undefined;
    const sharedRound = (): number => {
      round ??= view.startRound();
      return round;
    };
    this.reads = this.reads.filter((read) => this.waits(read, view, replies, sharedRound));
  }

  /** Answers `read` if its condition holds in `view` and returns false, else returns true. */
  private waits(
    read: ParkedRead,
    view: ReadView,
    replies: ClientReply[],
    roundFor: () => number,
  ): boolean {
    const { concern, query, nowMs, id } = read.request;
    if (concern.level === "linearizable") {
      if (!view.isLeader) {
        replies.push({ kind: "read", id, outcome: { kind: "rejected", reason: "not_leader" } });
        return false;
      }
      if (read.round === undefined) {
        if (!view.ownEpochCommitted) return true;
        read.round = roundFor();
      }
      if (view.confirmedRound() < read.round) return true;
    }
    if (concern.level === "snapshot" && (concern.atOffset ?? 0) < view.horizon) {
      const detail = `offset ${concern.atOffset} is below the history horizon ${view.horizon}`;
      replies.push({
        kind: "read",
        id,
        outcome: { kind: "rejected", reason: "snapshot_too_old", detail },
      });
      return false;
    }
    const bound = readBound(read.request, view.applied, view.commit);
    if (bound === undefined) return true;
    replies.push({
      kind: "read",
      id,
      outcome: { kind: "ok", result: view.query(query, bound, nowMs), offset: bound },
    });
    return false;
  }

  expire(nowTick: number, replies: ClientReply[]): void {
    if (this.reads.length === 0) return;
    this.reads = this.reads.filter((read) => {
      if (read.deadlineTick > nowTick) return true;
      replies.push({ kind: "read", id: read.request.id, outcome: { kind: "timeout" } });
      return false;
    });
  }

  /** Leadership was lost: reads that only a leader may answer are refused. */
  rejectLeaderOnly(replies: ClientReply[], hint: { leader?: NodeId }): void {
    this.reads = this.reads.filter((read) => {
      const { concern } = read.request;
      if (concern.level !== "linearizable" && (concern.readPreference ?? "primary") !== "primary")
        return true;
      replies.push({
        kind: "read",
        id: read.request.id,
        outcome: { kind: "rejected", reason: "not_leader", ...hint },
      });
      return false;
    });
  }

  /** Lowers a garbage-collection horizon so that no waiting snapshot read loses its versions. */
  horizonBound(horizon: Offset): Offset {
    let bound = horizon;
    for (const { request } of this.reads) {
      const at = request.concern.atOffset;
      if (request.concern.level === "snapshot" && at !== undefined && at < bound) bound = at;
    }
    return bound;
  }
}

/**
 * The offset to answer at given the replica's applied and commit offsets, or undefined if the
 * read must wait (a linearizable read's round is checked before).
 */
export function readBound(
  request: ReadRequest,
  applied: Offset,
  commit: Offset,
): Offset | undefined {
  const { concern } = request;
  const after = concern.afterOffset ?? 0;
  switch (concern.level) {
    case "local":
    case "available":
      return applied >= after ? applied : undefined;
    case "majority":
    case "linearizable":
      return commit >= after ? commit : undefined;
    case "snapshot": {
      const at = concern.atOffset as Offset;
      return commit >= at && commit >= after ? at : undefined;
    }
    default:
      return unreachable(concern.level);
  }
}
