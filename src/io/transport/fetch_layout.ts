/**
 * A fixed binary layout for the two messages every replicated write travels in: a `fetch`
 * without a snapshot position and a `fetch_response` with records only (no divergence, no
 * snapshot chunk). msgpackr walks a message as a generic object, which cost a follower about a
 * sixth of its CPU per write with one client (decision 0016); here every field sits at a known
 * place. Every other message stays MessagePack (codec.ts).
 *
 * Layout, little-endian: the byte 0xc1, which MessagePack never uses, so no MessagePack payload
 * starts with it; a kind byte; the header (shard, from, to, epoch); then the body's numbers, all
 * float64, so any safe integer or time travels exactly. A fetch_response's numbers end with its
 * batch count; each batch follows as baseOffset, epoch, timestampMs, recordCount and the byte
 * length of its records, then the records in the record codec's form (record_codec.ts).
 *
 * `readFetchLayout` only checks that the bytes hold the layout; codec.ts checks the values'
 * shape with messageProblem, as for MessagePack payloads, so both forms accept the same messages.
 */
import type { Message } from "../../core/replica/index.js";
import { encodeRecords } from "../storage/record_codec.js";
import { fetchCounts, fetchResponseCounts } from "./message_shape.js";

export const fetchLayoutTag = 0xc1;
const fetchKind = 1;
const fetchResponseKind = 2;
const numberBytes = 8;
const headerFields = ["shard", "from", "to", "epoch"] as const;
const batchFields = ["baseOffset", "epoch", "timestampMs", "recordCount"] as const;
const startBytes = 2 + headerFields.length * numberBytes;

/** The message in the fixed layout, or undefined when it is not one of the two it covers. */
export function writeFetchLayout(message: Message): Buffer | undefined {
  const { body } = message;
  if (body.kind === "fetch" && body.snapshot === undefined) {
    const bytes = start(message, fetchKind, fetchCounts.length * numberBytes);
    let at = startBytes;
    for (const field of fetchCounts) at = bytes.writeDoubleLE(body[field], at);
    return bytes;
  }
  if (
    body.kind !== "fetch_response" ||
    body.diverging !== undefined ||
    body.snapshotChunk !== undefined
  ) {
    return undefined;
  }
  const records = body.batches.map((batch) => encodeRecords(batch.records));
  let size = (fetchResponseCounts.length + 1) * numberBytes;
  for (const encoded of records) size += (batchFields.length + 1) * numberBytes + encoded.length;
  const bytes = start(message, fetchResponseKind, size);
  let at = startBytes;
  for (const field of fetchResponseCounts) at = bytes.writeDoubleLE(body[field], at);
  at = bytes.writeDoubleLE(body.batches.length, at);
  body.batches.forEach((batch, index) => {
    const encoded = records[index] as Buffer;
    at = bytes.writeDoubleLE(batch.baseOffset, at);
    at = bytes.writeDoubleLE(batch.epoch, at);
    at = bytes.writeDoubleLE(batch.timestampMs, at);
    at = bytes.writeDoubleLE(batch.records.length, at);
    at = bytes.writeDoubleLE(encoded.length, at);
    at += encoded.copy(bytes, at);
  });
  return bytes;
}

function start(message: Message, kind: number, bodyBytes: number): Buffer {
  const bytes = Buffer.allocUnsafe(startBytes + bodyBytes);
  bytes[0] = fetchLayoutTag;
  bytes[1] = kind;
  let at = 2;
  for (const field of headerFields) at = bytes.writeDoubleLE(message[field], at);
  return bytes;
}

/**
 * The message a fixed-layout payload holds, in the shape MessagePack decoding gives (a batch's
 * records still as bytes), or the reason the bytes do not hold the layout. Never throws.
 */
export function readFetchLayout(payload: Buffer): LayoutRead {
  const kind = payload[1];
  const bodyFields = kind === fetchKind ? fetchCounts.length : fetchResponseCounts.length + 1;
  if (kind !== fetchKind && kind !== fetchResponseKind) {
    return { kind: "malformed", reason: `fixed layout: unknown kind ${String(kind)}` };
  }
  if (payload.length < startBytes + bodyFields * numberBytes) return ends;
  const number = (index: number): number => payload.readDoubleLE(2 + index * numberBytes);
  // Field by field in the order the writer took them: headerFields, then fetchCounts or
  // fetchResponseCounts and the batch count (the round-trip property test pins the two together).
  const header = { shard: number(0), from: number(1), to: number(2), epoch: number(3) };
  if (kind === fetchKind) {
    const body = {
      kind: "fetch",
      fetchId: number(4),
      fetchOffset: number(5),
      lastFetchedEpoch: number(6),
      durableOffset: number(7),
      recordsMax: number(8),
      waitTicksMax: number(9),
      ackedRound: number(10),
      commit: number(11),
    };
    return finished({ ...header, body }, startBytes + bodyFields * numberBytes, payload.length);
  }
  const count = number(9);
  if (!Number.isSafeInteger(count) || count < 0) {
    return { kind: "malformed", reason: `fixed layout: ${count} batches` };
  }
  const batchBytes = (batchFields.length + 1) * numberBytes;
  const batches: unknown[] = [];
  let at = startBytes + bodyFields * numberBytes;
  for (let index = 0; index < count; index++) {
    if (at + batchBytes > payload.length) return ends;
    const read = (field: number): number => payload.readDoubleLE(at + field * numberBytes);
    const length = read(4);
    const recordsAt = at + batchBytes;
    if (!Number.isSafeInteger(length) || length < 0 || recordsAt + length > payload.length) {
      return { kind: "malformed", reason: `fixed layout: batch ${index} records of ${length}` };
    }
    batches.push({
      baseOffset: read(0),
      epoch: read(1),
      timestampMs: read(2),
      recordCount: read(3),
      records: payload.subarray(recordsAt, recordsAt + length),
    });
    at = recordsAt + length;
  }
  const body = {
    kind: "fetch_response",
    fetchId: number(4),
    fetchOffset: number(5),
    commit: number(6),
    leaderLeo: number(7),
    round: number(8),
    batches,
  };
  return finished({ ...header, body }, at, payload.length);
}

type LayoutRead = { kind: "ok"; value: unknown } | { kind: "malformed"; reason: string };

const ends: LayoutRead = { kind: "malformed", reason: "fixed layout: payload ends early" };

function finished(value: unknown, at: number, length: number): LayoutRead {
  if (at === length) return { kind: "ok", value };
  return { kind: "malformed", reason: `fixed layout: ${length - at} bytes after the message` };
}
