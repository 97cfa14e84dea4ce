/** Stored values and offsets as replies. */
import type { Offset, Value } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { array, bulk, integer } from "../reply.js";
import { bytes } from "./arguments.js";

/** A string as a bulk string, a list as an array of them, absent as nil. */
export function valueReply(value: Value | null | undefined): Reply {
  if (value === null || value === undefined) return bulk(null);
  if (value.type === "string") return bulk(bytes(value.data));
  return array(value.items.map((item) => bulk(bytes(item))));
}

export const offsetReply = (at: Offset | undefined): Reply =>
  at === undefined ? bulk(null) : integer(at);
