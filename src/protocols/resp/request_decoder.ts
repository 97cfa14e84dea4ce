/**
 * The server side of RESP: bytes from a client in, command argument arrays out. Sans-IO: the
 * caller writes what the socket gave and pulls commands until `next()` answers undefined.
 *
 * It follows Redis's processInputBuffer, processMultibulkBuffer and processInlineBuffer
 * (redis/redis@4f8cdc2a src/networking.c:2237-2540, 2621): a request starting with `*` is a
 * multibulk, anything else an inline line; `*0` and `*-1` and blank inline lines are skipped;
 * the error texts are Redis's. Like Redis it does not check the two bytes after a header's `\r`
 * nor after bulk data (it skips them), so clients that Redis accepts are accepted here.
 *
 * Two deliberate differences make the result independent of how the bytes were split (Redis
 * reads 16 KB at a time, so it nearly always behaves this way too): a header or inline line
 * longer than `inlineBytesMax` is refused even when its end is already buffered, and the query
 * buffer limit counts the arguments of the command being read as well as the unread bytes.
 */

import { subarray } from "../../util/buffer_calls.js";
import { splitInlineArguments } from "./inline_split.js";
import { type RespLimits, redisDefaultLimits } from "./limits.js";
import { parseRedisInteger } from "./parse_integer.js";
import {
  expectedDollarError,
  type ProtocolError,
  protocolError,
  queryBufferLimitError,
} from "./protocol_error.js";

const carriageReturn = 13;
const lineFeed = 10;
const star = 42;
const dollar = 36;
const growBytesMin = 16 * 1024;
/** Between commands; frozen, as a command's own array always replaces it before a write. */
const noArguments: Buffer[] = Object.freeze([]) as unknown as Buffer[];
/** Multibulk counts up to this many get an array of their size at once. */
const presizedArgumentsMax = 64;
/** Bytes of a header line scanned by hand before Buffer.indexOf takes over (findShort). */
const shortLineBytes = 24;
const empty = Buffer.alloc(0);

/**
 * The names of the commands sent most, as node-redis (upper case) and ioredis (lower case) send
 * them: a command named by one of these bytes gets this shared, read-only copy as its first
 * argument instead of a new view (a view costs more than comparing a few bytes). By length.
 */
const sharedNames: readonly (readonly Buffer[])[] = (() => {
  const names = ["GET", "SET", "DEL", "INCR", "MGET", "MSET", "HGET", "HSET", "EXPIRE", "EXISTS"];
  const byLength: Buffer[][] = [];
  for (const name of [...names, ...names.map((upper) => upper.toLowerCase())]) {
    const sameLength = byLength[name.length] ?? [];
    sameLength.push(Buffer.from(name, "latin1"));
    byLength[name.length] = sameLength;
  }
  return byLength;
})();

/** The shared name whose bytes are `buffer[start, start + length)`, if any (sharedNames). */
function sharedName(buffer: Buffer, start: number, length: number): Buffer | undefined {
  const candidates = sharedNames[length];
  if (candidates === undefined) return undefined;
  for (const name of candidates) {
    let index = 0;
    while (index < length && name[index] === buffer[start + index]) index++;
    if (index === length) return name;
  }
  return undefined;
}

/** One command: its arguments, binary-safe. */
export type RespCommand = Buffer[];

export interface RespRequestDecoderOptions {
  limits?: Partial<RespLimits>;
  /** Redis's tighter limits before AUTH (networking.c authRequired); default false. */
  authRequired?: boolean;
}

/**
 * Contract: `write` takes ownership of the chunk (the caller must not change it afterwards).
 * `next` returns the next complete command, or the one terminal ProtocolError, or undefined when
 * more bytes are needed (and forever after the error). It never throws on any input. Returned
 * arguments are views into the written chunks (a common command name: a shared copy), never to
 * be written to: copy one to keep it beyond the command.
 */
export class RespRequestDecoder {
  private readonly limits: RespLimits;
  private authRequired: boolean;
  /** The bytes received and not yet released: a chunk as written, or a view of `storage`. */
  private buffer: Buffer = empty;
  /** Space allocated here to join chunks; bytes may be appended after `length`. */
  private storage: Buffer | undefined;
  private offset = 0;
  private length = 0;
  /** Arguments still to read of the current multibulk; 0 between commands. */
  private argumentsRemaining = 0;
  /** Length of the bulk being read, -1 when its `$` header is still to come. */
  private bulkBytes = -1;
  private argumentsRead: Buffer[] = noArguments;
  /** Arguments read into `argumentsRead` so far. */
  private argumentsFilled = 0;
  private argumentBytesRead = 0;
  private failure: ProtocolError | undefined;
  private failureReported = false;

