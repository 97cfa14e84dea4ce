/**
 * fast-check generators of replies of every kind, and what a RESP2 or RESP3 client reads back
 * from their bytes (the rendering rules of Redis's addReply* functions, restated plainly).
 */
import fc from "fast-check";
import { formatDouble, type Reply } from "../../../src/protocols/resp/index.js";

const line = fc.string({ maxLength: 12 }).filter((s) => !s.includes("\r") && !s.includes("\n"));
const bytes = fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b));
const blob = fc.oneof(bytes, fc.string({ maxLength: 12, unit: "grapheme" }));
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

export const replyArbitrary: fc.Arbitrary<Reply> = fc.letrec<{ reply: Reply }>((tie) => {
  const child = tie("reply");
  const children = fc.array(child, { maxLength: 3 });
  const entries = fc.array(fc.tuple(child, child), { maxLength: 3 });
  return {
    reply: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      line.map((value): Reply => ({ kind: "simple", value })),
      line.map((message): Reply => ({ kind: "error", message: `ERR ${message}` })),
      fc
        .oneof(fc.integer(), int64)
        .map((value): Reply => ({ kind: "integer", value: narrow(BigInt(value)) })),
      fc.option(blob, { nil: null }).map((value): Reply => ({ kind: "bulk", value })),
      fc.option(children, { nil: null }).map((items): Reply => ({ kind: "array", items })),
      entries.map((e): Reply => ({ kind: "map", entries: e })),
      children.map((items): Reply => ({ kind: "set", items })),
      fc.double().map((value): Reply => ({ kind: "double", value })),
      fc.boolean().map((value): Reply => ({ kind: "boolean", value })),
      fc.constant<Reply>({ kind: "null" }),
      fc
        .bigInt({ min: -(2n ** 200n), max: 2n ** 200n })
        .map((value): Reply => ({ kind: "bigNumber", value })),
      fc
        .record({ format: fc.constantFrom("txt", "mkd", "x", "long"), value: blob })
        .map(({ format, value }): Reply => ({ kind: "verbatim", format, value })),
      children.map((items): Reply => ({ kind: "push", items })),
      fc
        .tuple(entries, child)
        .map(([e, reply]): Reply => ({ kind: "attribute", entries: e, reply })),
    ),
  };
}).reply;

/** Integers come back as numbers when exact, bigints beyond 2^53. */
function narrow(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

/** A string in a reply is latin1 (reply.ts). */
const asBuffer = (value: Buffer | string): Buffer =>
  typeof value === "string" ? Buffer.from(value, "latin1") : value;

/** What a RESP3 client decodes: the same reply, bulk bytes as Buffers, nulls as `_`. */
export function seenByResp3(reply: Reply): Reply {
  switch (reply.kind) {
    case "bulk":
      return reply.value === null
        ? { kind: "null" }
        : { kind: "bulk", value: asBuffer(reply.value) };
    case "array":
      return reply.items === null
        ? { kind: "null" }
        : { kind: "array", items: reply.items.map(seenByResp3) };
    case "map":
      return {
        kind: "map",
        entries: reply.entries.map(([k, v]) => [seenByResp3(k), seenByResp3(v)]),
      };
    case "set":
    case "push":
      return { kind: reply.kind, items: reply.items.map(seenByResp3) };
    case "verbatim":
      return {
        kind: "verbatim",
        format: reply.format.slice(0, 3).padEnd(3, " "),
        value: asBuffer(reply.value),
      };
    case "attribute":
      return {
        kind: "attribute",
        entries: reply.entries.map(([k, v]) => [seenByResp3(k), seenByResp3(v)]),
        reply: seenByResp3(reply.reply),
      };
    default:
      return reply;
  }
}

/** What a RESP2 client decodes: RESP3 kinds rendered as Redis renders them for RESP2. */
export function seenByResp2(reply: Reply): Reply {
  const bulk = (value: Buffer | string | null): Reply => ({
    kind: "bulk",
    value: value === null ? null : asBuffer(value),
  });
  switch (reply.kind) {
    case "bulk":
      return bulk(reply.value);
    case "array":
      return { kind: "array", items: reply.items === null ? null : reply.items.map(seenByResp2) };
    case "map":
      return { kind: "array", items: reply.entries.flat().map(seenByResp2) };
    case "set":
    case "push":
      return { kind: "array", items: reply.items.map(seenByResp2) };
    case "double":
      return bulk(formatDouble(reply.value));
    case "boolean":
      return { kind: "integer", value: reply.value ? 1 : 0 };
    case "null":
      return bulk(null);
    case "bigNumber":
      return bulk(reply.value.toString());
    case "verbatim":
      return bulk(reply.value);
    case "attribute":
      return seenByResp2(reply.reply);
    default:
      return reply;
  }
}
