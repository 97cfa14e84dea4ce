/**
 * What a replica hands its shell between inputs (etcd-io/raft's Ready): the writes to make
 * durable, the messages and replies that may leave once they are, in that order.
 */
import type { ClientReply } from "../concern/types.js";
import type { Epoch, NodeId, Offset } from "../types.js";
import type { Batch } from "./log.js";
import type { Message } from "./messages.js";
import type { Snapshot, SnapshotKind } from "./snapshot.js";

/** What must survive a crash before any vote or message that depends on it leaves the node. */
export interface HardState {
  readonly epoch: Epoch;
  readonly vote: NodeId | null;
}

export interface Ready {
  /** Persist (synced) before sending messages. */
  hardState?: HardState;
  /**
   * Persist this snapshot, then drop stored batches that end at or below its offset. Comes
   * before `truncateTo` and `entries`.
   */
  snapshot?: Snapshot;
  /**
   * Set with `snapshot`, saying how durable it must be when this Ready completes.
   * - `installed`: a leader's snapshot replaced the log, and the stored records below it are not
   *   known to match it: it must be durable before anything that follows (`installSnapshot`).
   * - `taken`: compaction folded the replica's committed records into it. Those that storage was
   *   handed are still in the stored log (and the snapshot stored before), which recovers the
   *   same state, so storage may make it durable later (`compactTo`). Records that compaction
   *   folded in before storage was handed them are not stored: storage must then write it at
   *   once, as it would an installed one.
   */
  snapshotKind?: SnapshotKind;
  /** Drop stored records at or after this offset, before appending `entries`. */
  truncateTo?: Offset;
  entries: Batch[];
  /**
   * May leave as soon as the writes above are issued, before they are synced: the leader's fetch
   * responses, which carry its entries but claim nothing it has not synced (its own copy counts
   * toward the commit only after `advance` reports the sync). This overlaps the leader's fsync
   * with the followers' (Raft thesis §10.2.1).
   */
  messagesBeforeSync: Message[];
  /** Send after the writes above are done (and synced, when `mustSync`). */
  messages: Message[];
  /** Deliver to clients after the writes above. */
  replies: ClientReply[];
  mustSync: boolean;
}
