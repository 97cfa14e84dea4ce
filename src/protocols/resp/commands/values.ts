/** Stored values and offsets as replies. */
import type { KvResult, Offset, Value } from "../../../api/index.js";
import { unreachable } from "../../../util/assert.js";
import type { Reply } from "../reply.js";
import { array, bulk, double, integer, ok } from "../reply.js";

/** A write's reply that is OK whatever its result (MSET, SETEX, LSET, ...): one function. */
export const okReply = (): Reply => ok;

/** A write's `count` result (elements removed, the new length) as an integer. */
export const countReply = (result: KvResult): Reply =>
  integer(result.kind === "count" ? result.count : 0);

/**
 * A string as a bulk string, a list or a set as an array of them, a hash as flat pairs, a sorted
 * set as flat member and score pairs (as ZRANGE WITHSCORES in RESP2), absent as nil.
 */
export function valueReply(value: Value | null | undefined): Reply {
  if (value === null || value === undefined) return bulk(null);
  switch (value.type) {
    case "string":
      return bulk(value.data);
    case "hash":
      return array(value.fields.flat().map((item) => bulk(item)));
    case "list":
      return stringsReply(value.items);
    case "set":
      return stringsReply(value.members);
    case "zset":
      return array(value.entries.flatMap(([member, score]) => [bulk(member), double(score)]));
    default:
      return unreachable(value);
  }
}

/** Stored strings as an array of bulk strings (nil for null). */
export const stringsReply = (values: readonly (string | null)[]): Reply =>
  array(values.map((value) => (value === null ? bulk(null) : bulk(value))));

export const offsetReply = (at: Offset | undefined): Reply =>
  at === undefined ? bulk(null) : integer(at);
