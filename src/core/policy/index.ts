export {
  type CommitPolicy,
  type CommitView,
  type MemberProgress,
  majorityCommit,
  offsetHeldBy,
  quorumSize,
} from "./commit.js";
export { isUpToDate, type LogPosition, type VoteResult, voteResult } from "./vote.js";
