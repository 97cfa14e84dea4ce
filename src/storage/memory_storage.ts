/**
 * In-memory log storage that separates what was written from what is durable, so that a
 * simulated crash loses exactly the unsynced suffix: appends since the last sync vanish, and a
 * truncation that was not synced is undone (the old records come back, as on a real file system
 * where the truncate never reached the disk).
 */

import type { Offset } from "../core/types.js";
import { assert } from "../util/assert.js";
import {
  batchesFrom,
  type LogStorage,
  type StoredBatch,
  type StoredSnapshot,
} from "./log_storage.js";

export class MemoryStorage<
  Batch extends StoredBatch,
  HardState,
  Snapshot extends StoredSnapshot = StoredSnapshot,
> implements LogStorage<Batch, HardState, Snapshot>
{
  private written: Batch[] = [];
  /** `written[0, durableCount)` is on "disk" as it is. */
  private durableCount = 0;
  /** Durable batches past that prefix, which an unsynced truncation removed from `written`. */
  private durableTail: Batch[] = [];
  private hardState: HardState | undefined;
  private snapshot: Snapshot | undefined;
  syncCount = 0;

  saveHardState(hardState: HardState): void {
    this.hardState = hardState;
  }

  installSnapshot(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    // Dropping batches the snapshot covers is safe whether or not it reaches the disk: a load
    // skips whatever the snapshot covers.
    const covered = (batch: Batch) => batch.baseOffset + batch.records.length <= snapshot.offset;
    const droppedDurable = this.written.slice(0, this.durableCount).filter(covered).length;
    this.written = this.written.filter((batch) => !covered(batch));
    this.durableCount -= droppedDurable;
    this.durableTail = this.durableTail.filter((batch) => !covered(batch));
  }

  truncate(from: Offset): void {
    const index = this.written.findIndex((batch) => batch.baseOffset + batch.records.length > from);
    if (index < 0) return;
    if (index < this.durableCount) {
      this.durableTail = [...this.written.slice(index, this.durableCount), ...this.durableTail];
      this.durableCount = index;
    }
    const cut = this.written[index] as Batch;
    this.written.length = index;
    if (cut.baseOffset < from) {
      this.written.push({ ...cut, records: cut.records.slice(0, from - cut.baseOffset) });
    }
  }

  append(batches: readonly Batch[]): void {
    for (const batch of batches) {
      const last = this.written.at(-1);
      const end = last === undefined ? batch.baseOffset : last.baseOffset + last.records.length;
      assert(
        batch.baseOffset === end,
        () => `storage append at ${batch.baseOffset}, log ends at ${end}`,
      );
      this.written.push(batch);
    }
  }

  sync(): void {
    this.durableCount = this.written.length;
    this.durableTail = [];
    this.syncCount++;
  }

  /** A crash: everything not synced is lost. */
  crash(): void {
    this.written = [...this.written.slice(0, this.durableCount), ...this.durableTail];
    this.durableTail = [];
    this.durableCount = this.written.length;
  }

  load(): { hardState: HardState | undefined; snapshot: Snapshot | undefined; batches: Batch[] } {
    const batches = batchesFrom(this.written, this.snapshot?.offset ?? 0);
    return { hardState: this.hardState, snapshot: this.snapshot, batches };
  }
}