  constructor(options: RespRequestDecoderOptions = {}) {
    this.limits = { ...redisDefaultLimits, ...options.limits };
    this.authRequired = options.authRequired ?? false;
  }

  /** After a successful AUTH the normal limits apply (networking.c authRequired). */
  setAuthRequired(required: boolean): void {
    this.authRequired = required;
  }

  /** The error that ended decoding, if any. */
  get error(): ProtocolError | undefined {
    return this.failure;
  }

  /** Bytes held: unread input plus the arguments of the command being read. */
  get bufferedBytes(): number {
    return this.length - this.offset + this.argumentBytesRead;
  }

  write(chunk: Buffer): void {
    if (this.failure !== undefined || chunk.length === 0) return;
    const limit = this.authRequired
      ? Math.min(this.limits.unauthenticatedQueryBufferBytesMax, this.limits.queryBufferBytesMax)
      : this.limits.queryBufferBytesMax;
    if (this.bufferedBytes + chunk.length > limit) {
      this.fail(queryBufferLimitError());
      return;
    }
    const pending = this.length - this.offset;
    if (pending === 0) {
      this.buffer = chunk;
      this.storage = undefined;
      this.offset = 0;
      this.length = chunk.length;
      return;
    }
    if (this.storage !== undefined && this.storage.length - this.length >= chunk.length) {
      chunk.copy(this.storage, this.length);
      this.length += chunk.length;
      this.buffer = this.storage.subarray(0, this.length);
      return;
    }
    // Never move bytes inside the old buffer: returned arguments may still view them.
    const needed = pending + chunk.length;
    const bulkEnd = this.bulkBytes >= 0 ? this.bulkBytes + 2 : 0;
    // Room for the whole bulk being read (as Redis's sdsMakeRoomForNonGreedy), else doubling
    // (amortised linear copying) up to the query buffer limit.
    const capacity = Math.max(needed, bulkEnd, growBytesMin, Math.min(needed * 2, limit));
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, this.offset, this.length);
    chunk.copy(grown, pending);
    this.storage = grown;
    this.buffer = grown.subarray(0, needed);
    this.offset = 0;
    this.length = needed;
  }

  next(): RespCommand | ProtocolError | undefined {
    if (this.failure !== undefined) return this.reportFailure();
    while (this.offset < this.length) {
      const result =
        this.argumentsRemaining > 0
          ? this.readBulks()
          : this.buffer[this.offset] === star
            ? this.readMultibulkCount()
            : this.readInline();
      if (result === undefined) return undefined;
      if (result === "continue") continue;
      if (!Array.isArray(result)) {
        this.fail(result);
        return this.reportFailure();
      }
      if (this.offset === this.length) this.release();
      return result;
    }
    return undefined;
  }

  /** processInlineBuffer: one line up to `\n`, an optional `\r` before it dropped. */
  private readInline(): RespCommand | ProtocolError | "continue" | undefined {
    const newline = this.find(lineFeed);
    if (newline < 0) {
      return this.length - this.offset > this.limits.inlineBytesMax
        ? protocolError("too_big_inline_request")
        : undefined;
    }
    if (newline - this.offset > this.limits.inlineBytesMax) {
      return protocolError("too_big_inline_request");
    }
    const lineEnd =
      newline > this.offset && this.buffer[newline - 1] === carriageReturn ? newline - 1 : newline;
    const command = splitInlineArguments(this.buffer, this.offset, lineEnd);
    if (command === undefined) return protocolError("unbalanced_quotes");
    this.offset = newline + 1;
    return command.length === 0 ? "continue" : command;
  }

  /** processMultibulkBuffer, first part: the `*<count>\r\n` line. */
  private readMultibulkCount(): ProtocolError | "continue" | undefined {
    const lineEnd = this.findHeaderEnd();
    if (lineEnd === "too_big") return protocolError("too_big_mbulk_count");
    if (lineEnd === undefined) return undefined;
    const count = parseRedisInteger(this.buffer, this.offset + 1, lineEnd);
    if (count === undefined || count > this.limits.multibulkCountMax) {
      return protocolError("invalid_multibulk_length");
    }
    if (count > this.limits.unauthenticatedCountMax && this.authRequired) {
      return protocolError("unauthenticated_multibulk_length");
    }
    this.offset = lineEnd + 2;
    if (count <= 0) return "continue";
    this.argumentsRemaining = count;
    // Sized once, not grown from empty (a first push reserves 17 slots); a count a client
    // claims is not trusted beyond `presizedArgumentsMax`, as Redis caps argv's first size.
    this.argumentsRead = count <= presizedArgumentsMax ? new Array(count) : [];
    this.argumentsFilled = 0;
    this.bulkBytes = -1;
    return "continue";
  }

  /** processMultibulkBuffer, second part: `$<len>\r\n<bytes>\r\n` per argument. */
  private readBulks(): RespCommand | ProtocolError | undefined {
    while (this.argumentsRemaining > 0) {
      if (this.bulkBytes < 0) {
        const lineEnd = this.findHeaderEnd();
        if (lineEnd === "too_big") return protocolError("too_big_bulk_count");
        if (lineEnd === undefined) return undefined;
        const first = this.buffer[this.offset]!;
        if (first !== dollar) return expectedDollarError(first);
        const bytes = parseRedisInteger(this.buffer, this.offset + 1, lineEnd);
        if (bytes === undefined || bytes < 0 || bytes > this.limits.bulkBytesMax) {
          return protocolError("invalid_bulk_length");
        }
        if (bytes > this.limits.unauthenticatedBulkBytesMax && this.authRequired) {
          return protocolError("unauthenticated_bulk_length");
        }
        this.offset = lineEnd + 2;
        this.bulkBytes = bytes;
      }
      // Not enough data (+2 for the trailing CRLF, which Redis skips without checking).
      if (this.length - this.offset < this.bulkBytes + 2) return undefined;
      const argument =
        (this.argumentsFilled === 0
          ? sharedName(this.buffer, this.offset, this.bulkBytes)
          : undefined) ?? subarray(this.buffer, this.offset, this.offset + this.bulkBytes);
      this.argumentsRead[this.argumentsFilled++] = argument;
      this.argumentBytesRead += this.bulkBytes;
      this.offset += this.bulkBytes + 2;
      this.bulkBytes = -1;
      this.argumentsRemaining--;
    }
    const command = this.argumentsRead;
    this.argumentsRead = noArguments;
    this.argumentBytesRead = 0;
    return command;
  }

  /**
   * The `\r` ending a `*` or `$` line, when one more byte follows it (Redis waits for the `\n`
   * it then skips); "too_big" when the line is longer than PROTO_INLINE_MAX_SIZE.
   */
  private findHeaderEnd(): number | "too_big" | undefined {
    const lineEnd = this.findShort(carriageReturn);
    if (lineEnd < 0) {
      return this.length - this.offset > this.limits.inlineBytesMax ? "too_big" : undefined;
    }
    if (lineEnd - this.offset > this.limits.inlineBytesMax) return "too_big";
    return lineEnd + 1 < this.length ? lineEnd : undefined;
  }

  /**
   * `find` for a header line, which is short (`$3`, `*16`): a loop over its first bytes beats
   * Buffer.indexOf's call, which costs more than the scan.
   */
  private findShort(byte: number): number {
    const buffer = this.buffer;
    const end = Math.min(this.length, this.offset + shortLineBytes);
    for (let index = this.offset; index < end; index++) if (buffer[index] === byte) return index;
    return end === this.length ? -1 : this.buffer.indexOf(byte, end);
  }

  /** Index of `byte` in the unread bytes, or -1. */
  private find(byte: number): number {
    return this.buffer.indexOf(byte, this.offset);
  }

  private release(): void {
    this.buffer = empty;
    this.storage = undefined;
    this.offset = 0;
    this.length = 0;
  }

  private fail(error: ProtocolError): void {
    this.failure = error;
    this.release();
    this.argumentsRead = noArguments;
    this.argumentBytesRead = 0;
  }

  private reportFailure(): ProtocolError | undefined {
    if (this.failureReported) return undefined;
    this.failureReported = true;
    return this.failure;
  }
}
