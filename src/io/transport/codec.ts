/**
 * Message payloads in MessagePack (msgpackr 2). A bigint is written as a MessagePack int64 and
 * `int64AsType: "bigint"` reads it back as a bigint; msgpackr writes a JavaScript number as a
 * 32-bit int or a float64, never as int64, so numbers stay numbers. Records and structure sharing
 * are off: every payload stands alone, so a lost frame cannot change how the next one decodes.
 *
 * A fetch and a fetch_response with records travel in a fixed binary layout instead
 * (fetch_layout.ts), checked by the same shape rules once read.
 *
 * The records of a batch travel in the byte form of the segment files (storage's record codec,
 * which carries `incr.by` as an exact int64 and checks every record's shape on decode), so log
 * records have one encoding on disk and on the wire.
 */
import { Packr } from "msgpackr";
import type { Batch, Message, MessageBody } from "../../core/replica/index.js";
import { epoch, offset } from "../../core/types.js";
import { decodeRecords, encodeRecords } from "../storage/record_codec.js";
import { fetchLayoutTag, readFetchLayout, writeFetchLayout } from "./fetch_layout.js";
import { messageProblem } from "./message_shape.js";

const packr = new Packr({
  int64AsType: "bigint",
  useRecords: false,
  moreTypes: false,
  mapsAsObjects: true,
});

export type DecodeResult<T> = { kind: "ok"; value: T } | { kind: "malformed"; reason: string };

/** A batch on the wire: its records as one record-codec blob. */
interface WireBatch {
  baseOffset: number;
  epoch: number;
  timestampMs: number;
  recordCount: number;
  records: Uint8Array;
}

/**
 * The payload of one value. msgpackr packs into a shared buffer and returns a view of a region it
 * will not write again, so the result stays valid after later calls.
 */
export function encodePayload(value: unknown): Buffer {
  return packr.pack(value);
}

/** Decodes one payload; never throws, whatever the bytes. */
export function decodePayload(payload: Uint8Array): DecodeResult<unknown> {
  try {
    return { kind: "ok", value: packr.unpack(payload) };
  } catch (error) {
    return { kind: "malformed", reason: `msgpack: ${(error as Error).message}` };
  }
}

export function encodeMessage(message: Message): Buffer {
  const fixed = writeFetchLayout(message);
  if (fixed !== undefined) return fixed;
  if (message.body.kind !== "fetch_response") return packr.pack(message);
  const batches: WireBatch[] = message.body.batches.map((batch) => ({
    baseOffset: batch.baseOffset,
    epoch: batch.epoch,
    timestampMs: batch.timestampMs,
    recordCount: batch.records.length,
    records: encodeRecords(batch.records),
  }));
  return packr.pack({ ...message, body: { ...message.body, batches } });
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Decodes and shape-checks one message payload; never throws. */
export function decodeMessage(payload: Uint8Array): DecodeResult<Message> {
  const decoded =
    payload[0] === fetchLayoutTag ? readFetchLayout(asBuffer(payload)) : decodePayload(payload);
  if (decoded.kind === "malformed") return decoded;
  const problem = messageProblem(decoded.value);
  if (problem !== undefined) return { kind: "malformed", reason: `message: ${problem}` };
  const message = decoded.value as Message;
  if (message.body.kind !== "fetch_response") return { kind: "ok", value: message };
  const wireBatches = message.body.batches as unknown as readonly WireBatch[];
  const batches: Batch[] = [];
  for (const [index, wire] of wireBatches.entries()) {
    const records = decodeRecords(wire.records, wire.recordCount);
    if (records.kind === "invalid") {
      return { kind: "malformed", reason: `message: batch ${index}: ${records.reason}` };
    }
    batches.push({
      baseOffset: offset(wire.baseOffset),
      epoch: epoch(wire.epoch),
      timestampMs: wire.timestampMs,
      records: records.records,
    });
  }
  const body: MessageBody = { ...message.body, batches };
  return { kind: "ok", value: { ...message, body } };
}
