/**
 * Storage for one shard replica: its hard state and its log. The replica's Ready says what to
 * write; the shell writes it here and syncs when the Ready demands it. Implementations: memory
 * (tests and the simulator, with exact crash semantics) and disk (segment files).
 */
import type { Offset } from "../core/types.js";

/** What storage needs to know of a batch: where it starts and how many records it holds. */
export interface StoredBatch {
  readonly baseOffset: Offset;
  readonly records: readonly unknown[];
}

/**
 * The part of `batches` (in offset order) at or after `start`, a batch that straddles it cut:
 * what `load` returns once a snapshot stands in for the log below `start`.
 */
export function batchesFrom<Batch extends StoredBatch>(
  batches: readonly Batch[],
  start: number,
): Batch[] {
  const kept: Batch[] = [];
  for (const batch of batches) {
    const end = batch.baseOffset + batch.records.length;
    if (end <= start) continue;
    if (batch.baseOffset >= start) kept.push(batch);
    else
      kept.push({
        ...batch,
        baseOffset: start as Offset,
        records: batch.records.slice(start - batch.baseOffset),
      });
  }
  return kept;
}

/** What storage needs to know of a snapshot: the offset it stands in for the log below. */
export interface StoredSnapshot {
  readonly offset: Offset;
}

export interface LogStorage<
  Batch extends StoredBatch,
  HardState,
  Snapshot extends StoredSnapshot = StoredSnapshot,
> {
  /** Replaces the hard state durably (write a temporary file, fsync, rename). */
  saveHardState(hardState: HardState): void;
  /**
   * Replaces the snapshot durably (like the hard state), then drops stored batches that end at
   * or below its offset: the snapshot holds them now.
   */
  installSnapshot(snapshot: Snapshot): void;
  /**
   * Optional; without it the caller uses `installSnapshot`. Replaces the snapshot by one the
   * replica's compaction took, possibly later (in the background): the stored log, with the
   * snapshot stored before, recovers the same state meanwhile. Batches it covers are dropped only
   * once it is durable. If the stored log does not reach its offset (compaction folded in records
   * storage was never handed), it must be written at once, as `installSnapshot` does.
   */
  compactTo?(snapshot: Snapshot): void;
  /** Drops every record at or after `from`. Durable only after `sync`. */
  truncate(from: Offset): void;
  /** Appends batches at the end of the log. Durable only after `sync`. */
  append(batches: readonly Batch[]): void;
  /** Makes every write so far durable. */
  sync(): void;
  /** What a restarted replica recovers: batches continue the snapshot (first one cut to fit). */
  load(): { hardState: HardState | undefined; snapshot: Snapshot | undefined; batches: Batch[] };
}
