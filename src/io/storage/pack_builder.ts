/**
 * A growable scratch buffer that MessagePack values are written into by hand
 * (https://github.com/msgpack/msgpack/blob/master/spec.md), for the records and snapshot entries
 * that are common enough to skip msgpackr's generic object walk. Strings get the smallest header
 * that holds them, as msgpackr writes them, so record_bytes.ts's bounds hold.
 */
import { setBytes } from "../../util/buffer_calls.js";
import { charCodeAt } from "../../util/string_calls.js";

/** A short ASCII string as a MessagePack fixstr: the bytes of a field name written by hand. */
export const fixstr = (text: string): number[] => [
  0xa0 | text.length,
  ...Buffer.from(text, "latin1"),
];

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
const uint64Max = 2n ** 64n - 1n;

/** Strings up to this many chars are tried as ASCII in a loop; longer ones use the native copy. */
const loopCharsMax = 64;

export class PackBuilder {
  private scratch = Buffer.allocUnsafe(64 * 1024);
  private position = 0;

  /** Starts a new value, dropping what was written. */
  reset(): void {
    this.position = 0;
  }

  /** What was written since `reset`, in a buffer of its own. */
  take(): Buffer {
    return Buffer.from(this.scratch.subarray(0, this.position));
  }

  /** A non-negative integer below 2^32, in its smallest form. */
  unsigned(value: number): void {
    this.reserve(5);
    this.smallest(value, 0x00, 0x80, 0xcc);
  }

  /** Where the next byte goes; `rewind` to it drops what was written after. */
  get mark(): number {
    return this.position;
  }

  rewind(mark: number): void {
    this.position = mark;
  }

  arrayHeader(count: number): void {
    this.collectionHeader(count, 0x90, 0xdc);
  }

  mapHeader(count: number): void {
    this.collectionHeader(count, 0x80, 0xde);
  }

  nil(): void {
    this.reserve(1);
    this.scratch[this.position++] = 0xc0;
  }

  boolean(value: boolean): void {
    this.reserve(1);
    this.scratch[this.position++] = value ? 0xc3 : 0xc2;
  }

  /**
   * A number as msgpackr writes it: an integer of 32 bits or less in its smallest form, any other
   * number as a float64 (so nothing comes back as a bigint). -0 is written as 0, as msgpackr does.
   */
  number(value: number): void {
    this.reserve(9);
    const scratch = this.scratch;
    const at = this.position;
    if (value >>> 0 === value) {
      this.smallest(value, 0x00, 0x80, 0xcc);
    } else if (value >> 0 === value) {
      if (value >= -0x20) {
        scratch[at] = 0x100 + value;
        this.position = at + 1;
      } else if (value >= -0x80) {
        scratch[at] = 0xd0;
        scratch.writeInt8(value, at + 1);
        this.position = at + 2;
      } else if (value >= -0x8000) {
        scratch[at] = 0xd1;
        scratch.writeInt16BE(value, at + 1);
        this.position = at + 3;
      } else {
        scratch[at] = 0xd2;
        scratch.writeInt32BE(value, at + 1);
        this.position = at + 5;
      }
    } else {
      scratch[at] = 0xcb;
      scratch.writeDoubleBE(value, at + 1);
      this.position = at + 9;
    }
  }

  /** A bigint as msgpackr writes it, int64 (uint64 above it); false, writing nothing, beyond. */
  bigint(value: bigint): boolean {
    if (value < int64Min || value > uint64Max) return false;
    this.reserve(9);
    const at = this.position;
    if (value <= int64Max) {
      this.scratch[at] = 0xd3;
      this.scratch.writeBigInt64BE(value, at + 1);
    } else {
      this.scratch[at] = 0xcf;
      this.scratch.writeBigUInt64BE(value, at + 1);
    }
    this.position = at + 9;
    return true;
  }

  private collectionHeader(count: number, fixedBase: number, code16: number): void {
    this.reserve(5);
    const scratch = this.scratch;
    if (count < 16) {
      scratch[this.position++] = fixedBase | count;
    } else if (count < 0x10000) {
      scratch[this.position] = code16;
      scratch.writeUInt16BE(count, this.position + 1);
      this.position += 3;
    } else {
      scratch[this.position] = code16 + 1;
      scratch.writeUInt32BE(count, this.position + 1);
      this.position += 5;
    }
  }

  string(text: string): void {
    const chars = text.length;
    if (chars <= loopCharsMax) {
      this.reserve(2 + chars);
      const start = this.position;
      const headerBytes = this.stringHeader(chars);
      const scratch = this.scratch;
      let at = start + headerBytes;
      let ascii = true;
      for (let index = 0; index < chars; index++) {
        const unit = charCodeAt(text, index);
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
    return this.smallest(bytes, 0xa0, 32, 0xd9);
  }

  /**
   * `value` in the smallest of the forms MessagePack gives a count or an unsigned integer: in the
   * byte `fixedBase | value` below `fixedLimit`, else the code for 8 bits (`code8`; the next two
   * codes are for 16 and 32) and the value. Returns the bytes written.
   */
  private smallest(value: number, fixedBase: number, fixedLimit: number, code8: number): number {
    const scratch = this.scratch;
    const at = this.position;
    if (value < fixedLimit) {
      scratch[at] = fixedBase | value;
      this.position = at + 1;
    } else if (value < 0x100) {
      scratch[at] = code8;
      scratch[at + 1] = value;
      this.position = at + 2;
    } else if (value < 0x10000) {
      scratch[at] = code8 + 1;
      scratch.writeUInt16BE(value, at + 1);
      this.position = at + 3;
    } else {
      scratch[at] = code8 + 2;
      scratch.writeUInt32BE(value, at + 1);
      this.position = at + 5;
    }
    return this.position - at;
  }

  copy(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    setBytes(this.scratch, bytes, this.position);
    this.position += bytes.length;
  }

  private reserve(bytes: number): void {
    if (this.position + bytes <= this.scratch.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.position + bytes));
    this.scratch.copy(grown, 0, 0, this.position);
    this.scratch = grown;
  }
}
