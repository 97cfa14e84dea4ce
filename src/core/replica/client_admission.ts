/**
 * Which client requests a replica refuses at the door, and when a waiting one gives up. Pure
 * functions over what the replica knows; the replica answers, appends or parks.
 */
import type { ReadOutcome, ReadRequest, WriteOutcome, WriteRequest } from "../concern/types.js";
import { unsatisfiableReason } from "../concern/write.js";
import type { NodeId, Offset } from "../types.js";
import type { ReplicaConfig } from "./config.js";

/** Where a request stands to be served: asked of the replica as it is now. */
export interface Admission {
  readonly config: ReplicaConfig;
  isLeader(): boolean;
  /** Who leads, for a refused client to retry there. */
  leaderHint(): { leader?: NodeId };
}

/** Why a write cannot be proposed, with `waiting` writes already pending; undefined if it can. */
export function writeRefusal(
  admission: Admission,
  memberCount: number,
  request: WriteRequest,
  waiting: number,
): WriteOutcome | undefined {
  const { config } = admission;
  if (!admission.isLeader())
    return { kind: "rejected", reason: "not_leader", ...admission.leaderHint() };
  const problem = unsatisfiableReason(request.concern, memberCount, config.syncEveryWrite);
  if (problem !== undefined) return { kind: "rejected", ...problem };
  if (waiting >= config.pendingWritesMax) {
    return { kind: "rejected", reason: "overloaded", detail: "too many writes waiting" };
  }
  return undefined;
}

/** Why a read cannot be served here at all; undefined if it can (at once or after waiting). */
export function readRefusal(
  admission: Admission,
  stalenessMs: number,
  horizonOffset: Offset,
  request: ReadRequest,
): ReadOutcome | undefined {
  const { concern } = request;
  const preference = concern.readPreference ?? "primary";
  const isLeader = admission.isLeader();
  if (!isLeader && (concern.level === "linearizable" || preference === "primary")) {
    return { kind: "rejected", reason: "not_leader", ...admission.leaderHint() };
  }
  if (isLeader && preference === "secondary") {
    return { kind: "rejected", reason: "not_secondary" };
  }
  if (concern.maxStalenessMs !== undefined && stalenessMs > concern.maxStalenessMs) {
    return {
      kind: "rejected",
      reason: "too_stale",
      detail: `staleness ${stalenessMs} ms exceeds ${concern.maxStalenessMs} ms`,
    };
  }
  if (concern.level === "snapshot") {
    if (concern.atOffset === undefined) {
      return { kind: "rejected", reason: "invalid", detail: "snapshot needs atOffset" };
    }
    if (concern.atOffset < horizonOffset) {
      return {
        kind: "rejected",
        reason: "snapshot_too_old",
        detail: `offset ${concern.atOffset} is below the history horizon ${horizonOffset}`,
      };
    }
  }
  return undefined;
}

/** The tick a request waiting `timeoutMs` gives up at; never, without a timeout. */
export function deadlineTick(
  nowTick: number,
  timeoutMs: number | undefined,
  tickMs: number,
): number {
  if (timeoutMs === undefined || timeoutMs === 0) return Number.POSITIVE_INFINITY;
  return nowTick + Math.max(1, Math.ceil(timeoutMs / tickMs));
}
