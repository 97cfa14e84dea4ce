/**
 * The client side of RESP, for tests and benchmark tooling: reply bytes in, typed replies out,
 * RESP2 and RESP3 (https://github.com/redis/redis-specification protocol/RESP3.md). Small
 * rather than fast: an incomplete reply is parsed again from its start when more bytes come.
 * Bulk strings come back as Buffers, integers as numbers (bigints beyond 2^53), blob errors
 * (`!`) as errors. Streamed strings and aggregates (`$?`, `*?`) are not supported.
 */
import type { Reply } from "./reply.js";

export interface ReplyDecodeError {
  kind: "reply_decode_error";
  message: string;
}

const depthMax = 256;

class Incomplete {}
const incomplete = new Incomplete();

class Malformed {
  constructor(readonly message: string) {}
}

export class RespReplyDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;
  private failure: ReplyDecodeError | undefined;

  write(chunk: Buffer): void {
    if (this.failure !== undefined) return;
    this.buffer =
      this.offset === this.buffer.length
        ? chunk
        : Buffer.concat([this.buffer.subarray(this.offset), chunk]);
    this.offset = 0;
  }

  /** The next complete reply, a terminal decode error, or undefined when more bytes are needed. */
  next(): Reply | ReplyDecodeError | undefined {
    if (this.failure !== undefined || this.offset >= this.buffer.length) return undefined;
    const parser = new Parser(this.buffer, this.offset);
    try {
      const reply = parser.reply(0);
      this.offset = parser.offset;
      return reply;
    } catch (caught) {
      if (caught === incomplete) return undefined;
      if (caught instanceof Malformed) {
        this.failure = { kind: "reply_decode_error", message: caught.message };
        return this.failure;
      }
      throw caught;
    }
  }
}

/** Every complete reply in `bytes`; throws if they are malformed or the last is incomplete. */
export function decodeReplies(bytes: Buffer): Reply[] {
  const decoder = new RespReplyDecoder();
  decoder.write(bytes);
  const replies: Reply[] = [];
  for (let reply = decoder.next(); reply !== undefined; reply = decoder.next()) {
    if (reply.kind === "reply_decode_error") throw new Error(reply.message);
    replies.push(reply);
  }
  return replies;
}

class Parser {
  constructor(
    private readonly bytes: Buffer,
    public offset: number,
  ) {}

  reply(depth: number): Reply {
    if (depth > depthMax) throw new Malformed(`nesting deeper than ${depthMax}`);
    const type = this.byte();
    switch (type) {
      case 43: // +
        return { kind: "simple", value: this.line().toString("utf8") };
      case 45: // -
        return { kind: "error", message: this.line().toString("utf8") };
      case 58: // :
        return { kind: "integer", value: this.integer() };
      case 36: {
        // $
        const length = this.length(true);
        return { kind: "bulk", value: length < 0 ? null : this.blob(length) };
      }
      case 33: // !
        return { kind: "error", message: this.blob(this.length(false)).toString("utf8") };
      case 61: {
        // =
        const text = this.blob(this.length(false));
        if (text.length < 4 || text[3] !== 58) throw new Malformed("verbatim without format");
        return {
          kind: "verbatim",
          format: text.subarray(0, 3).toString("latin1"),
          value: text.subarray(4),
        };
      }
      case 42: {
        // *
        const count = this.length(true);
        return { kind: "array", items: count < 0 ? null : this.items(count, depth) };
      }
      case 126: // ~
        return { kind: "set", items: this.items(this.length(false), depth) };
      case 62: // >
        return { kind: "push", items: this.items(this.length(false), depth) };
      case 37: // %
        return { kind: "map", entries: this.entries(this.length(false), depth) };
      case 124: {
        // |
        const entries = this.entries(this.length(false), depth);
        return { kind: "attribute", entries, reply: this.reply(depth + 1) };
      }
      case 44: // ,
        return { kind: "double", value: parseDouble(this.line().toString("latin1")) };
      case 35: {
        // #
        const text = this.line().toString("latin1");
        if (text !== "t" && text !== "f") throw new Malformed(`bad boolean ${text}`);
        return { kind: "boolean", value: text === "t" };
      }
      case 95: // _
        if (this.line().length !== 0) throw new Malformed("null with content");
        return { kind: "null" };
      case 40: {
        // (
        const text = this.line().toString("latin1");
        if (!/^-?\d+$/.test(text)) throw new Malformed(`bad big number ${text}`);
        return { kind: "bigNumber", value: BigInt(text) };
      }
      default:
        throw new Malformed(`unknown reply type byte ${type}`);
    }
  }

  private items(count: number, depth: number): Reply[] {
    const items: Reply[] = [];
    for (let index = 0; index < count; index++) items.push(this.reply(depth + 1));
    return items;
  }

  private entries(count: number, depth: number): Array<[Reply, Reply]> {
    const entries: Array<[Reply, Reply]> = [];
    for (let index = 0; index < count; index++) {
      entries.push([this.reply(depth + 1), this.reply(depth + 1)]);
    }
    return entries;
  }

  private byte(): number {
    if (this.offset >= this.bytes.length) throw incomplete;
    return this.bytes[this.offset++]!;
  }

  /** The bytes up to the next CRLF, which is consumed. */
  private line(): Buffer {
    const end = this.bytes.indexOf(13, this.offset);
    if (end < 0 || end + 1 >= this.bytes.length) throw incomplete;
    if (this.bytes[end + 1] !== 10) throw new Malformed("CR without LF");
    const text = this.bytes.subarray(this.offset, end);
    this.offset = end + 2;
    return text;
  }

  private integer(): number | bigint {
    const text = this.line().toString("latin1");
    if (!/^-?\d+$/.test(text)) throw new Malformed(`bad integer ${text}`);
    const value = BigInt(text);
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  }

  private length(nullable: boolean): number {
    const value = this.integer();
    if (typeof value !== "number" || value < (nullable ? -1 : 0)) {
      throw new Malformed(`bad length ${value}`);
    }
    return value;
  }

  private blob(length: number): Buffer {
    if (this.bytes.length - this.offset < length + 2) throw incomplete;
    const value = this.bytes.subarray(this.offset, this.offset + length);
    if (this.bytes[this.offset + length] !== 13 || this.bytes[this.offset + length + 1] !== 10) {
      throw new Malformed("blob without CRLF");
    }
    this.offset += length + 2;
    return value;
  }
}

function parseDouble(text: string): number {
  if (text === "inf" || text === "+inf") return Number.POSITIVE_INFINITY;
  if (text === "-inf") return Number.NEGATIVE_INFINITY;
  if (text === "nan") return Number.NaN;
  const value = Number(text);
  if (text === "" || Number.isNaN(value)) throw new Malformed(`bad double ${text}`);
  return value;
}
