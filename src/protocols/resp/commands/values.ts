/** Stored values and offsets as replies. */
import type { Offset, Value } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { array, bulk, integer } from "../reply.js";
import { bytes } from "./arguments.js";

/** A string as a bulk string, a list as an array of them, a hash as flat pairs, absent as nil. */
export function valueReply(value: Value | null | undefined): Reply {
  if (value === null || value === undefined) return bulk(null);
  if (value.type === "string") return bulk(bytes(value.data));
  if (value.type === "hash") return array(value.fields.flat().map((item) => bulk(bytes(item))));
  return array(value.items.map((item) => bulk(bytes(item))));
}

/** Stored strings as an array of bulk strings (nil for null). */
export const stringsReply = (values: readonly (string | null)[]): Reply =>
  array(values.map((value) => (value === null ? bulk(null) : bulk(bytes(value)))));

export const offsetReply = (at: Offset | undefined): Reply =>
  at === undefined ? bulk(null) : integer(at);
