/**
 * Messages between the replicas of one shard (DESIGN.md §4). Followers pull with `fetch`; the
 * answer doubles as the leader's heartbeat. Every message carries its sender's epoch.
 */

import type { Epoch, NodeId, Offset, ShardId, Ticks } from "../types.js";
import type { Batch } from "./log.js";
import type { SnapshotChunk, SnapshotPosition } from "./snapshot_transfer.js";

export type MessageBody =
  /**
   * A follower asks for records from `fetchOffset` (its leo). `lastFetchedEpoch` is the epoch of
   * its last record, for divergence detection (KIP-595). `durableOffset` tells the leader how much
   * is on disk. `ackedRound` echoes the newest read round the follower saw (ReadIndex proof).
   * `commit` is the follower's commit offset: a leader that knows more answers at once.
   * `snapshot` names the snapshot a follower behind the log start is receiving, and the position
   * of the next chunk it needs (snapshot_transfer.ts).
   */
  | {
      kind: "fetch";
      fetchId: number;
      fetchOffset: Offset;
      lastFetchedEpoch: Epoch;
      durableOffset: Offset;
      recordsMax: number;
      waitTicksMax: Ticks;
      ackedRound: number;
      commit: Offset;
      snapshot?: SnapshotPosition;
    }
  /**
   * The leader's answer: either records from `fetchOffset`, or `diverging` (the follower must
   * truncate to at most `endOffset`, the end of `epoch` in the leader's log).
   */
  | {
      kind: "fetch_response";
      fetchId: number;
      fetchOffset: Offset;
      batches: readonly Batch[];
      diverging?: { epoch: Epoch; endOffset: Offset };
      /**
       * The follower is behind the leader's compacted log start: a chunk of the snapshot to
       * install instead, the whole once its last chunk is in.
       */
      snapshotChunk?: SnapshotChunk;
      commit: Offset;
      leaderLeo: Offset;
      round: number;
    }
  /** The receiver is not the leader of the sender's epoch; `leader` is who it believes leads. */
  | { kind: "fenced"; leader?: NodeId }
  /** A new leader announces itself so that followers start fetching (KIP-595 BeginQuorumEpoch). */
  | { kind: "begin_epoch" }
  /** RequestVote; with `preVote` the epoch is the one the candidate would take (Raft thesis §9.6). */
  | { kind: "vote_request"; preVote: boolean; lastEpoch: Epoch; lastOffset: Offset }
  | { kind: "vote_response"; preVote: boolean; granted: boolean };

export interface Message {
  readonly shard: ShardId;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly epoch: Epoch;
  readonly body: MessageBody;
}
