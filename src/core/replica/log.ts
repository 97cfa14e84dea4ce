/**
 * A replica's log in memory: batches of records, each stamped with the epoch of the leader that
 * wrote it, plus an epoch index (Kafka's leader-epoch cache, KIP-101) answering "where does epoch
 * e end?" for divergence detection. Batches are immutable and may be shared with other replicas
 * and with storage; a truncation inside a batch replaces it by a shorter copy.
 */
import { assert } from "../../util/assert.js";
import type { KvCommand } from "../state/kv_ops.js";
import { type Epoch, epoch, type Offset, offset } from "../types.js";

export type LogRecord = { kind: "noop" } | { kind: "kv"; command: KvCommand };

export interface Batch {
  readonly baseOffset: Offset;
  readonly epoch: Epoch;
  /** The leader's clock when it wrote the batch; every replica decides expiry with it. */
  readonly timestampMs: number;
  readonly records: readonly LogRecord[];
}

export const batchEnd = (batch: Batch): Offset => offset(batch.baseOffset + batch.records.length);

/** The start offset of each epoch present in the log, ascending in both. */
interface EpochStart {
  epoch: Epoch;
  startOffset: Offset;
}

export class ReplicaLog {
  private readonly batches: Batch[] = [];
  private readonly epochStarts: EpochStart[] = [];
  private endOffset: Offset = offset(0);

  constructor(batches: readonly Batch[] = []) {
    for (const batch of batches) this.append(batch);
  }

  /** Log end offset: the offset the next record gets. */
  get leo(): Offset {
    return this.endOffset;
  }

  /** Epoch of the last record, 0 for an empty log. */
  get lastEpoch(): Epoch {
    return this.epochStarts.at(-1)?.epoch ?? epoch(0);
  }

  append(batch: Batch): void {
    assert(
      batch.baseOffset === this.endOffset,
      () => `append at ${batch.baseOffset} but leo ${this.endOffset}`,
    );
    assert(batch.records.length > 0, "append of an empty batch");
    assert(
      batch.epoch >= this.lastEpoch,
      () => `append of epoch ${batch.epoch} after epoch ${this.lastEpoch}`,
    );
    if (batch.epoch > this.lastEpoch || this.epochStarts.length === 0) {
      this.epochStarts.push({ epoch: batch.epoch, startOffset: batch.baseOffset });
    }
    this.batches.push(batch);
    this.endOffset = batchEnd(batch);
  }

  /** Removes every record at or after `from`. */
  truncate(from: Offset): void {
    assert(from >= 0, () => `truncate to ${from}`);
    if (from >= this.endOffset) return;
    const index = this.batchIndexAt(from);
    const batch = this.batches[index] as Batch;
    this.batches.length = index;
    if (batch.baseOffset < from) {
      this.batches.push({ ...batch, records: batch.records.slice(0, from - batch.baseOffset) });
    }
    while ((this.epochStarts.at(-1)?.startOffset ?? -1) >= from) this.epochStarts.pop();
    this.endOffset = from;
  }

  /** The epoch of the record at `at`, or undefined outside the log. */
  epochAt(at: Offset): Epoch | undefined {
    if (at < 0 || at >= this.endOffset) return undefined;
    let low = 0;
    let high = this.epochStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.epochStarts[middle] as EpochStart).startOffset <= at) low = middle;
      else high = middle - 1;
    }
    return (this.epochStarts[low] as EpochStart).epoch;
  }

  /**
   * The largest epoch `e' <= e` present in the log and the offset where it ends (the start of the
   * next epoch, or `leo`); `{0, 0}` if there is none (Kafka OffsetsForLeaderEpoch, KIP-101).
   */
  endOffsetForEpoch(e: Epoch): { epoch: Epoch; endOffset: Offset } {
    for (let index = this.epochStarts.length - 1; index >= 0; index--) {
      const start = this.epochStarts[index] as EpochStart;
      if (start.epoch <= e) {
        const next = this.epochStarts[index + 1];
        return {
          epoch: start.epoch,
          endOffset: next === undefined ? this.endOffset : next.startOffset,
        };
      }
    }
    return { epoch: epoch(0), endOffset: offset(0) };
  }

  /** Batches holding records from `from` on, at most `recordsMax` records; the first may be cut. */
  read(from: Offset, recordsMax: number): Batch[] {
    assert(recordsMax > 0, () => `read of ${recordsMax} records`);
    if (from >= this.endOffset) return [];
    const out: Batch[] = [];
    let count = 0;
    for (
      let index = this.batchIndexAt(from);
      index < this.batches.length && count < recordsMax;
      index++
    ) {
      let batch = this.batches[index] as Batch;
      const skip = Math.max(0, from - batch.baseOffset);
      const take = Math.min(batch.records.length - skip, recordsMax - count);
      if (skip > 0 || take < batch.records.length) {
        batch = {
          ...batch,
          baseOffset: offset(batch.baseOffset + skip),
          records: batch.records.slice(skip, skip + take),
        };
      }
      out.push(batch);
      count += take;
    }
    return out;
  }

  /** The record at `at` with its batch's epoch and timestamp. */
  recordAt(at: Offset): { record: LogRecord; epoch: Epoch; timestampMs: number } {
    const batch = this.batches[this.batchIndexAt(at)] as Batch;
    return {
      record: batch.records[at - batch.baseOffset] as LogRecord,
      epoch: batch.epoch,
      timestampMs: batch.timestampMs,
    };
  }

  private batchIndexAt(at: Offset): number {
    assert(at >= 0 && at < this.endOffset, () => `offset ${at} outside log [0, ${this.endOffset})`);
    let low = 0;
    let high = this.batches.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.batches[middle] as Batch).baseOffset <= at) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}
