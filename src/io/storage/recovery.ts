/**
 * Recovery of a shard's segments on open. Storage keeps one invariant that makes a torn write
 * tell itself apart from corruption: only the last segment can hold unsynced bytes (a segment is
 * synced before the next one is created, and a truncation is synced at once). So:
 * - a bad or incomplete frame at the end of the last segment, with no valid frame after it, is a
 *   write a crash cut short: it is truncated away with a warning;
 * - a bad frame anywhere else, a bad frame followed by a valid one, a valid frame whose offsets do
 *   not follow its predecessor's, or segments with a gap or overlap between them, is damage to
 *   data that was durable: opening is refused, naming the file, byte position and offset, because
 *   silently dropping acknowledged records would break the replication guarantees. The replica
 *   must then be restored from a peer.
 */
import {
  closeSync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
} from "node:fs";
import { join } from "node:path";
import type { Batch } from "../../core/replica/index.js";
import { fsyncDirectory } from "./file_io.js";
import { decodeBatch, frameBytesMax, frameHeaderBytes, parseFrameAt } from "./frame.js";
import type { StorageWarn } from "./options.js";
import { parseSegmentName, type Segment, segmentEndOffset } from "./segment.js";

/** Where stored data is damaged: the file, the byte position in it and the offset expected there. */
export interface Corruption {
  readonly file: string;
  readonly positionBytes: number;
  readonly offset: number;
  readonly reason: string;
  readonly message: string;
}

export type RecoverOutcome =
  /** `batches`: every batch the segments hold, decoded while checking them, in offset order. */
  | { kind: "ok"; segments: Segment[]; batches: Batch[] }
  | { kind: "corrupt"; corruption: Corruption };

export function corruption(
  file: string,
  positionBytes: number,
  offset: number,
  reason: string,
): Corruption {
  return {
    file,
    positionBytes,
    offset,
    reason,
    message:
      `${file} is corrupt at byte ${positionBytes} (offset ${offset}): ${reason}; ` +
      "refusing to open (restore this replica from a peer)",
  };
}

/** Scans every segment in `directory`, cutting a torn tail; see the file comment. */
export function recoverSegments(directory: string, warn: StorageWarn): RecoverOutcome {
  const names = readdirSync(directory)
    .map((name) => ({ name, baseOffset: parseSegmentName(name) }))
    .filter(
      (entry): entry is { name: string; baseOffset: number } => entry.baseOffset !== undefined,
    )
    .sort((a, b) => a.baseOffset - b.baseOffset);
  const segments: Segment[] = [];
  const batches: Batch[] = [];
  let expectedOffset: number | undefined;
  let directoryChanged = false;
  for (const [index, { name, baseOffset }] of names.entries()) {
    const path = join(directory, name);
    if (expectedOffset !== undefined && baseOffset !== expectedOffset) {
      const reason = `segment starts at offset ${baseOffset} but the previous one ends at ${expectedOffset}`;
      return { kind: "corrupt", corruption: corruption(path, 0, expectedOffset, reason) };
    }
    const scanned = scanSegment(path, name, baseOffset, index === names.length - 1, warn);
    if (scanned.kind === "corrupt") return scanned;
    const segment = scanned.segment;
    expectedOffset = segmentEndOffset(segment);
    if (segment.frames.length === 0) {
      // A crash between creating a segment and writing its first frame, or a tail cut to nothing.
      warn("removing an empty segment", { file: path });
      unlinkSync(path);
      directoryChanged = true;
    } else {
      segments.push(segment);
      for (const batch of scanned.batches) batches.push(batch);
    }
  }
  if (directoryChanged) fsyncDirectory(directory);
  return { kind: "ok", segments, batches };
}

type ScanOutcome =
  | { kind: "ok"; segment: Segment; batches: Batch[] }
  | { kind: "corrupt"; corruption: Corruption };

function scanSegment(
  path: string,
  name: string,
  baseOffset: number,
  isLast: boolean,
  warn: StorageWarn,
): ScanOutcome {
  const bytes = readFileSync(path);
  const segment: Segment = { baseOffset, name, frames: [], sizeBytes: 0 };
  const batches: Batch[] = [];
  let nextOffset = baseOffset;
  while (segment.sizeBytes < bytes.length) {
    const position = segment.sizeBytes;
    const corrupt = (reason: string): ScanOutcome => ({
      kind: "corrupt",
      corruption: corruption(path, position, nextOffset, reason),
    });
    const parsed = parseFrameAt(bytes, position);
    if (parsed.kind === "frame") {
      const header = parsed.header;
      if (header.baseOffset !== nextOffset) {
        return corrupt(`frame starts at offset ${header.baseOffset}, expected ${nextOffset}`);
      }
      const decoded = decodeBatch(bytes, header);
      if (decoded.kind === "invalid") return corrupt(`records do not decode: ${decoded.reason}`);
      batches.push(decoded.batch);
      segment.frames.push(header);
      segment.sizeBytes += header.frameBytes;
      nextOffset += header.count;
      continue;
    }
    if (!isLast) return corrupt(`${parsed.reason}, in a segment that is not the last`);
    const following = validFrameAfter(bytes, position + 1, nextOffset);
    if (following !== undefined) {
      return corrupt(`${parsed.reason}, yet a valid frame follows at byte ${following}`);
    }
    warn("truncating a torn log tail", {
      file: path,
      positionBytes: position,
      offset: nextOffset,
      droppedBytes: bytes.length - position,
      reason: parsed.reason,
    });
    const fd = openSync(path, "r+");
    try {
      ftruncateSync(fd, position);
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    break;
  }
  return { kind: "ok", segment, batches };
}

/**
 * The position of a valid frame at or after `start` holding offsets after `nextOffset`, if any.
 * Runs only when a bad frame was found, to tell a torn tail from a damaged middle whose own length
 * field may be the damaged part, so every byte position is tried; cheap checks come first. A
 * record value that itself holds the bytes of a valid frame can make a torn tail look like damage:
 * a false refusal, never a silent loss.
 */
function validFrameAfter(bytes: Buffer, start: number, nextOffset: number): number | undefined {
  for (let position = start; position + frameHeaderBytes < bytes.length; position++) {
    const frameBytes = bytes.readUInt32LE(position) + 4;
    if (frameBytes <= frameHeaderBytes || frameBytes > frameBytesMax) continue;
    if (position + frameBytes > bytes.length) continue;
    const baseOffset =
      bytes.readUInt32LE(position + 8) + bytes.readUInt32LE(position + 12) * 2 ** 32;
    if (baseOffset <= nextOffset) continue;
    if (parseFrameAt(bytes, position).kind === "frame") return position;
  }
  return undefined;
}
