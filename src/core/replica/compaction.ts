/**
 * Compaction: with enough committed records in the log, snapshot the state a little behind the
 * commit (so followers just behind still fetch records); the replica then drops the log below it.
 */
import type { StateMachine } from "../state/kv_ops.js";
import { type Epoch, type Offset, offset } from "../types.js";
import type { ReplicaConfig } from "./config.js";
import type { ReplicaLog } from "./log.js";
import type { Snapshot } from "./snapshot.js";

/** The snapshot to compact the log to now, or undefined when compaction is not due. */
export function compactionSnapshot(
  config: ReplicaConfig,
  log: ReplicaLog,
  stateMachine: StateMachine,
  commit: Offset,
): Snapshot | undefined {
  if (commit - log.startOffset < config.compactionRecords) return undefined;
  const target = Math.max(commit - config.compactionRetainRecords, stateMachine.horizonOffset);
  const to = offset(Math.min(target, commit));
  if (to <= log.startOffset) return undefined;
  return {
    offset: to,
    epoch: log.epochAt(offset(to - 1)) as Epoch,
    state: stateMachine.snapshotAt(to),
  };
}
