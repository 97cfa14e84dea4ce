/**
 * The leader's view of its followers, learned from their fetches (pull replication, as in Kafka
 * and MongoDB), and the answers it gives them. Pure functions over the state the replica holds.
 */
import type { MemberProgress } from "../policy/commit.js";
import { quorumSize } from "../policy/commit.js";
import { type NodeId, type Offset, offset } from "../types.js";
import type { ReplicaConfig } from "./config.js";
import type { ReplicaLog } from "./log.js";
import type { MessageBody } from "./messages.js";
import type { Snapshot } from "./snapshot.js";
import { snapshotChunk } from "./snapshot_transfer.js";

export interface FollowerProgress extends MemberProgress {
  lastFetchTick: number;
  ackedRound: number;
}

export type FetchBody = Extract<MessageBody, { kind: "fetch" }>;
export type FetchResponseBody = Extract<MessageBody, { kind: "fetch_response" }>;
export type Divergence = FetchResponseBody["diverging"];

/** Starts every member (this leader included) at offset 0, as heard from just now. */
export function resetProgress(
  progress: Map<NodeId, FollowerProgress>,
  members: readonly NodeId[],
  nowTick: number,
): void {
  progress.clear();
  for (const member of members) {
    progress.set(member, {
      leo: offset(0),
      durableOffset: offset(0),
      lastFetchTick: nowTick,
      ackedRound: 0,
    });
  }
}

/** Check-quorum: a majority (this leader included) fetched within the last election timeout. */
export function quorumActive(
  progress: ReadonlyMap<NodeId, FollowerProgress>,
  self: NodeId,
  memberCount: number,
  nowTick: number,
  electionTimeoutTicks: number,
): boolean {
  let active = 0;
  for (const [member, follower] of progress) {
    if (member === self || nowTick - follower.lastFetchTick <= electionTimeoutTicks) active++;
  }
  return active >= quorumSize(memberCount);
}

/** The lowest log end among followers that fetched within `liveTicks`; undefined if none did. */
export function slowestLiveLeo(
  progress: ReadonlyMap<NodeId, FollowerProgress>,
  self: NodeId,
  nowTick: number,
  liveTicks: number,
): Offset | undefined {
  let slowest: Offset | undefined;
  for (const [member, follower] of progress) {
    if (member === self || nowTick - follower.lastFetchTick > liveTicks) continue;
    if (slowest === undefined || follower.leo < slowest) slowest = follower.leo;
  }
  return slowest;
}

/** Followers not heard from for more than `quietTicks`, to announce ourselves to again. */
export function quietFollowers(
  progress: ReadonlyMap<NodeId, FollowerProgress>,
  self: NodeId,
  nowTick: number,
  quietTicks: number,
): NodeId[] {
  const quiet: NodeId[] = [];
  for (const [member, follower] of progress) {
    if (member !== self && nowTick - follower.lastFetchTick > quietTicks) quiet.push(member);
  }
  return quiet;
}

/** The newest read round a majority (this leader, at `readRound`, included) has acknowledged. */
export function confirmedRound(
  members: readonly NodeId[],
  self: NodeId,
  readRound: number,
  progress: ReadonlyMap<NodeId, FollowerProgress>,
): number {
  const rounds = members
    .map((member) => (member === self ? readRound : (progress.get(member)?.ackedRound ?? 0)))
    .sort((a, b) => b - a);
  return rounds[quorumSize(members.length) - 1] ?? 0;
}

/** Behind our compacted start, or diverged before it: only the snapshot can catch it up. */
export function needsSnapshot(log: ReplicaLog, body: FetchBody): boolean {
  const { startOffset, startEpoch } = log;
  return startOffset > 0 && (body.fetchOffset < startOffset || body.lastFetchedEpoch < startEpoch);
}

/** Where the fetcher's log leaves ours (KIP-595), or undefined when it continues ours. */
export function divergence(log: ReplicaLog, body: FetchBody): Divergence {
  const end = log.endOffsetForEpoch(body.lastFetchedEpoch);
  if (end.epoch !== body.lastFetchedEpoch || end.endOffset < body.fetchOffset) {
    return { epoch: end.epoch, endOffset: end.endOffset };
  }
  return undefined;
}

/** What the leader knows that goes into every fetch response. */
export interface LeaderFetchView {
  config: ReplicaConfig;
  log: ReplicaLog;
  commit: Offset;
  readRound: number;
  latestSnapshot: Snapshot | undefined;
}

export function fetchResponse(
  leader: LeaderFetchView,
  body: FetchBody,
  diverging: Divergence,
): FetchResponseBody {
  const { config, log } = leader;
  const recordsMax = Math.min(body.recordsMax, config.fetchRecordsMax);
  const common = {
    kind: "fetch_response" as const,
    fetchId: body.fetchId,
    fetchOffset: body.fetchOffset,
    commit: leader.commit,
    leaderLeo: log.leo,
    round: leader.readRound,
  };
  if (diverging !== undefined) return { ...common, batches: [], diverging };
  // A fetch parked before a compaction can land here too.
  if (needsSnapshot(log, body)) {
    const chunk = snapshotChunk(
      leader.latestSnapshot as Snapshot,
      body.snapshot,
      config.snapshotChunkBytesMax,
    );
    return { ...common, batches: [], snapshotChunk: chunk };
  }
  const batches = log.read(body.fetchOffset, recordsMax, config.fetchBytesMax);
  return { ...common, batches };
}
