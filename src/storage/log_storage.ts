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

export interface LogStorage<Batch extends StoredBatch, HardState> {
  /** Replaces the hard state durably (write a temporary file, fsync, rename). */
  saveHardState(hardState: HardState): void;
  /** Drops every record at or after `from`. Durable only after `sync`. */
  truncate(from: Offset): void;
  /** Appends batches at the end of the log. Durable only after `sync`. */
  append(batches: readonly Batch[]): void;
  /** Makes every write so far durable. */
  sync(): void;
  /** What a restarted replica recovers. */
  load(): { hardState: HardState | undefined; batches: Batch[] };
}
