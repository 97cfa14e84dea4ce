/**
 * What a command answers, typed by RESP3 kind (https://github.com/redis/redis-specification
 * protocol/RESP3.md). The encoder renders each kind for the connection's protocol, RESP2 or
 * RESP3, the way Redis's addReply* functions do (redis/redis@4f8cdc2a src/networking.c).
 *
 * A bulk or verbatim string given as a JavaScript string is latin1, one char per byte (every char
 * at most 0xFF), as the store holds keys and values (kv_ops.ts): a stored value is answered as it
 * is, without a Buffer of its bytes. Simple strings and errors are lines of UTF-8 text.
 */
export type Reply =
  | { kind: "simple"; value: string }
  | { kind: "error"; message: string }
  | { kind: "integer"; value: number | bigint }
  | { kind: "bulk"; value: Buffer | string | null }
  | { kind: "array"; items: Reply[] | null }
  | { kind: "map"; entries: Array<[Reply, Reply]> }
  | { kind: "set"; items: Reply[] }
  | { kind: "double"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "bigNumber"; value: bigint }
  | { kind: "verbatim"; format: string; value: Buffer | string }
  | { kind: "push"; items: Reply[] }
  | { kind: "attribute"; entries: Array<[Reply, Reply]>; reply: Reply }
  /** Several replies to one command, one after another: SUBSCRIBE a b confirms each channel. */
  | { kind: "sequence"; replies: Reply[] };

export type RespProtocol = 2 | 3;

export const ok: Reply = Object.freeze({ kind: "simple", value: "OK" });
export const nullReply: Reply = Object.freeze({ kind: "null" });

export const simple = (value: string): Reply => ({ kind: "simple", value });
/** `message` includes the code: `ERR wrong number of arguments for 'get' command`. */
export const error = (message: string): Reply => ({ kind: "error", message });
export const integer = (value: number | bigint): Reply => ({ kind: "integer", value });
export const bulk = (value: Buffer | string | null): Reply => ({ kind: "bulk", value });
export const array = (items: Reply[] | null): Reply => ({ kind: "array", items });
export const map = (entries: Array<[Reply, Reply]>): Reply => ({ kind: "map", entries });
export const set = (items: Reply[]): Reply => ({ kind: "set", items });
export const double = (value: number): Reply => ({ kind: "double", value });
export const boolean = (value: boolean): Reply => ({ kind: "boolean", value });
export const bigNumber = (value: bigint): Reply => ({ kind: "bigNumber", value });
export const verbatim = (format: string, value: Buffer | string): Reply => ({
  kind: "verbatim",
  format,
  value,
});
export const push = (items: Reply[]): Reply => ({ kind: "push", items });
export const sequence = (replies: Reply[]): Reply => ({ kind: "sequence", replies });
