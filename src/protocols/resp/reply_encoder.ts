/**
 * Renders replies as RESP2 or RESP3 bytes, as Redis's addReply* functions do for a client on
 * that protocol (redis/redis@4f8cdc2a src/networking.c:872-1160):
 * - null: addReplyNull, `$-1` in RESP2; a null array: addReplyNullArray, `*-1`; `_` in RESP3;
 * - map: addReplyMapLen, a flat array of 2n items in RESP2; set: addReplySetLen, an array;
 * - double: addReplyDouble, a bulk string in RESP2 and `,<d2string>` in RESP3;
 * - boolean: addReplyBool, `:1`/`:0` in RESP2 and `#t`/`#f` in RESP3;
 * - big number: addReplyBigNum, a bulk string in RESP2 and `(` in RESP3;
 * - verbatim: addReplyVerbatim, a bulk string in RESP2 and `=<len+4>\r\nfmt:` in RESP3;
 * - push: an array in RESP2 (as pub/sub messages are) and `>` in RESP3;
 * - attribute: `|` then the reply in RESP3, the reply alone in RESP2;
 * - sequence: its replies one after another, in either protocol (inside EXEC's array too, as
 *   Redis writes SUBSCRIBE's confirmations there).
 * Simple strings and errors have CR and LF turned into spaces (addReplyErrorFormat).
 */
import { unreachable } from "../../util/assert.js";
import { setBytes, subarray } from "../../util/buffer_calls.js";
import { charCodeAt } from "../../util/string_calls.js";
import { formatDouble } from "./double_text.js";
import type { Reply, RespProtocol } from "./reply.js";

const initialBytes = 4096;
/** Lines up to this many chars are tried as ASCII in a loop (asciiLine). */
const shortLineChars = 32;
/** String payloads up to this many chars are copied in a loop. */
const shortPayloadChars = 64;

/** A growable output buffer: write many replies, then take the bytes at once. */
export class ReplyWriter {
  private buffer: Buffer = Buffer.alloc(0);
  private length = 0;

  get byteLength(): number {
    return this.length;
  }

  write(reply: Reply, protocol: RespProtocol): void {
    switch (reply.kind) {
      case "simple":
        return this.line(43, lineSafe(reply.value));
      case "error":
        return this.line(45, lineSafe(reply.message));
      case "integer":
        return this.line(58, reply.value.toString());
      case "bulk":
        if (reply.value === null) return this.null(protocol, 36);
        return this.bulk(reply.value);
      case "array":
        if (reply.items === null) return this.null(protocol, 42);
        return this.aggregate(42, reply.items, protocol);
      case "map":
        if (protocol === 2) this.countLine(42, reply.entries.length * 2);
        else this.countLine(37, reply.entries.length);
        return this.entries(reply.entries, protocol);
      case "set":
        return this.aggregate(protocol === 2 ? 42 : 126, reply.items, protocol);
      case "double":
        if (protocol === 2) return this.bulk(formatDouble(reply.value));
        return this.line(44, formatDouble(reply.value));
      case "boolean":
        if (protocol === 2) return this.line(58, reply.value ? "1" : "0");
        return this.line(35, reply.value ? "t" : "f");
      case "null":
        return this.null(protocol, 36);
      case "bigNumber":
        if (protocol === 2) return this.bulk(reply.value.toString());
        return this.line(40, reply.value.toString());
      case "verbatim":
        if (protocol === 2) return this.bulk(reply.value);
        return this.verbatim(reply.format, reply.value);
      case "push":
        return this.aggregate(protocol === 2 ? 42 : 62, reply.items, protocol);
      case "attribute":
        if (protocol === 3) {
          this.countLine(124, reply.entries.length);
          this.entries(reply.entries, protocol);
        }
        return this.write(reply.reply, protocol);
      case "sequence":
        for (const each of reply.replies) this.write(each, protocol);
        return;
      default:
        return unreachable(reply);
    }
  }

  /** The bytes written so far; the writer starts empty again. */
  take(): Buffer {
    const bytes = subarray(this.buffer, 0, this.length);
    this.buffer = subarray(this.buffer, this.length, this.buffer.length);
    this.length = 0;
    return bytes;
  }

