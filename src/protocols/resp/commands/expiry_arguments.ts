/**
 * Expiry options turned into absolute times on the node that takes the command (the leader),
 * before it proposes (kv_ops.ts: every time in a record is absolute), with Redis's checks and
 * texts (redis/src/t_string.c parseExtendedStringArgumentsOrReply, getExpireMillisecondsOrReply).
 */
import type { Reply } from "../reply.js";
import { error } from "../reply.js";
import { integerArgument, notInteger } from "./arguments.js";

export type ExpiryUnit = "EX" | "PX" | "EXAT" | "PXAT";

/** Redis refuses expiries that overflow a signed 64-bit millisecond count; JS needs safe ints. */
const expireMsMax = Number.MAX_SAFE_INTEGER;

/** The absolute expiry in ms for `unit amount`, or the reply that refuses it. */
export function absoluteExpiry(
  unit: ExpiryUnit,
  argument: Buffer | undefined,
  nowMs: number,
  command: string,
): number | Reply {
  const amount = integerArgument(argument);
  if (amount === undefined) return notInteger();
  const invalid = error(`ERR invalid expire time in '${command}' command`);
  if (amount <= 0) return invalid;
  const ms = unit === "EX" || unit === "EXAT" ? amount * 1000 : amount;
  const at = unit === "EX" || unit === "PX" ? nowMs + ms : ms;
  if (!Number.isSafeInteger(ms) || !Number.isSafeInteger(at) || at > expireMsMax) return invalid;
  return at;
}
