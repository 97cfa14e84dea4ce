/**
 * Write-concern evaluation: which writes may be answered now. Each concern reaches some offset
 * (exclusive) given what the leader knows; every pending write with that concern whose record
 * ends at or below it is satisfied. A timeout answers the write but never undoes it.
 */
import { assert } from "../../util/assert.js";
import { type CommitView, offsetHeldBy, quorumSize } from "../policy/commit.js";
import type { KvResult } from "../state/kv_ops.js";
import { minOffset, type Offset } from "../types.js";
import type { ClientReply, RejectReason, RequestId, WriteConcern } from "./types.js";

/** Why a concern can never be met on this shard, or undefined if it can. */
export function unsatisfiableReason(
  concern: WriteConcern,
  memberCount: number,
  durabilityAvailable: boolean,
): { reason: RejectReason; detail: string } | undefined {
  const { w } = concern;
  if (typeof w === "number" && (!Number.isInteger(w) || w < 0)) {
    return {
      reason: "invalid",
      detail: `w must be a non-negative integer, "majority" or "all", got ${w}`,
    };
  }
  if (typeof w === "number" && w > memberCount) {
    return { reason: "unsatisfiable", detail: `w:${w} but the shard has ${memberCount} replicas` };
  }
  if (concern.j === true && !durabilityAvailable) {
    return { reason: "unsatisfiable", detail: "j requested but the shard's fsync policy is none" };
  }
  if (concern.timeoutMs !== undefined && !(concern.timeoutMs >= 0)) {
    return { reason: "invalid", detail: `timeoutMs must be >= 0, got ${concern.timeoutMs}` };
  }
  return undefined;
}

/** The exclusive offset up to which writes with `concern` are satisfied. */
export function concernReached(concern: WriteConcern, view: CommitView): Offset {
  const durable = concern.j === true;
  const { w } = concern;
  if (w === "majority") {
    if (!durable || view.requireDurable) return view.commit;
    const durableMajority = offsetHeldBy(view, quorumSize(view.members.length), true);
    return minOffset(durableMajority, view.commit);
  }
  const count = w === "all" ? view.members.length : w;
  assert(count >= 1, () => `concernReached for w:${w}`);
  return offsetHeldBy(view, count, durable);
}

/**
 * Whether the leader's append alone meets `concern` (w:0, or w:1 without j): concernReached is
 * then the end of the leader's log, so such a write is answered as it is appended, never queued.
 */
export const metByAppend = (concern: WriteConcern): boolean =>
  concern.w === 0 || (concern.w === 1 && concern.j !== true);

interface PendingWrite {
  id: RequestId;
  /** Exclusive end of the write's record. */
  end: Offset;
  result: KvResult;
  deadlineTick: number;
}

/**
 * Writes waiting for their concern, one FIFO queue per distinct concern: records are appended in
 * offset order, so each queue completes from its front.
 */
type ConcernQueue = { concern: WriteConcern; writes: PendingWrite[] };

export class PendingWrites {
  private readonly queues = new Map<string, ConcernQueue>();
  /** The queue of the last concern object added, which the next write nearly always shares. */
  private last: ConcernQueue | undefined;
  private count = 0;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.limit;
  }

  add(concern: WriteConcern, write: PendingWrite): void {
    assert(this.count < this.limit, () => `pending writes ${this.count} at limit ${this.limit}`);
    const queue = this.queueOf(concern);
    const last = queue.writes.at(-1);
    assert(
      last === undefined || last.end < write.end,
      () => `pending write ${write.end} after ${last?.end}`,
    );
    queue.writes.push(write);
    this.count++;
  }

  private queueOf(concern: WriteConcern): ConcernQueue {
    if (this.last?.concern === concern) return this.last;
    const key = `${concern.w}/${concern.j === true}`;
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = { concern, writes: [] };
      this.queues.set(key, queue);
    }
    this.last = queue;
    return queue;
  }

  /** Answers every write whose concern is reached in `view`. */
  complete(view: CommitView, replies: ClientReply[]): void {
    for (const queue of this.queues.values()) {
      const reached = concernReached(queue.concern, view);
      let done = 0;
      while (done < queue.writes.length && (queue.writes[done] as PendingWrite).end <= reached) {
        const { id, end, result } = queue.writes[done] as PendingWrite;
        replies.push({ kind: "write", id, outcome: { kind: "ok", offset: end, result } });
        done++;
      }
      this.remove(queue.writes, done);
    }
  }

  /** Answers `timeout` to every write whose deadline has passed; the writes stay in the log. */
  expire(nowTick: number, replies: ClientReply[]): void {
    for (const queue of this.queues.values()) {
      const kept = queue.writes.filter((write) => {
        if (write.deadlineTick > nowTick) return true;
        replies.push({
          kind: "write",
          id: write.id,
          outcome: { kind: "timeout", offset: write.end, result: write.result },
        });
        return false;
      });
      this.count -= queue.writes.length - kept.length;
      queue.writes = kept;
    }
  }

  /** Leadership was lost: every waiting write may or may not survive. */
  abandon(replies: ClientReply[]): void {
    for (const queue of this.queues.values()) {
      for (const write of queue.writes) {
        replies.push({
          kind: "write",
          id: write.id,
          outcome: { kind: "unknown", offset: write.end },
        });
      }
    }
    this.queues.clear();
    this.last = undefined;
    this.count = 0;
  }

  private remove(writes: PendingWrite[], done: number): void {
    if (done === 0) return;
    writes.splice(0, done);
    this.count -= done;
  }
}
