/** A replica's configuration: timing in ticks, limits, and the shard's policies. */
import type { CommitPolicy } from "../policy/commit.js";

/**
 * Deliberate bugs, switched on only by the mutation tests to prove that the simulator catches
 * each one (FoundationDB's buggify, turned into named defects). Production configs never set any.
 */
export type Mutation =
  /** A voter grants a second vote in an epoch it already voted in. */
  | "double_vote"
  /** The commit rule counts records of older epochs (Raft Figure 8). */
  | "commit_old_epoch"
  /** Appends are counted as durable but not synced before acknowledging. */
  | "ack_before_durable"
  /** The leader serves fetches without checking for a divergent follower log. */
  | "skip_divergence_check"
  /** Linearizable reads skip the leadership round (a deposed leader serves them). */
  | "read_without_quorum";

export interface ReplicaConfig {
  /** A follower campaigns after a random timeout in [electionTimeoutTicks, 2 × electionTimeoutTicks). */
  electionTimeoutTicks: number;
  /** How often a leader re-announces itself to followers it has not heard from. */
  heartbeatTicks: number;
  /** How long a leader parks a fetch with nothing to send (long polling). */
  fetchWaitTicksMax: number;
  /** Records per fetch response. */
  fetchRecordsMax: number;
  /**
   * Bytes of records per fetch response, by `recordsBytesBound`; the first batch is sent whatever
   * its size, so a follower always progresses. Keeps a response below the peer frame limit.
   */
  fetchBytesMax: number;
  /**
   * Bytes of snapshot entries per fetch response (snapshot_transfer.ts). A chunk is encoded in
   * one go on the leader's loop, so it is kept smaller than a fetch of records: on a node, 8 MiB
   * of small keys took the leader's loop for seconds under load.
   */
  snapshotChunkBytesMax: number;
  preVote: boolean;
  checkQuorum: boolean;
  commitPolicy: CommitPolicy;
  /**
   * fsync policy `always` or `group`: every append is synced before anything depending on it
   * leaves the node, and durable offsets are what the commit rule counts.
   */
  syncEveryWrite: boolean;
  /** Milliseconds per tick, to turn client timeouts and staleness bounds into ticks. */
  tickMs: number;
  pendingWritesMax: number;
  parkedReadsMax: number;
  /** How many committed records back snapshot reads may still ask for. */
  snapshotHistoryRecords: number;
  /**
   * Compaction: once this many committed records sit in the log, snapshot the state and drop
   * the log below `commit - compactionRetainRecords` (followers that fall further behind catch
   * up from the snapshot). Infinity turns compaction off.
   */
  compactionRecords: number;
  compactionRetainRecords: number;
  mutations?: ReadonlySet<Mutation>;
}
