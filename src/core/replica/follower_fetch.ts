/**
 * The follower's side of pull replication: the fetch it sends and what it makes of a leader's
 * divergence answer (KIP-595). Pure functions over the state the replica holds.
 */
import { type Offset, offset } from "../types.js";
import type { ReplicaConfig } from "./config.js";
import type { Divergence, FetchBody } from "./leader_fetches.js";
import type { ReplicaLog } from "./log.js";
import type { SnapshotPosition } from "./snapshot_transfer.js";

/** The fetch a follower has sent and not yet had answered. */
export interface FetchInFlight {
  id: number;
  sentTick: number;
}

/** A fetch unanswered this long was lost (a parked fetch is answered within its wait). */
export function fetchTimedOut(
  inFlight: FetchInFlight | undefined,
  nowTick: number,
  config: ReplicaConfig,
): boolean {
  const fetchTimeoutTicks = config.fetchWaitTicksMax + 2 * config.heartbeatTicks;
  return inFlight !== undefined && nowTick - inFlight.sentTick > fetchTimeoutTicks;
}

/** What the follower tells the leader with each fetch. */
export interface FollowerFetchView {
  config: ReplicaConfig;
  log: ReplicaLog;
  durableOffset: Offset;
  ackedRound: number;
  commit: Offset;
  snapshot: SnapshotPosition | undefined;
}

export function fetchRequest(fetchId: number, follower: FollowerFetchView): FetchBody {
  const { config, log, snapshot } = follower;
  return {
    kind: "fetch",
    fetchId,
    fetchOffset: log.leo,
    lastFetchedEpoch: log.lastEpoch,
    durableOffset: follower.durableOffset,
    recordsMax: config.fetchRecordsMax,
    waitTicksMax: config.fetchWaitTicksMax as FetchBody["waitTicksMax"],
    ackedRound: follower.ackedRound,
    commit: follower.commit,
    ...(snapshot === undefined ? {} : { snapshot }),
  };
}

/** KIP-595: truncate to the end of the diverging epoch, as far as our own log agrees. */
export function divergenceTruncation(log: ReplicaLog, diverging: NonNullable<Divergence>): Offset {
  const ours = log.endOffsetForEpoch(diverging.epoch);
  return offset(Math.min(diverging.endOffset, ours.endOffset));
}