  private null(protocol: RespProtocol, resp2Prefix: 36 | 42): void {
    if (protocol === 3) return this.ascii("_\r\n");
    this.ascii(resp2Prefix === 36 ? "$-1\r\n" : "*-1\r\n");
  }

  private aggregate(prefix: number, items: Reply[], protocol: RespProtocol): void {
    this.countLine(prefix, items.length);
    for (const item of items) this.write(item, protocol);
  }

  private entries(entries: Array<[Reply, Reply]>, protocol: RespProtocol): void {
    for (const [key, value] of entries) {
      this.write(key, protocol);
      this.write(value, protocol);
    }
  }

  /** A string value is latin1, one byte a char (reply.ts): its length is its size. */
  private bulk(value: Buffer | string): void {
    this.countLine(36, value.length);
    this.payload(value);
  }

  /** `=<len+4>\r\nfmt:<bytes>\r\n`; the format is padded or cut to three characters. */
  private verbatim(format: string, value: Buffer | string): void {
    this.countLine(61, value.length + 4);
    this.ascii(`${format.slice(0, 3).padEnd(3, " ")}:`);
    this.payload(value);
  }

  /** A bulk's data (a string in latin1) and its closing CRLF. */
  private payload(value: Buffer | string): void {
    const bytes = value.length;
    this.ensure(bytes + 2);
    const buffer = this.buffer;
    if (typeof value !== "string") setBytes(buffer, value, this.length);
    else if (bytes <= shortPayloadChars) {
      // Most values are short: copied in a loop, not by a native call.
      for (let index = 0, at = this.length; index < bytes; index++, at++) {
        buffer[at] = charCodeAt(value, index);
      }
    } else buffer.write(value, this.length, "latin1");
    this.length += bytes;
    buffer[this.length++] = 13;
    buffer[this.length++] = 10;
  }

  /** `<prefix><text>\r\n`, the text in UTF-8. */
  private line(prefix: number, text: string): void {
    // Most lines are a few ASCII chars (+OK, :1, $3): copied in a loop, not by a native call.
    if (text.length <= shortLineChars && this.asciiLine(prefix, text)) return;
    const bytes = Buffer.byteLength(text);
    this.ensure(bytes + 3);
    this.buffer[this.length++] = prefix;
    this.length += this.buffer.write(text, this.length, "utf8");
    this.buffer[this.length++] = 13;
    this.buffer[this.length++] = 10;
  }

  /** `line` for ASCII `text`; false, having written nothing, when a char is not ASCII. */
  private asciiLine(prefix: number, text: string): boolean {
    this.ensure(text.length + 3);
    const buffer = this.buffer;
    let at = this.length + 1;
    for (let index = 0; index < text.length; index++) {
      const unit = charCodeAt(text, index);
      if (unit >= 0x80) return false;
      buffer[at++] = unit;
    }
    buffer[this.length] = prefix;
    buffer[at] = 13;
    buffer[at + 1] = 10;
    this.length = at + 2;
    return true;
  }

  /** `<prefix><count>\r\n` for a length or count: its digits written here, no string made. */
  private countLine(prefix: number, count: number): void {
    let digits = 1;
    for (let rest = count; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    this.ensure(digits + 3);
    const buffer = this.buffer;
    const at = this.length;
    buffer[at] = prefix;
    let rest = count;
    for (let index = at + digits; index > at; index--) {
      buffer[index] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    buffer[at + digits + 1] = 13;
    buffer[at + digits + 2] = 10;
    this.length = at + digits + 3;
  }

  private ascii(text: string): void {
    this.ensure(text.length);
    this.length += this.buffer.write(text, this.length, "latin1");
  }

  private ensure(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.length + bytes, this.length * 2, initialBytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/** CR and LF would end the line early: Redis maps them to spaces (sdsmapchars). */
function lineSafe(text: string): string {
  for (let index = 0; index < text.length; index++) {
    const unit = charCodeAt(text, index);
    if (unit === 13 || unit === 10) return text.replace(/[\r\n]/g, " ");
  }
  return text;
}

/** One reply's bytes for a client on `protocol`. */
export function encodeReply(reply: Reply, protocol: RespProtocol): Buffer {
  const writer = new ReplyWriter();
  writer.write(reply, protocol);
  return writer.take();
}
