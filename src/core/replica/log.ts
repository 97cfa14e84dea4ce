/**
 * A replica's log in memory: batches of records, each stamped with the epoch of the leader that
 * wrote it, plus an epoch index (Kafka's leader-epoch cache, KIP-101) answering "where does epoch
 * e end?" for divergence detection. Batches are immutable and may be shared with other replicas
 * and with storage; a truncation inside a batch replaces it by a shorter copy.
 *
 * After compaction the log starts at `startOffset`: the records below it live on only in a
 * snapshot, and `startEpoch` is the epoch of the last of them, so divergence checks still work
 * at the boundary.
 */
import { assert } from "../../util/assert.js";
import type { KvCommand } from "../state/kv_ops.js";
import { type Epoch, epoch, type Offset, offset } from "../types.js";
import { recordsBytesBound, recordsBytesBoundFromSum } from "./record_bytes.js";

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
  private batches: Batch[] = [];
  /**
   * `recordsBytesBound` of each batch, by index, computed the first time a read cut by bytes (a
   * fetch) passes it, then kept: fetches sum these rather than walking every value they send,
   * and a log nobody fetches from (one node) never computes them.
   */
  private batchBytes: Array<number | undefined> = [];
  private epochStarts: EpochStart[] = [];
  private endOffset: Offset = offset(0);
  private start: Offset = offset(0);
  private epochBeforeStart: Epoch = epoch(0);

  constructor(batches: readonly Batch[] = []) {
    for (const batch of batches) this.append(batch);
  }

  /** Log end offset: the offset the next record gets. */
  get leo(): Offset {
    return this.endOffset;
  }

  /** The first offset still in the log; records below it were compacted into a snapshot. */
  get startOffset(): Offset {
    return this.start;
  }

  /** The epoch of the record just below `startOffset` (0 when nothing was compacted). */
  get startEpoch(): Epoch {
    return this.epochBeforeStart;
  }

  /** Epoch of the last record, 0 for an empty log. */
  get lastEpoch(): Epoch {
    return this.epochStarts.at(-1)?.epoch ?? this.epochBeforeStart;
  }

  /** Empties the log so that it continues after a snapshot at `at` whose last record had `atEpoch`. */
  reset(at: Offset, atEpoch: Epoch): void {
    this.batches = [];
    this.batchBytes = [];
    this.epochStarts = [];
    this.endOffset = at;
    this.start = at;
    this.epochBeforeStart = atEpoch;
  }

  /** Drops the records below `to` (a snapshot now holds them). */
  compact(to: Offset): void {
    assert(
      this.start <= to && to <= this.endOffset,
      () => `compact to ${to} outside [${this.start}, ${this.endOffset}]`,
    );
    if (to === this.start) return;
    this.epochBeforeStart = this.epochAt(offset(to - 1)) as Epoch;
    let drop = 0;
    while (drop < this.batches.length && batchEnd(this.batches[drop] as Batch) <= to) drop++;
    this.batches = this.batches.slice(drop);
    this.batchBytes = this.batchBytes.slice(drop);
    const first = this.batches[0];
    if (first !== undefined && first.baseOffset < to) {
      const records = first.records.slice(to - first.baseOffset);
      this.batches[0] = { ...first, baseOffset: to, records };
      this.batchBytes[0] = undefined;
    }
    while (this.epochStarts.length > 1 && (this.epochStarts[1] as EpochStart).startOffset <= to)
      this.epochStarts.shift();
    const oldest = this.epochStarts[0];
    if (oldest !== undefined && oldest.startOffset < to)
      this.epochStarts[0] = { ...oldest, startOffset: to };
    this.start = to;
  }

  /**
   * Appends `batch`. `recordBytes`, when the caller has it, is the sum of its records'
   * `recordBytesBound`, which spares computing the batch's size bound again.
   */
  append(batch: Batch, recordBytes?: number): void {
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
    this.batchBytes.push(
      recordBytes === undefined ? undefined : recordsBytesBoundFromSum(recordBytes),
    );
    this.endOffset = batchEnd(batch);
  }

  /** Removes every record at or after `from`. */
  truncate(from: Offset): void {
    assert(from >= this.start, () => `truncate to ${from} below the log start ${this.start}`);
    if (from >= this.endOffset) return;
    const index = this.batchIndexAt(from);
    const batch = this.batches[index] as Batch;
    this.batches.length = index;
    this.batchBytes.length = index;
    if (batch.baseOffset < from) {
      const records = batch.records.slice(0, from - batch.baseOffset);
      this.batches.push({ ...batch, records });
      this.batchBytes.push(undefined);
    }
    while ((this.epochStarts.at(-1)?.startOffset ?? -1) >= from) this.epochStarts.pop();
    this.endOffset = from;
  }

  /** The epoch of the record at `at`, or undefined outside the log. */
  epochAt(at: Offset): Epoch | undefined {
    if (at === this.start - 1) return this.epochBeforeStart;
    if (at < this.start || at >= this.endOffset) return undefined;
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
   * The epoch just below a compacted start counts as present and ending at the start.
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
    if (this.start > 0 && e >= this.epochBeforeStart) {
      return { epoch: this.epochBeforeStart, endOffset: this.start };
    }
    return { epoch: epoch(0), endOffset: offset(0) };
  }

  private bytesOf(index: number): number {
    let bytes = this.batchBytes[index];
    if (bytes === undefined) {
      bytes = recordsBytesBound((this.batches[index] as Batch).records);
      this.batchBytes[index] = bytes;
    }
    return bytes;
  }

  /**
   * Batches holding records from `from` on, at most `recordsMax` records (the first batch may be
   * cut) and, after the first batch, at most `bytesMax` bytes by `recordsBytesBound` of whole
   * batches. The first batch always comes, however large, so a reader always progresses; it fits
   * a storage frame, as every batch does.
   */
  read(from: Offset, recordsMax: number, bytesMax = Number.POSITIVE_INFINITY): Batch[] {
    assert(recordsMax > 0, () => `read of ${recordsMax} records`);
    if (from >= this.endOffset) return [];
    const out: Batch[] = [];
    let count = 0;
    let bytes = 0;
    for (
      let index = this.batchIndexAt(from);
      index < this.batches.length && count < recordsMax;
      index++
    ) {
      if (bytesMax < Number.POSITIVE_INFINITY) {
        bytes += this.bytesOf(index);
        if (out.length > 0 && bytes > bytesMax) break;
      }
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
    assert(
      at >= this.start && at < this.endOffset,
      () => `offset ${at} outside log [${this.start}, ${this.endOffset})`,
    );
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
