/**
 * A shard's snapshot in its own file, replaced atomically like the hard state: written to a
 * temporary name, fsynced, renamed, directory fsynced. A damaged file is reported, never half-read.
 *
 * Format (version 2), laid out so that a large state can be encoded and written a slice at a time
 * (snapshot_writer.ts), with the header written last, at the start of the file:
 *   magic "OLS2" | crc32c u32 | payload length u64 | payload
 * The payload is MessagePack values one after another: `{offset, epoch, count}`, then arrays of
 * entries holding `count` entries in all. The crc32c runs over the payload and then the length
 * field, in that order, because the length is only known once the payload is written.
 *
 * Version 1 files, written by one MessagePack call (crc32c u32 of the rest, payload length u32,
 * payload `{offset, epoch, entries}`), are still read.
 */
import { existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { crc32c } from "@node-rs/crc32";
import { Packr } from "msgpackr";
import { type Snapshot, snapshotEntryBytesBound } from "../../core/replica/index.js";
import type { KvSnapshotEntry } from "../../core/state/index.js";
import { epoch, offset } from "../../core/types.js";
import { assert } from "../../util/assert.js";
import { fsyncDirectory, replaceFileSync, writeAllSync } from "./file_io.js";
import { SnapshotEntriesWriter } from "./snapshot_entries.js";

export const snapshotFileName = "snapshot";
export const snapshotTemporaryFileName = "snapshot.tmp";
/** Where a version 2 payload starts: the header's size. */
export const snapshotHeaderBytes = 16;
const magic = Buffer.from("OLS2", "latin1");
const version1HeaderBytes = 8;
const packr = new Packr({ useRecords: false, mapsAsObjects: true });
const entriesWriter = new SnapshotEntriesWriter(packr);

/**
 * How much one slice of a payload holds: at most `entriesMax` entries, and no more than
 * `bytesMax` bytes by `snapshotEntryBytesBound` unless it is one entry larger than that.
 */
export interface SnapshotSliceLimits {
  entriesMax: number;
  bytesMax: number;
}

/**
 * Encodes a snapshot's payload a slice at a time: the metadata first, then arrays of entries
 * within `limits`. Keeps the crc32c and length of what it produced, for the header.
 */
export class SnapshotEncoder {
  /** The next entry to encode; -1 while the metadata is still to come. */
  private nextEntry = -1;
  private crc = 0;
  private payloadBytes = 0;

  constructor(
    private readonly snapshot: Snapshot,
    private readonly limits: SnapshotSliceLimits,
  ) {
    assert(
      Number.isSafeInteger(limits.entriesMax) && limits.entriesMax >= 1,
      () => `slice entriesMax ${limits.entriesMax}`,
    );
  }

  get done(): boolean {
    return this.nextEntry >= this.snapshot.state.entries.length;
  }

  /** The next slice of the payload. */
  next(): Buffer {
    assert(!this.done, "snapshot encoder asked past its end");
    const { entries } = this.snapshot.state;
    let slice: Buffer;
    if (this.nextEntry < 0) {
      const { offset, epoch } = this.snapshot;
      slice = packr.pack({ offset, epoch, count: entries.length });
      this.nextEntry = 0;
    } else {
      const end = this.sliceEnd();
      slice = entriesWriter.write(entries, this.nextEntry, end);
      this.nextEntry = end;
    }
    this.crc = crc32c(slice, this.crc);
    this.payloadBytes += slice.length;
    return slice;
  }

  /** Where the slice from `nextEntry` ends: its first entry, then as many as fit the limits. */
  private sliceEnd(): number {
    const { entries } = this.snapshot.state;
    const last = Math.min(this.nextEntry + this.limits.entriesMax, entries.length);
    let bytes = snapshotEntryBytesBound(entries[this.nextEntry] as KvSnapshotEntry);
    let end = this.nextEntry + 1;
    while (end < last) {
      bytes += snapshotEntryBytesBound(entries[end] as KvSnapshotEntry);
      if (bytes > this.limits.bytesMax) break;
      end++;
    }
    return end;
  }

  /** The file's header, once every slice is out. */
  header(): Buffer {
    assert(this.done, "snapshot header asked before the last slice");
    const header = Buffer.alloc(snapshotHeaderBytes);
    magic.copy(header, 0);
    header.writeBigUInt64LE(BigInt(this.payloadBytes), 8);
    header.writeUInt32LE(crc32c(header.subarray(8), this.crc), 4);
    return header;
  }
}

/** Writes `snapshot` durably in one go (a leader's snapshot, or storage without a background). */
export function writeSnapshot(
  directory: string,
  snapshot: Snapshot,
  limits: SnapshotSliceLimits,
): void {
  replaceFileSync(directory, snapshotFileName, snapshotTemporaryFileName, (fd) => {
    const encoder = new SnapshotEncoder(snapshot, limits);
    let position = snapshotHeaderBytes;
    while (!encoder.done) position += writeAllSync(fd, [encoder.next()], position);
    writeAllSync(fd, [encoder.header()], 0);
  });
}

/** Puts a written and synced temporary snapshot file in place, durably. */
export function renameSnapshotIntoPlace(directory: string): void {
  renameSync(join(directory, snapshotTemporaryFileName), join(directory, snapshotFileName));
  fsyncDirectory(directory);
}

export type ReadSnapshotOutcome =
  | { kind: "ok"; snapshot: Snapshot | undefined }
  | { kind: "corrupt"; reason: string };

/** Reads the snapshot in place; a leftover temporary file is the caller's (DiskStorage.open). */
export function readSnapshot(directory: string): ReadSnapshotOutcome {
  const path = join(directory, snapshotFileName);
  if (!existsSync(path)) return { kind: "ok", snapshot: undefined };
  const bytes = readFileSync(path);
  if (!bytes.subarray(0, magic.length).equals(magic)) return readVersion1(bytes);
  const read = readVersion2(bytes);
  if (read.kind === "ok") return read;
  // A version 1 file whose crc32c happens to spell the magic.
  const version1 = readVersion1(bytes);
  return version1.kind === "ok" ? version1 : read;
}

function readVersion2(bytes: Buffer): ReadSnapshotOutcome {
  if (bytes.length < snapshotHeaderBytes) return tooShort(bytes);
  const length = bytes.readBigUInt64LE(8);
  if (BigInt(bytes.length) !== BigInt(snapshotHeaderBytes) + length) {
    return wrongLength(bytes, BigInt(snapshotHeaderBytes) + length);
  }
  const payload = bytes.subarray(snapshotHeaderBytes);
  if (bytes.readUInt32LE(4) !== crc32c(bytes.subarray(8, snapshotHeaderBytes), crc32c(payload))) {
    return { kind: "corrupt", reason: "crc32c mismatch" };
  }
  let metadata: unknown;
  let values = 0;
  let notAnArray: number | undefined;
  const entries: KvSnapshotEntry[] = [];
  const decoded = decode(() =>
    packr.unpackMultiple(payload, (value: unknown) => {
      values++;
      if (values === 1) metadata = value;
      else if (Array.isArray(value)) for (const entry of value) entries.push(entry);
      else {
        notAnArray = values;
        return false;
      }
    }),
  );
  if (decoded !== undefined) return decoded;
  if (notAnArray !== undefined) {
    return { kind: "corrupt", reason: `value ${notAnArray} of the payload is not entries` };
  }
  const shape = (metadata ?? {}) as { offset?: unknown; epoch?: unknown; count?: unknown };
  if (!Number.isSafeInteger(shape.count)) return notASnapshot("offset, epoch, count");
  if (shape.count !== entries.length) {
    return {
      kind: "corrupt",
      reason: `${entries.length} entries, the snapshot says ${shape.count}`,
    };
  }
  return snapshotOf(shape, entries, "offset, epoch, count");
}

function readVersion1(bytes: Buffer): ReadSnapshotOutcome {
  if (bytes.length < version1HeaderBytes) return tooShort(bytes);
  const length = bytes.readUInt32LE(4);
  if (bytes.length !== version1HeaderBytes + length) {
    return wrongLength(bytes, version1HeaderBytes + length);
  }
  const payload = bytes.subarray(version1HeaderBytes);
  if (bytes.readUInt32LE(0) !== crc32c(payload, crc32c(bytes.subarray(4, version1HeaderBytes)))) {
    return { kind: "corrupt", reason: "crc32c mismatch" };
  }
  let value: unknown;
  const decoded = decode(() => {
    value = packr.unpack(payload);
  });
  if (decoded !== undefined) return decoded;
  const shape = value as { offset?: unknown; epoch?: unknown; entries?: unknown };
  if (!Array.isArray(shape.entries)) return notASnapshot("offset, epoch, entries");
  return snapshotOf(shape, shape.entries as KvSnapshotEntry[], "offset, epoch, entries");
}

/** Runs a MessagePack decode; a corrupt outcome if it throws. */
function decode(body: () => void): ReadSnapshotOutcome | undefined {
  try {
    body();
    return undefined;
  } catch (error) {
    return { kind: "corrupt", reason: `undecodable: ${(error as Error).message}` };
  }
}

function snapshotOf(
  shape: { offset?: unknown; epoch?: unknown },
  entries: KvSnapshotEntry[],
  fields: string,
): ReadSnapshotOutcome {
  if (!Number.isSafeInteger(shape.offset) || !Number.isSafeInteger(shape.epoch)) {
    return notASnapshot(fields);
  }
  const at = offset(shape.offset as number);
  return {
    kind: "ok",
    snapshot: { offset: at, epoch: epoch(shape.epoch as number), state: { offset: at, entries } },
  };
}

const tooShort = (bytes: Buffer): ReadSnapshotOutcome => ({
  kind: "corrupt",
  reason: `${bytes.length} bytes, too short`,
});

const wrongLength = (bytes: Buffer, expected: number | bigint): ReadSnapshotOutcome => ({
  kind: "corrupt",
  reason: `${bytes.length} bytes, header says ${expected}`,
});

const notASnapshot = (fields: string): ReadSnapshotOutcome => ({
  kind: "corrupt",
  reason: `not a snapshot (${fields})`,
});
