/**
 * Writes a batch's records as one MessagePack array (https://github.com/msgpack/msgpack/blob/
 * master/spec.md), the bytes record_codec.ts reads back. A plain `SET key value` — no option, most
 * of a Redis workload — is written by hand: two fixed maps around two strings, about a fifth of
 * what msgpackr's generic object walk costs. Every other record goes through msgpackr. The bytes
 * differ from msgpackr's own only in map field order, which a reader does not see; strings get the
 * smallest header that holds them, as msgpackr writes them, so record_bytes.ts's bound holds.
 */
import type { Packr } from "msgpackr";
import type { LogRecord } from "../../core/replica/index.js";
import { isPlainSet, setRecordHead, setRecordValueField } from "./plain_set_record.js";

/** Strings up to this many chars are tried as ASCII in a loop; longer ones use the native copy. */
const loopCharsMax = 64;

export class RecordWriter {
  private scratch = Buffer.allocUnsafe(64 * 1024);
  private position = 0;

  constructor(private readonly packr: Packr) {}

  /** The records' bytes, in a buffer of their own. */
  write(records: readonly LogRecord[]): Buffer {
    // Stops at the first plain SET, which in a Redis load is the first record.
    if (!records.some(isPlainSet)) return this.packr.pack(records);
    this.position = 0;
    this.arrayHeader(records.length);
    for (const record of records) {
      if (isPlainSet(record)) {
        this.copy(setRecordHead);
        this.string(record.command.key);
        this.copy(setRecordValueField);
        this.string(record.command.value);
      } else {
        this.copy(this.packr.pack(record));
      }
    }
    return Buffer.from(this.scratch.subarray(0, this.position));
  }

  private arrayHeader(count: number): void {
    this.reserve(5);
    const scratch = this.scratch;
    if (count < 16) {
      scratch[this.position++] = 0x90 | count;
    } else if (count < 0x10000) {
      scratch[this.position] = 0xdc;
      scratch.writeUInt16BE(count, this.position + 1);
      this.position += 3;
    } else {
      scratch[this.position] = 0xdd;
      scratch.writeUInt32BE(count, this.position + 1);
      this.position += 5;
    }
  }

  private string(text: string): void {
    const chars = text.length;
    if (chars <= loopCharsMax) {
      this.reserve(2 + chars);
      const start = this.position;
      const headerBytes = this.stringHeader(chars);
      const scratch = this.scratch;
      let at = start + headerBytes;
      let ascii = true;
      for (let index = 0; index < chars; index++) {
        const unit = text.charCodeAt(index);
        if (unit >= 0x80) {
          ascii = false;
          break;
        }
        scratch[at++] = unit;
      }
      if (ascii) {
        this.position = at;
        return;
      }
      this.position = start;
    }
    const bytes = Buffer.byteLength(text, "utf8");
    this.reserve(5 + bytes);
    this.stringHeader(bytes);
    this.position += this.scratch.write(text, this.position, "utf8");
  }

  /** Writes the smallest str header for `bytes` at the position; returns its length. */
  private stringHeader(bytes: number): number {
    const scratch = this.scratch;
    const at = this.position;
    if (bytes < 32) {
      scratch[at] = 0xa0 | bytes;
      this.position = at + 1;
    } else if (bytes < 0x100) {
      scratch[at] = 0xd9;
      scratch[at + 1] = bytes;
      this.position = at + 2;
    } else if (bytes < 0x10000) {
      scratch[at] = 0xda;
      scratch.writeUInt16BE(bytes, at + 1);
      this.position = at + 3;
    } else {
      scratch[at] = 0xdb;
      scratch.writeUInt32BE(bytes, at + 1);
      this.position = at + 5;
    }
    return this.position - at;
  }

  private copy(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.scratch.set(bytes, this.position);
    this.position += bytes.length;
  }

  private reserve(bytes: number): void {
    if (this.position + bytes <= this.scratch.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.position + bytes));
    this.scratch.copy(grown, 0, 0, this.position);
    this.scratch = grown;
  }
}
