/**
 * One batch on disk. All integers little-endian:
 *
 * | byte | size | field                                                     |
 * |------|------|-----------------------------------------------------------|
 * | 0    | 4    | length: bytes after this field (crc through payload)      |
 * | 4    | 4    | crc32c (Castagnoli) of every byte after this field        |
 * | 8    | 8    | baseOffset: offset of the first record                    |
 * | 16   | 4    | epoch of the leader that wrote the batch                  |
 * | 20   | 4    | count: records in the batch, at least 1                   |
 * | 24   | 8    | timestampMs: the leader's clock when it wrote the batch   |
 * | 32   | ...  | payload: the records (record_codec.ts)                    |
 *
 * The CRC covers the header fields too, so a torn or flipped header is caught, and the length is
 * bounded before it is trusted (DESIGN §12).
 */
import { crc32c } from "@node-rs/crc32";
import type { Batch } from "../../core/replica/index.js";
import { epoch, offset } from "../../core/types.js";
import { assert } from "../../util/assert.js";
import { decodeRecords, encodeRecords } from "./record_codec.js";

export const frameHeaderBytes = 32;
/** Largest frame written or accepted; a batch beyond it is a programmer error upstream. */
export const frameBytesMax = 16 * 1024 * 1024;
/**
 * The largest record a write may carry, by `recordBytesBound`; the driver refuses a larger one
 * before it reaches a replica. Half a frame: a record always fits one frame with the headers, and
 * consecutive writes grouped into one batch still have room.
 */
export const recordBytesMax = frameBytesMax / 2;
/** Most records in one batch. */
export const batchRecordsMax = 1 << 20;
const uint32Max = 0xffff_ffff;

export function encodeFrame(batch: Batch): Buffer {
  const count = batch.records.length;
  assert(count > 0 && count <= batchRecordsMax, () => `batch of ${count} records`);
  assert(
    Number.isSafeInteger(batch.baseOffset) && batch.baseOffset >= 0,
    () => `batch base offset ${batch.baseOffset}`,
  );
  assert(
    Number.isInteger(batch.epoch) && batch.epoch >= 0 && batch.epoch <= uint32Max,
    () => `batch epoch ${batch.epoch}`,
  );
  assert(
    Number.isSafeInteger(batch.timestampMs) && batch.timestampMs >= 0,
    () => `batch timestamp ${batch.timestampMs}`,
  );
  const payload = encodeRecords(batch.records);
  const frameBytes = frameHeaderBytes + payload.length;
  assert(frameBytes <= frameBytesMax, () => `frame of ${frameBytes} bytes > ${frameBytesMax}`);
  const frame = Buffer.allocUnsafe(frameBytes);
  frame.writeUInt32LE(frameBytes - 4, 0);
  frame.writeBigUInt64LE(BigInt(batch.baseOffset), 8);
  frame.writeUInt32LE(batch.epoch, 16);
  frame.writeUInt32LE(count, 20);
  frame.writeBigUInt64LE(BigInt(batch.timestampMs), 24);
  payload.copy(frame, frameHeaderBytes);
  frame.writeUInt32LE(crc32c(frame.subarray(8)), 4);
  return frame;
}

/** The header of a frame whose length, bounds and CRC check out. */
export interface FrameHeader {
  readonly position: number;
  readonly frameBytes: number;
  readonly baseOffset: number;
  readonly epoch: number;
  readonly count: number;
  readonly timestampMs: number;
}

export type ParseFrameOutcome =
  | { kind: "frame"; header: FrameHeader }
  /** The bytes end before the frame does: a write that did not finish. */
  | { kind: "incomplete"; reason: string }
  | { kind: "bad"; reason: string };

/** Checks the frame starting at `position` of `bytes` without decoding its records. */
export function parseFrameAt(bytes: Buffer, position: number): ParseFrameOutcome {
  const available = bytes.length - position;
  if (available < 4) return { kind: "incomplete", reason: `${available} bytes of a length field` };
  const frameBytes = bytes.readUInt32LE(position) + 4;
  if (frameBytes < frameHeaderBytes + 1 || frameBytes > frameBytesMax) {
    return { kind: "bad", reason: `frame length ${frameBytes} out of range` };
  }
  if (frameBytes > available) {
    return { kind: "incomplete", reason: `frame of ${frameBytes} bytes, ${available} present` };
  }
  const crcStored = bytes.readUInt32LE(position + 4);
  const crcComputed = crc32c(bytes.subarray(position + 8, position + frameBytes));
  if (crcStored !== crcComputed) {
    return { kind: "bad", reason: `crc32c ${hex(crcComputed)}, frame says ${hex(crcStored)}` };
  }
  const baseOffset = bytes.readBigUInt64LE(position + 8);
  const timestampMs = bytes.readBigUInt64LE(position + 24);
  const count = bytes.readUInt32LE(position + 20);
  if (
    baseOffset > BigInt(Number.MAX_SAFE_INTEGER) ||
    timestampMs > BigInt(Number.MAX_SAFE_INTEGER)
  ) {
    return { kind: "bad", reason: "base offset or timestamp beyond 2^53" };
  }
  if (count < 1 || count > batchRecordsMax) return { kind: "bad", reason: `count ${count}` };
  return {
    kind: "frame",
    header: {
      position,
      frameBytes,
      baseOffset: Number(baseOffset),
      epoch: bytes.readUInt32LE(position + 16),
      count,
      timestampMs: Number(timestampMs),
    },
  };
}

export type DecodeBatchOutcome = { kind: "ok"; batch: Batch } | { kind: "invalid"; reason: string };

/** Decodes the records of a frame that `parseFrameAt` accepted. */
export function decodeBatch(bytes: Buffer, header: FrameHeader): DecodeBatchOutcome {
  const payload = bytes.subarray(
    header.position + frameHeaderBytes,
    header.position + header.frameBytes,
  );
  const decoded = decodeRecords(payload, header.count);
  if (decoded.kind === "invalid") return decoded;
  return {
    kind: "ok",
    batch: {
      baseOffset: offset(header.baseOffset),
      epoch: epoch(header.epoch),
      timestampMs: header.timestampMs,
      records: decoded.records,
    },
  };
}

const hex = (value: number): string => value.toString(16).padStart(8, "0");
