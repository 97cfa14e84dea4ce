/** Election rules: the up-to-date check and the vote count (Raft §5.2, §5.4.1). */

import type { Epoch, NodeId, Offset } from "../types.js";
import { quorumSize } from "./commit.js";

export interface LogPosition {
  lastEpoch: Epoch;
  leo: Offset;
}

/** A candidate's log is at least as up to date as ours: later last epoch, or same and as long. */
export const isUpToDate = (candidate: LogPosition, ours: LogPosition): boolean =>
  candidate.lastEpoch > ours.lastEpoch ||
  (candidate.lastEpoch === ours.lastEpoch && candidate.leo >= ours.leo);

export type VoteResult = "won" | "lost" | "pending";

/** Won with a majority of grants; lost once a majority can no longer be reached. */
export function voteResult(
  members: readonly NodeId[],
  votes: ReadonlyMap<NodeId, boolean>,
): VoteResult {
  const quorum = quorumSize(members.length);
  let granted = 0;
  let rejected = 0;
  for (const member of members) {
    const vote = votes.get(member);
    if (vote === true) granted++;
    else if (vote === false) rejected++;
  }
  if (granted >= quorum) return "won";
  if (rejected > members.length - quorum) return "lost";
  return "pending";
}
