/**
 * Log storage for one shard replica on disk (DESIGN §10): a directory of segment files
 * (segment.ts) holding framed batches (frame.ts), and a hard-state file (hard_state_file.ts).
 *
 * All I/O is synchronous (docs/decisions/0003-synchronous-storage-io.md): the node writes every
 * Ready of a round, syncs once, then sends. One node hosts many shards, each with its own
 * DiskStorage; group commit across shards is the caller's single round of `sync()` calls.
 *
 * Durability: `saveHardState` and `installSnapshot` are durable on return. Appends are durable
 * after `sync()` under the `always` and `group` policies, after a due `syncIfDue` under
 * `interval`, and never explicitly under `none` (options.ts). A truncation is synced at once, and
 * a full segment is synced before the next is created, so that recovery can tell a torn tail from
 * damage (recovery.ts).
 *
 * The one exception to synchronous I/O: `compactTo` writes a compaction snapshot in the
 * background (snapshot_writer.ts, decision 0011), and deletes the segments it covers only once it
 * is durable; until then the old snapshot and the segments recover the same state.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  unlinkSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { Batch, HardState, Snapshot } from "../../core/replica/index.js";
import type { Offset } from "../../core/types.js";
import { batchesFrom, type LogStorage } from "../../storage/log_storage.js";
import { assert } from "../../util/assert.js";
import { CompactionQueue } from "./compaction_queue.js";
import { fsyncDirectory, writeAllSync } from "./file_io.js";
import { decodeBatch, encodeFrame, type FrameHeader, parseFrameAt } from "./frame.js";
import { hardStateTemporaryFileName, readHardState, writeHardState } from "./hard_state_file.js";
import { type DiskStorageOptions, resolveOptions, type StorageWarn } from "./options.js";
import { type Corruption, corruption, recoverSegments } from "./recovery.js";
import { frameIndexFrom, type Segment, segmentEndOffset, segmentName } from "./segment.js";
import {
  readSnapshot,
  snapshotFileName,
  snapshotTemporaryFileName,
  writeSnapshot,
} from "./snapshot_file.js";

export type OpenOutcome =
  | { kind: "ok"; storage: DiskStorage }
  | { kind: "corrupt"; corruption: Corruption };

export class DiskStorage implements LogStorage<Batch, HardState, Snapshot> {
  /** fd of the last segment, the only one written to; undefined when there is none. */
  private activeFd: number | undefined;
  /** Bytes written to the active segment since the last sync. */
  private fileDirty = false;
  /** Segment files created or deleted since the last sync. */
  private directoryDirty = false;
  private lastSyncAtMs: number | undefined;
  private closed = false;
  /** Compaction snapshots being written in the background. */
  private readonly compactions: CompactionQueue;
  /** How many times entries were synced; for tests and metrics. */
  syncCount = 0;

  private constructor(
    readonly directory: string,
    private readonly options: DiskStorageOptions,
    private readonly segments: Segment[],
    private hardState: HardState | undefined,
    private snapshot: Snapshot | undefined,
    /** The batches recovery decoded, for the first `load` until the log changes. */
    private recovered: Batch[] | undefined,
  ) {
    const last = segments.at(-1);
    if (last !== undefined) this.activeFd = openSync(join(directory, last.name), "r+");
    this.compactions = new CompactionQueue(directory, options, (snapshot) =>
      this.compactionWritten(snapshot),
    );
  }

  /**
   * Opens (creating if needed) the shard directory and recovers it: a torn tail is cut with a
   * warning; damage elsewhere is returned as `corrupt` and nothing is changed past it.
   */
  static open(directory: string, options: Partial<DiskStorageOptions> = {}): OpenOutcome {
    const resolved = resolveOptions(options);
    if (!existsSync(directory)) {
      mkdirSync(directory, { recursive: true });
      fsyncDirectory(dirname(directory));
    }
    // A crash before the rename: the old file in place is the current one.
    removeUnfinished(directory, hardStateTemporaryFileName, "hard-state", resolved.warn);
    removeUnfinished(directory, snapshotTemporaryFileName, "snapshot", resolved.warn);
    const hardState = readHardState(directory);
    if (hardState.kind === "corrupt") {
      const file = join(directory, "hard_state");
      return { kind: "corrupt", corruption: corruption(file, 0, 0, hardState.reason) };
    }
    const snapshot = readSnapshot(directory);
    if (snapshot.kind === "corrupt") {
      return {
        kind: "corrupt",
        corruption: corruption(join(directory, snapshotFileName), 0, 0, snapshot.reason),
      };
    }
    const recovered = recoverSegments(directory, resolved.warn);
    if (recovered.kind === "corrupt") return recovered;
    const first = recovered.segments[0];
    const snapshotOffset = snapshot.snapshot?.offset;
    if (first !== undefined && snapshotOffset !== undefined && first.baseOffset > snapshotOffset) {
      const reason = `the log starts at offset ${first.baseOffset} but the snapshot ends at ${snapshotOffset}`;
      return {
        kind: "corrupt",
        corruption: corruption(join(directory, first.name), 0, first.baseOffset, reason),
      };
    }
    const storage = new DiskStorage(
      directory,
      resolved,
      recovered.segments,
      hardState.hardState,
      snapshot.snapshot,
      recovered.batches,
    );
    return { kind: "ok", storage };
  }

  /** The offset of the first stored record (the end offset when the log is empty). */
  get startOffset(): number {
    return this.segments[0]?.baseOffset ?? this.endOffset;
  }

  /** The offset after the last stored record; 0 for a log that never held one. */
  get endOffset(): number {
    const last = this.segments.at(-1);
    return last === undefined ? 0 : segmentEndOffset(last);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  saveHardState(hardState: HardState): void {
    this.assertOpen();
    writeHardState(this.directory, hardState);
    this.hardState = hardState;
  }

  /** Whether a compaction snapshot is being written in the background, or waits to be. */
  get compacting(): boolean {
    return this.compactions.busy;
  }

  /**
   * Writes the snapshot durably, then deletes the segments it covers entirely (a segment it
   * covers in part stays; `load` skips the covered records). A compaction snapshot being written
   * in the background is abandoned: this one replaces the log it was taken from.
   */
  installSnapshot(snapshot: Snapshot): void {
    this.assertOpen();
    this.compactions.abandon();
    writeSnapshot(this.directory, snapshot, this.options.snapshotSlice);
    this.useSnapshot(snapshot);
  }

  /**
   * Writes a snapshot the replica's compaction took in the background (LogStorage.compactTo): on
   * return it is not on disk yet, and the segments it covers stay until it is durable. If one is
   * being written, this one waits for it and replaces any other waiting. When the stored log does
   * not hold every record below the snapshot (compaction folded in records never handed here),
   * only the snapshot can keep them, and it is written at once, as `installSnapshot` does.
   */
  compactTo(snapshot: Snapshot): void {
    this.assertOpen();
    if (!this.holdsEverythingBelow(snapshot.offset)) return this.installSnapshot(snapshot);
    const newest = this.compactions.newest ?? this.snapshot;
    assert(
      newest === undefined || snapshot.offset > newest.offset,
      () => `compaction to ${snapshot.offset} after one to ${newest?.offset}`,
    );
    this.compactions.add(snapshot);
  }

  /** Resolves once no compaction snapshot is being written or waits to be. */
  compactionIdle(): Promise<void> {
    return this.compactions.idle();
  }

  append(batches: readonly Batch[]): void {
    this.assertOpen();
    this.recovered = undefined;
    let pending: { frames: Buffer[]; headers: FrameHeader[]; bytes: number } | undefined;
    const writePending = (): void => {
      if (pending === undefined) return;
      const segment = this.segments.at(-1) as Segment;
      writeAllSync(this.activeFd as number, pending.frames, segment.sizeBytes);
      segment.frames.push(...pending.headers);
      segment.sizeBytes += pending.bytes;
      this.fileDirty = true;
      pending = undefined;
    };
    let endOffset = this.segments.length === 0 ? undefined : this.endOffset;
    for (const batch of batches) {
      assert(
        endOffset === undefined || batch.baseOffset === endOffset,
        () => `storage append at ${batch.baseOffset}, log ends at ${endOffset}`,
      );
      const frame = encodeFrame(batch);
      const active = this.segments.at(-1);
      const activeBytes = (active?.sizeBytes ?? 0) + (pending?.bytes ?? 0);
      if (
        active === undefined ||
        (activeBytes > 0 && activeBytes + frame.length > this.options.segmentBytesMax)
      ) {
        writePending();
        this.roll(batch.baseOffset);
      }
      pending ??= { frames: [], headers: [], bytes: 0 };
      pending.headers.push({
        position: (this.segments.at(-1) as Segment).sizeBytes + pending.bytes,
        frameBytes: frame.length,
        baseOffset: batch.baseOffset,
        epoch: batch.epoch,
        count: batch.records.length,
        timestampMs: batch.timestampMs,
      });
      pending.frames.push(frame);
      pending.bytes += frame.length;
      endOffset = batch.baseOffset + batch.records.length;
    }
    writePending();
  }

  truncate(from: Offset): void {
    this.assertOpen();
    this.recovered = undefined;
    assert(Number.isSafeInteger(from) && from >= 0, () => `truncate to ${from}`);
    if (this.segments.length === 0 || from >= this.endOffset) return;
    this.compactions.truncated(from);
    // Later segments go first and durably, so a crash leaves a prefix of segments, never a gap.
    while ((this.segments.at(-1)?.baseOffset ?? -1) >= from) {
      const segment = this.segments.pop() as Segment;
      this.closeActive();
      unlinkSync(join(this.directory, segment.name));
      this.directoryDirty = true;
    }
    this.syncDirectory();
    const segment = this.segments.at(-1);
    if (segment === undefined) return;
    const path = join(this.directory, segment.name);
    this.activeFd ??= openSync(path, "r+");
    const fd = this.activeFd;
    const index = frameIndexFrom(segment, from);
    const cut = segment.frames[index];
    if (cut !== undefined && cut.baseOffset === from) {
      ftruncateSync(fd, cut.position);
      segment.frames.length = index;
      segment.sizeBytes = cut.position;
    } else if (cut !== undefined) {
      this.shortenFrame(fd, path, segment, index, from);
    }
    this.syncFile();
  }

  /**
   * Rewrites the frame at `index`, which straddles `from`, with only its records before `from`.
   * Order matters for a crash: the frames after it go first, then the shorter frame overwrites the
   * start of the old one, then the file is cut after it. A crash in between leaves the old frame
   * whole (the truncation is undone), or the new frame followed by a remnant at the end of the
   * file, which recovery cuts as a torn tail; the records before `from` survive either way.
   */
  private shortenFrame(fd: number, path: string, segment: Segment, index: number, from: number) {
    const old = segment.frames[index] as FrameHeader;
    ftruncateSync(fd, old.position + old.frameBytes);
    const bytes = Buffer.alloc(old.frameBytes);
    const read = readSync(fd, bytes, 0, old.frameBytes, old.position);
    assert(read === old.frameBytes, () => `read ${read} of ${old.frameBytes} bytes from ${path}`);
    const parsed = parseFrameAt(bytes, 0);
    assert(parsed.kind === "frame", () => `${path} byte ${old.position}: frame no longer valid`);
    const decoded = decodeBatch(bytes, parsed.header);
    assert(decoded.kind === "ok", () => `${path} byte ${old.position}: frame no longer decodes`);
    const keep = from - old.baseOffset;
    const shorter = encodeFrame({
      ...decoded.batch,
      records: decoded.batch.records.slice(0, keep),
    });
    assert(shorter.length < old.frameBytes, () => `shortened frame of ${shorter.length} bytes`);
    writeAllSync(fd, [shorter], old.position);
    ftruncateSync(fd, old.position + shorter.length);
    segment.frames.length = index;
    segment.frames.push({ ...old, frameBytes: shorter.length, count: keep });
    segment.sizeBytes = old.position + shorter.length;
  }

  /** Under `always` and `group`, makes every write so far durable; see FsyncPolicy. */
  sync(): void {
    this.assertOpen();
    const policy = this.options.fsync.kind;
    if (policy === "always" || policy === "group") this.flush();
  }

  /** Under `interval`, syncs when `intervalMs` have passed since the last sync; true if it did. */
  syncIfDue(nowMs: number): boolean {
    this.assertOpen();
    if (this.options.fsync.kind !== "interval") return false;
    if (
      this.lastSyncAtMs !== undefined &&
      nowMs - this.lastSyncAtMs < this.options.fsync.intervalMs
    )
      return false;
    this.lastSyncAtMs = nowMs;
    this.flush();
    return true;
  }

  /** Makes every write so far durable whatever the policy (clean shutdown, tests). */
  flush(): void {
    this.assertOpen();
    if (!this.fileDirty && !this.directoryDirty) return;
    this.syncFile();
    this.syncDirectory();
    this.syncCount++;
  }

  load(): { hardState: HardState | undefined; snapshot: Snapshot | undefined; batches: Batch[] } {
    this.assertOpen();
    // Right after open, the batches recovery decoded: reading the files again decoded each twice.
    const stored = this.recovered ?? this.storedBatches();
    this.recovered = undefined;
    const batches = batchesFrom(stored, this.snapshot?.offset ?? 0);
    return { hardState: this.hardState, snapshot: this.snapshot, batches };
  }

  /** Every batch in the segment files, decoded. */
  private storedBatches(): Batch[] {
    const batches: Batch[] = [];
    for (const segment of this.segments) {
      const path = join(this.directory, segment.name);
      const bytes = readFileSync(path);
      for (const header of segment.frames) {
        const decoded = decodeBatch(bytes, header);
        assert(decoded.kind === "ok", () => `${path} byte ${header.position} changed under us`);
        batches.push(decoded.batch);
      }
    }
    return batches;
  }

  /** Flushes and closes; the storage may not be used afterwards. */
  close(): void {
    if (this.closed) return;
    // The old snapshot and the segments still hold what the compaction snapshot would have.
    this.compactions.abandon();
    this.flush();
    this.closeActive();
    this.closed = true;
  }

  /** `snapshot` is durable: it is the one to load, and the segments it covers go. */
  private useSnapshot(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    while (
      this.segments.length > 0 &&
      segmentEndOffset(this.segments[0] as Segment) <= snapshot.offset
    ) {
      const segment = this.segments.shift() as Segment;
      if (this.segments.length === 0) this.closeActive();
      unlinkSync(join(this.directory, segment.name));
      this.directoryDirty = true;
    }
    this.syncDirectory();
  }

  /** A compaction snapshot is in place, durably. */
  private compactionWritten(snapshot: Snapshot): void {
    try {
      this.useSnapshot(snapshot);
    } catch (error) {
      // The snapshot is in place; segments it covers that stay are skipped by `load`.
      this.options.warn("compaction snapshot written; its segments not all deleted", {
        file: join(this.directory, snapshotFileName),
        offset: snapshot.offset,
        error: (error as Error).message,
      });
    }
  }

  /** Whether the stored snapshot and segments recover every record below `at`. */
  private holdsEverythingBelow(at: Offset): boolean {
    const first = this.segments[0];
    const snapshotOffset = this.snapshot?.offset ?? 0;
    return first !== undefined && first.baseOffset <= snapshotOffset && this.endOffset >= at;
  }

  /** Starts a new last segment at `baseOffset`, first syncing the one it follows. */
  private roll(baseOffset: number): void {
    if (this.activeFd !== undefined) {
      this.syncFile();
      // The finished segment's name must be durable too before a later segment may exist.
      this.directoryDirty = true;
      this.syncDirectory();
      this.closeActive();
    }
    const name = segmentName(baseOffset);
    this.activeFd = openSync(join(this.directory, name), "wx+");
    this.segments.push({ baseOffset, name, frames: [], sizeBytes: 0 });
    this.directoryDirty = true;
  }

  private syncFile(): void {
    if (this.activeFd !== undefined) fdatasyncSync(this.activeFd);
    this.fileDirty = false;
  }

  private syncDirectory(): void {
    if (this.directoryDirty) fsyncDirectory(this.directory);
    this.directoryDirty = false;
  }

  private closeActive(): void {
    if (this.activeFd === undefined) return;
    // Callers either synced the segment (roll, close) or are about to delete it (truncate).
    closeSync(this.activeFd);
    this.activeFd = undefined;
    this.fileDirty = false;
  }

  private assertOpen(): void {
    assert(!this.closed, () => `storage ${this.directory} used after close`);
  }
}

/** Removes a temporary file a crash left before its rename: the file in place is the current one. */
function removeUnfinished(directory: string, name: string, what: string, warn: StorageWarn): void {
  const path = join(directory, name);
  if (!existsSync(path)) return;
  warn(`removing an unfinished ${what} file`, { file: path });
  unlinkSync(path);
}
