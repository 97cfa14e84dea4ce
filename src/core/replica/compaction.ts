/**
 * Compaction: with enough committed records in the log, snapshot the state a little behind the
 * commit (so followers just behind still fetch records); the replica then drops the log below it.
 *
 * A leader also keeps what a live follower further behind still has to fetch, for as long as the
 * log holds fewer than `lagHoldFactor` × `compactionRecords` committed records: under a write
 * load that a follower cannot keep up with, compacting past it would make it fetch the whole
 * state as a snapshot, again and again, each transfer restarting when a newer snapshot replaces
 * the one it was receiving. Past that bound memory wins, and the follower gets a snapshot.
 */
import type { StateMachine } from "../state/kv_ops.js";
import { type Epoch, type Offset, offset } from "../types.js";
import type { ReplicaConfig } from "./config.js";
import type { ReplicaLog } from "./log.js";
import type { Snapshot } from "./snapshot.js";

/** How many times `compactionRecords` a leader may hold for a lagging live follower. */
export const lagHoldFactor = 4;

/** The snapshot to compact the log to now, or undefined when compaction is not due. */
export function compactionSnapshot(
  config: ReplicaConfig,
  log: ReplicaLog,
  stateMachine: StateMachine,
  commit: Offset,
  laggingFollowerLeo?: Offset,
): Snapshot | undefined {
  const held = commit - log.startOffset;
  if (held < config.compactionRecords) return undefined;
  let target = Math.max(commit - config.compactionRetainRecords, stateMachine.horizonOffset);
  if (
    laggingFollowerLeo !== undefined &&
    laggingFollowerLeo < target &&
    held < lagHoldFactor * config.compactionRecords
  ) {
    target = Math.max(laggingFollowerLeo, stateMachine.horizonOffset);
    // Not worth a snapshot (snapshotAt walks every key) for a sliver of log.
    if (target - log.startOffset < config.compactionRecords / 2) return undefined;
  }
  const to = offset(Math.min(target, commit));
  if (to <= log.startOffset) return undefined;
  return {
    offset: to,
    epoch: log.epochAt(offset(to - 1)) as Epoch,
    state: stateMachine.snapshotAt(to),
  };
}
