/** How a DiskStorage lays out and syncs its files (DESIGN §10). */
import { assert } from "../../util/assert.js";
import { frameHeaderBytes } from "./frame.js";
import type { SnapshotSliceLimits } from "./snapshot_file.js";

/**
 * When appended entries become durable. The hard state is always durable when `saveHardState`
 * returns, whatever the policy.
 * - `always`, `group`: `sync()` fdatasyncs what was written since the last sync. The shell calls
 *   it once per round of Readys that has `mustSync` (processReady), so one fsync covers every
 *   batch of every shard ready together; the two differ only in how the driver gathers Readys.
 * - `interval`: `sync()` does nothing; the owner calls `syncIfDue(nowMs)` from its own timer and
 *   that syncs at most every `intervalMs` (Kafka's `log.flush.interval.ms`).
 * - `none`: entries are never explicitly synced; the operating system writes them back when it
 *   likes (Kafka's default, Redis `appendfsync no`).
 */
export type FsyncPolicy =
  | { kind: "always" }
  | { kind: "group" }
  | { kind: "interval"; intervalMs: number }
  | { kind: "none" };

/** A warning from recovery (a torn tail cut, a leftover file removed), for the node's logger. */
export type StorageWarn = (message: string, fields: Record<string, unknown>) => void;

export interface DiskStorageOptions {
  /** A segment is rolled before a frame would take it past this size; one frame may exceed it. */
  segmentBytesMax: number;
  fsync: FsyncPolicy;
  /**
   * The size of a slice of a snapshot file, in entries and in bytes (`snapshotEntryBytesBound`;
   * a single larger entry is a slice of its own). A compaction snapshot is written in the
   * background one slice per event-loop turn, so a slice's encoding is how long it blocks the
   * loop: 2 to 6 ms for 4096 entries with 100-byte values (docs/benchmarks.md,
   * `bench:compaction`). Smaller slices block for less but take more turns, so the snapshot is
   * durable later. The byte bound keeps large values (up to 8 MiB each) from making a slice long.
   */
  snapshotSlice: SnapshotSliceLimits;
  warn: StorageWarn;
}

export const defaultDiskStorageOptions: DiskStorageOptions = {
  segmentBytesMax: 64 * 1024 * 1024,
  fsync: { kind: "group" },
  snapshotSlice: { entriesMax: 4096, bytesMax: 1024 * 1024 },
  warn: () => {},
};

export function resolveOptions(options: Partial<DiskStorageOptions>): DiskStorageOptions {
  const resolved = { ...defaultDiskStorageOptions, ...options };
  assert(
    Number.isSafeInteger(resolved.segmentBytesMax) && resolved.segmentBytesMax > frameHeaderBytes,
    () => `segmentBytesMax ${resolved.segmentBytesMax}`,
  );
  const { entriesMax, bytesMax } = resolved.snapshotSlice;
  assert(
    Number.isSafeInteger(entriesMax) && entriesMax >= 1 && Number.isSafeInteger(bytesMax),
    () => `snapshotSlice entriesMax ${entriesMax} bytesMax ${bytesMax}`,
  );
  if (resolved.fsync.kind === "interval") {
    const { intervalMs } = resolved.fsync;
    assert(Number.isFinite(intervalMs) && intervalMs > 0, () => `fsync intervalMs ${intervalMs}`);
  }
  return resolved;
}
