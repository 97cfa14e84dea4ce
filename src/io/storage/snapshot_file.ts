/**
 * A shard's snapshot in its own file, replaced atomically like the hard state: written to a
 * temporary name, fsynced, renamed, directory fsynced. Format: crc32c u32 (of the rest), payload
 * length u32, then the snapshot as MessagePack. A damaged file is reported, never half-read.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
} from "node:fs";
import { join } from "node:path";
import { crc32c } from "@node-rs/crc32";
import { Packr } from "msgpackr";
import type { Snapshot } from "../../core/replica/index.js";
import type { KvSnapshotEntry } from "../../core/state/index.js";
import { epoch, offset } from "../../core/types.js";
import { fsyncDirectory, writeAllSync } from "./file_io.js";

export const snapshotFileName = "snapshot";
export const snapshotTemporaryFileName = "snapshot.tmp";
const headerBytes = 8;
const packr = new Packr({ useRecords: false, mapsAsObjects: true });

export function writeSnapshot(directory: string, snapshot: Snapshot): void {
  const payload = packr.pack({
    offset: snapshot.offset,
    epoch: snapshot.epoch,
    entries: snapshot.state.entries,
  });
  const header = Buffer.alloc(headerBytes);
  header.writeUInt32LE(payload.length, 4);
  header.writeUInt32LE(crc32c(payload, crc32c(header.subarray(4))), 0);
  const temporaryPath = join(directory, snapshotTemporaryFileName);
  const fd = openSync(temporaryPath, "w");
  try {
    writeAllSync(fd, [header, payload], 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporaryPath, join(directory, snapshotFileName));
  fsyncDirectory(directory);
}

export type ReadSnapshotOutcome =
  | { kind: "ok"; snapshot: Snapshot | undefined }
  | { kind: "corrupt"; reason: string };

export function readSnapshot(directory: string): ReadSnapshotOutcome {
  const temporaryPath = join(directory, snapshotTemporaryFileName);
  // A crash before the rename: the snapshot in place is the current one.
  if (existsSync(temporaryPath)) unlinkSync(temporaryPath);
  const path = join(directory, snapshotFileName);
  if (!existsSync(path)) return { kind: "ok", snapshot: undefined };
  const bytes = readFileSync(path);
  if (bytes.length < headerBytes)
    return { kind: "corrupt", reason: `${bytes.length} bytes, too short` };
  const length = bytes.readUInt32LE(4);
  if (bytes.length !== headerBytes + length) {
    return {
      kind: "corrupt",
      reason: `${bytes.length} bytes, header says ${headerBytes + length}`,
    };
  }
  const payload = bytes.subarray(headerBytes);
  if (bytes.readUInt32LE(0) !== crc32c(payload, crc32c(bytes.subarray(4, headerBytes)))) {
    return { kind: "corrupt", reason: "crc32c mismatch" };
  }
  let value: unknown;
  try {
    value = packr.unpack(payload);
  } catch (error) {
    return { kind: "corrupt", reason: `undecodable: ${(error as Error).message}` };
  }
  const shape = value as { offset?: unknown; epoch?: unknown; entries?: unknown };
  if (
    !Number.isSafeInteger(shape.offset) ||
    !Number.isSafeInteger(shape.epoch) ||
    !Array.isArray(shape.entries)
  ) {
    return { kind: "corrupt", reason: "not a snapshot (offset, epoch, entries)" };
  }
  const at = offset(shape.offset as number);
  return {
    kind: "ok",
    snapshot: {
      offset: at,
      epoch: epoch(shape.epoch as number),
      state: { offset: at, entries: shape.entries as KvSnapshotEntry[] },
    },
  };
}
