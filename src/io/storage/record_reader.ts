/**
 * Reads back a batch of plain SETs in the exact bytes record_writer.ts writes for them, building
 * the records directly instead of through msgpackr's generic map walk: a follower decodes every
 * batch it fetches and a node every batch it recovers, and a Redis load is mostly plain SETs.
 * Any other byte — another record, another field order or string form, trailing bytes — gives
 * undefined, and the caller decodes with msgpackr, which also says what is wrong with bad bytes.
 * What it returns is what msgpackr returns for the same bytes (test/io/storage/record_reader
 * holds the two side by side).
 */
import type { LogRecord } from "../../core/replica/index.js";
import { substring } from "../../util/string_calls.js";
import { type PlainSetRecord, setRecordHead, setRecordValueField } from "./plain_set_record.js";

/** The `count` plain SETs that `bytes` holds and nothing else, or undefined. */
export function readPlainSets(bytes: Uint8Array, count: number): LogRecord[] | undefined {
  const reader = new PlainSetReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (reader.arrayLength() !== count) return undefined;
  const records: PlainSetRecord[] = [];
  for (let index = 0; index < count; index++) {
    if (!reader.skip(setRecordHead)) return undefined;
    const key = reader.string();
    if (key === undefined || !reader.skip(setRecordValueField)) return undefined;
    const value = reader.string();
    if (value === undefined) return undefined;
    records.push({ kind: "kv", command: { kind: "set", key, value } });
  }
  return reader.atEnd() ? records : undefined;
}

class PlainSetReader {
  private position = 0;

  constructor(private readonly bytes: Buffer) {}

  atEnd(): boolean {
    return this.position === this.bytes.length;
  }

  /** The length in an array header (fixarray, array 16, array 32), or -1. */
  arrayLength(): number {
    const bytes = this.bytes;
    const at = this.position;
    if (at >= bytes.length) return -1;
    const type = bytes[at] as number;
    if (type >= 0x90 && type <= 0x9f) {
      this.position = at + 1;
      return type & 0x0f;
    }
    if (type === 0xdc && at + 3 <= bytes.length) {
      this.position = at + 3;
      return bytes.readUInt16BE(at + 1);
    }
    if (type === 0xdd && at + 5 <= bytes.length) {
      this.position = at + 5;
      return bytes.readUInt32BE(at + 1);
    }
    return -1;
  }

  /** Moves past `expected` if the bytes at the position are exactly it. */
  skip(expected: Buffer): boolean {
    const bytes = this.bytes;
    const at = this.position;
    if (at + expected.length > bytes.length) return false;
    for (let index = 0; index < expected.length; index++) {
      if (bytes[at + index] !== expected[index]) return false;
    }
    this.position = at + expected.length;
    return true;
  }

  /** A string (fixstr, str 8, str 16, str 32) decoded as UTF-8, or undefined. */
  string(): string | undefined {
    const bytes = this.bytes;
    let at = this.position;
    if (at >= bytes.length) return undefined;
    const type = bytes[at] as number;
    let length: number;
    if (type >= 0xa0 && type <= 0xbf) {
      length = type & 0x1f;
      at += 1;
    } else if (type === 0xd9 && at + 2 <= bytes.length) {
      length = bytes[at + 1] as number;
      at += 2;
    } else if (type === 0xda && at + 3 <= bytes.length) {
      length = bytes.readUInt16BE(at + 1);
      at += 3;
    } else if (type === 0xdb && at + 5 <= bytes.length) {
      length = bytes.readUInt32BE(at + 1);
      at += 5;
    } else {
      return undefined;
    }
    const end = at + length;
    if (end > bytes.length) return undefined;
    this.position = end;
    if (length <= shortBytesMax && at + shortBytesMax <= bytes.length) {
      let high = 0;
      for (let index = at; index < end; index++) high |= bytes[index] as number;
      if (high < 0x80) return substring(sixteenChars(bytes, at), 0, length);
    }
    return bytes.toString("utf8", at, end);
  }
}

/** Strings up to this many bytes, if ASCII, are made in JavaScript: a native call costs more. */
const shortBytesMax = 16;

/** The 16 bytes from `at` as latin1 chars, in one call: what msgpackr does for short strings. */
function sixteenChars(bytes: Buffer, at: number): string {
  return String.fromCharCode(
    bytes[at] as number,
    bytes[at + 1] as number,
    bytes[at + 2] as number,
    bytes[at + 3] as number,
    bytes[at + 4] as number,
    bytes[at + 5] as number,
    bytes[at + 6] as number,
    bytes[at + 7] as number,
    bytes[at + 8] as number,
    bytes[at + 9] as number,
    bytes[at + 10] as number,
    bytes[at + 11] as number,
    bytes[at + 12] as number,
    bytes[at + 13] as number,
    bytes[at + 14] as number,
    bytes[at + 15] as number,
  );
}
