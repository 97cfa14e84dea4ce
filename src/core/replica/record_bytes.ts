/**
 * An upper bound of the bytes records take in their byte form (io/storage/record_codec.ts: one
 * MessagePack array, https://github.com/msgpack/msgpack/blob/master/spec.md), computed without
 * encoding, since the core may not use the codec. Limits are checked against it: a write whose
 * record could outgrow a storage frame is refused, and a fetch response is cut by bytes. Snapshot
 * entries travel as MessagePack in the peer codec too, so the same walk bounds a snapshot chunk.
 *
 * Strings, which hold nearly all the bytes, are counted exactly: their UTF-8 length (a latin1
 * byte from RESP above 0x7f takes two bytes, a surrogate pair four, a lone surrogate three, as
 * U+FFFD) and the smallest header that holds it, as msgpackr writes. Numbers count as the widest
 * form (9 bytes), and every container header as the widest (5 bytes).
 */
import { charCodeAt } from "../../util/string_calls.js";
import type { KvSnapshotEntry } from "../state/kv_ops.js";
import type { LogRecord } from "./log.js";

const containerHeaderBytesMax = 5;
const scalarBytesMax = 9;

/** The bytes of `records` as one encoded array, or more; never fewer. */
export function recordsBytesBound(records: readonly LogRecord[]): number {
  let bytes = 0;
  for (const record of records) bytes += recordBytesBound(record);
  return recordsBytesBoundFromSum(bytes);
}

/** `recordsBytesBound` of records whose `recordBytesBound`s sum to `recordBytes`. */
export function recordsBytesBoundFromSum(recordBytes: number): number {
  return containerHeaderBytesMax + recordBytes;
}

/** The bytes of one record inside the encoded array, or more; never fewer. */
export function recordBytesBound(record: LogRecord): number {
  return valueBytesBound(record);
}

/**
 * `recordBytesBound` of a plain `SET key value` record, the most common one, without the walk
 * over its objects: the same sum, its fixed part computed once.
 */
export function plainSetRecordBytesBound(key: string, value: string): number {
  return plainSetFixedBytes + stringBytes(key) + stringBytes(value);
}

/** The bytes of one snapshot entry inside an encoded chunk, or more; never fewer. */
export function snapshotEntryBytesBound(entry: KvSnapshotEntry): number {
  // Most entries hold a string without an expiry (`{key, value: {type, data}, version}`): the
  // walk's sum, its fixed part computed once. A compaction bounds every key's entry.
  if (isStringEntry(entry)) {
    return stringEntryFixedBytes + stringBytes(entry.key) + stringBytes(entry.value.data);
  }
  return valueBytesBound(entry);
}

export type StringEntry = KvSnapshotEntry & { value: { type: "string"; data: string } };

const entryFields: ReadonlySet<string> = new Set(["key", "value", "version", "expireAtMs"]);

/**
 * An entry of a string value without an expiry, and no other field: the fixed part of its
 * bound holds, and storage writes its bytes by hand (snapshot_entries.ts).
 */
export function isStringEntry(entry: KvSnapshotEntry): entry is StringEntry {
  const fields = entry as unknown as Record<string, unknown>;
  for (const field in fields) {
    // An unknown field could be new data; only an undefined expiry may be left out.
    if (!entryFields.has(field)) return false;
  }
  const { key, value, expireAtMs } = entry;
  if (expireAtMs !== undefined || typeof key !== "string") return false;
  if (typeof value !== "object" || value === null || value.type !== "string") return false;
  for (const field in value) if (field !== "type" && field !== "data") return false;
  return typeof value.data === "string";
}

/**
 * The bytes one element of a collection (a list item, a hash field, a set member, a sorted-set
 * entry) adds to an entry's bound: an entry's bound is that of the entry with no elements plus
 * its elements', so a chunk can cut a large collection without walking it once per element.
 */
export function snapshotElementBytesBound(element: unknown): number {
  return valueBytesBound(element);
}

/**
 * Walks any record-shaped value, so a new command kind is counted without a change here. The
 * order of an object's fields does not matter to a sum.
 */
function valueBytesBound(value: unknown): number {
  // Comparisons with typeof, not a switch on it: the compiler turns each into a type check,
  // where a switch needs the typeof string made first.
  if (typeof value === "string") return stringBytes(value);
  if (typeof value === "object") return value === null ? 1 : containerBytesBound(value);
  if (typeof value === "number" || typeof value === "bigint") return scalarBytesMax;
  if (typeof value === "boolean") return 1;
  // The codec skips an undefined field altogether (skipValues); its key still counts.
  if (value === undefined) return 0;
  // Records hold no functions or symbols; count generously rather than assert on a hot path.
  return scalarBytesMax;
}

function containerBytesBound(container: object): number {
  let bytes = containerHeaderBytesMax;
  if (Array.isArray(container)) {
    for (const item of container) bytes += valueBytesBound(item);
    return bytes;
  }
  // for...in over a record's plain object: no entries array on every write.
  const fields = container as Record<string, unknown>;
  for (const key in fields) bytes += fieldNameBytes(key) + valueBytesBound(fields[key]);
  return bytes;
}

/**
 * Field names are the few of the record types, each measured once (a lookup costs a fraction of
 * the scan); the cache is bounded, as decoded records may carry names of their own.
 */
const fieldNameBytesCache = new Map<string, number>();
const fieldNamesCachedMax = 1024;

function fieldNameBytes(name: string): number {
  let bytes = fieldNameBytesCache.get(name);
  if (bytes === undefined) {
    bytes = stringBytes(name);
    if (fieldNameBytesCache.size < fieldNamesCachedMax) fieldNameBytesCache.set(name, bytes);
  }
  return bytes;
}

/** A string's MessagePack size: header plus UTF-8 bytes. */
function stringBytes(text: string): number {
  const utf8Bytes = utf8Length(text);
  if (utf8Bytes < 0x20) return 1 + utf8Bytes;
  if (utf8Bytes < 0x100) return 2 + utf8Bytes;
  if (utf8Bytes < 0x10000) return 3 + utf8Bytes;
  return 5 + utf8Bytes;
}

const nonAscii = /[\u0080-\uffff]/;
const loopCharsMax = 8;

/** UTF-8 length of a JavaScript string, lone surrogates written as U+FFFD (3 bytes). */
function utf8Length(text: string): number {
  // The regular expression scans about three times faster than the loop, and most values are
  // ASCII; only the rest pay for the loop. Calling it costs more than looping over a few chars.
  if (text.length > loopCharsMax && !nonAscii.test(text)) return text.length;
  let bytes = text.length;
  for (let index = 0; index < text.length; index++) {
    const unit = charCodeAt(text, index);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      bytes += 1;
    } else if ((unit & 0xfc00) === 0xd800 && (charCodeAt(text, index + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: two units, four bytes.
      bytes += 2;
      index++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

/** A plain SET record's bound less its two strings' (an empty string takes its 1-byte header). */
const plainSetFixedBytes =
  recordBytesBound({ kind: "kv", command: { kind: "set", key: "", value: "" } }) - 2;

/** A string entry's bound less its two strings' (each empty string takes its 1-byte header). */
const stringEntryFixedBytes =
  valueBytesBound({ key: "", value: { type: "string", data: "" }, version: 0 }) - 2;
