/**
 * A snapshot: the committed state as of `offset` (exclusive), which stands in for every record
 * below it once the log is compacted. `epoch` is the epoch of the record just below `offset`,
 * so a log that continues after the snapshot can still be checked for divergence.
 */
import type { KvSnapshot } from "../state/kv_ops.js";
import type { Epoch, Offset } from "../types.js";

export interface Snapshot {
  readonly offset: Offset;
  readonly epoch: Epoch;
  readonly state: KvSnapshot;
}

/**
 * How a snapshot to persist came about. `taken`: the replica's own compaction folded committed
 * records it already holds into it. `installed`: a leader's snapshot replaced the replica's log.
 */
export type SnapshotKind = "taken" | "installed";
