/**
 * Compaction: with enough committed records in the log, snapshot the state a little behind the
 * commit (so followers just behind still fetch records); the replica then drops the log below it.
 * Enough is `compactionRecords`, or as many records as the state holds keys, or as the last
 * snapshot weighed (snapshotWeight: its keys and the items of its lists, sets, hashes and sorted
 * sets), whichever is most: a snapshot walks and writes every key and item, so a fixed count made
 * a large keyspace or a long list pay several snapshot entries for every record written; this way
 * it pays at most about one, as Redis rewrites its AOF once it has doubled
 * (docs/decisions/0021-compaction-scales-with-the-state.md).
 *
 * A leader also keeps what a live follower further behind still has to fetch, for as long as the
 * log holds fewer than `lagHoldFactor` times that many committed records: under a write
 * load that a follower cannot keep up with, compacting past it would make it fetch the whole
 * state as a snapshot, again and again, each transfer restarting when a newer snapshot replaces
 * the one it was receiving. Past that bound memory wins, and the follower gets a snapshot.
 */
import type { KvSnapshot, StateMachine } from "../state/kv_ops.js";
import { type Epoch, type Offset, offset } from "../types.js";
import type { ReplicaConfig } from "./config.js";
import type { ReplicaLog } from "./log.js";
import type { Snapshot } from "./snapshot.js";
import { elementsOf } from "./snapshot_entry_parts.js";

/** How many times the records due for compaction a leader may hold for a lagging live follower. */
export const lagHoldFactor = 4;

/** What writing `snapshot` costs, in entries: a key each, and each item of a collection. */
export function snapshotWeight(snapshot: KvSnapshot): number {
  let weight = 0;
  for (const { value } of snapshot.entries) weight += Math.max(1, elementsOf(value)?.length ?? 1);
  return weight;
}

/**
 * The snapshot to compact the log to now, or undefined when compaction is not due;
 * `lastWeight`: the snapshotWeight of the replica's latest snapshot, 0 without one.
 */
export function compactionSnapshot(
  config: ReplicaConfig,
  log: ReplicaLog,
  stateMachine: StateMachine,
  commit: Offset,
  laggingFollowerLeo?: Offset,
  lastWeight = 0,
): Snapshot | undefined {
  const held = commit - log.startOffset;
  const due = Math.max(config.compactionRecords, stateMachine.keyCount, lastWeight);
  if (held < due) return undefined;
  let target = Math.max(commit - config.compactionRetainRecords, stateMachine.horizonOffset);
  if (
    laggingFollowerLeo !== undefined &&
    laggingFollowerLeo < target &&
    held < lagHoldFactor * due
  ) {
    target = Math.max(laggingFollowerLeo, stateMachine.horizonOffset);
    // Not worth a snapshot (snapshotAt walks every key) for a sliver of log.
    if (target - log.startOffset < due / 2) return undefined;
  }
  const to = offset(Math.min(target, commit));
  if (to <= log.startOffset) return undefined;
  return {
    offset: to,
    epoch: log.epochAt(offset(to - 1)) as Epoch,
    state: stateMachine.snapshotAt(to),
  };
}
