/**
 * Elections as pure decisions the replica carries out: Raft's votes (§5.2) with pre-vote and the
 * check-quorum lease (Raft thesis §9.6, §4.2.3). Nothing here changes state or sends.
 */
import { unreachable } from "../../util/assert.js";
import { isUpToDate } from "../policy/vote.js";
import type { Random } from "../random.js";
import type { Epoch, NodeId } from "../types.js";
import type { ReplicaConfig } from "./config.js";
import type { ReplicaLog } from "./log.js";
import type { Message, MessageBody } from "./messages.js";

type VoteRequestBody = Extract<MessageBody, { kind: "vote_request" }>;

/**
 * What a message from a newer epoch does before it is handled: `ignore` drops it, `keep` handles
 * it in our own epoch (a pre-vote), `follow` first becomes a follower of `leader` in its epoch.
 */
export type NewerEpochAction =
  | { kind: "ignore" }
  | { kind: "keep" }
  | { kind: "follow"; leader: NodeId | undefined };

export function newerEpochAction(
  message: Message,
  self: NodeId,
  inLeaderLease: boolean,
): NewerEpochAction {
  const { body } = message;
  switch (body.kind) {
    case "vote_request":
      if (body.preVote) return { kind: "keep" };
      // Check-quorum lease (Raft thesis §4.2.3): a follower that hears from a live leader
      // ignores candidates, so a partitioned node cannot depose a healthy leader.
      if (inLeaderLease) return { kind: "ignore" };
      return { kind: "follow", leader: undefined };
    case "vote_response":
      if (body.preVote && body.granted) return { kind: "keep" };
      return { kind: "follow", leader: undefined };
    case "fetch_response":
    case "begin_epoch":
      return { kind: "follow", leader: message.from };
    case "fenced":
      return { kind: "follow", leader: body.leader === self ? undefined : body.leader };
    case "fetch":
      return { kind: "follow", leader: undefined };
    default:
      return unreachable(body);
  }
}

/** The answer to a message from an older epoch, if it gets one; `fenced` names our leader. */
export function staleEpochAnswer(body: MessageBody, fenced: MessageBody): MessageBody | undefined {
  if (body.kind === "fetch" || body.kind === "begin_epoch") {
    // A stale follower or a deposed leader learns the newer epoch (and who leads it).
    return fenced;
  }
  if (body.kind === "vote_request") {
    return { kind: "vote_response", preVote: body.preVote, granted: false };
  }
  return undefined;
}

/** Whether a live leader is known: this leader itself, or one heard from within the timeout. */
export function inLeaderLease(
  config: ReplicaConfig,
  isLeader: boolean,
  leader: NodeId | undefined,
  electionElapsedTicks: number,
): boolean {
  if (!config.checkQuorum) return false;
  if (isLeader) return true;
  return leader !== undefined && electionElapsedTicks < config.electionTimeoutTicks;
}

/** A random election timeout in [electionTimeoutTicks, 2 × electionTimeoutTicks). */
export function randomElectionTimeout(config: ReplicaConfig, random: Random): number {
  const base = config.electionTimeoutTicks;
  return base + random.int(0, base - 1);
}

export function voteRequest(preVote: boolean, log: ReplicaLog): VoteRequestBody {
  return { kind: "vote_request", preVote, lastEpoch: log.lastEpoch, lastOffset: log.leo };
}

/** The voter's side of a vote request. */
export interface Voter {
  epoch: Epoch;
  vote: NodeId | null;
  isLeader: boolean;
  log: ReplicaLog;
  inLeaderLease: boolean;
  /** The `double_vote` mutation: grant a second vote in the same epoch. */
  votesTwice: boolean;
}

/** Whether `voter` grants `candidate`'s (pre-)vote request made at `requestEpoch`. */
export function voteGranted(
  voter: Voter,
  candidate: NodeId,
  requestEpoch: Epoch,
  body: VoteRequestBody,
): boolean {
  const upToDate = isUpToDate(
    { lastEpoch: body.lastEpoch, leo: body.lastOffset },
    { lastEpoch: voter.log.lastEpoch, leo: voter.log.leo },
  );
  if (body.preVote) return requestEpoch > voter.epoch && upToDate && !voter.inLeaderLease;
  const free = voter.vote === null || voter.vote === candidate || voter.votesTwice;
  return free && upToDate && !voter.isLeader;
}
