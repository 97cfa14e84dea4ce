/**
 * Expiry options turned into absolute times on the node that takes the command (the leader),
 * before it proposes (kv_ops.ts: every time in a record is absolute), with Redis's checks and
 * texts (redis/src/t_string.c getExpireMillisecondsOrReply, redis/src/expire.c
 * expireGenericCommand). Redis refuses only what overflows its signed 64-bit millisecond
 * arithmetic; onelog holds times as safe integers, so a time past 2^53 ms (the year 287,396) is
 * held as 2^53 - 1 and one before -2^53 as -(2^53 - 1): as far in the future, or as long past,
 * for every purpose but TTL's and EXPIRETIME's figures.
 */
import type { Reply } from "../reply.js";
import { error } from "../reply.js";
import { integerArgument, notInteger, text } from "./arguments.js";

export type ExpiryUnit = "EX" | "PX" | "EXAT" | "PXAT";

const int64Max = 2n ** 63n - 1n;
const int64Min = -(2n ** 63n);

/** Below 2^40 (35 years in ms, 34,000 years in s), `amount × 1000 + now` stays a safe integer. */
const smallAmountMax = 2 ** 40;

const invalidExpiry = (command: string): Reply =>
  error(`ERR invalid expire time in '${command}' command`);

/** A time in ms as onelog holds it (see above). */
function held(ms: bigint): number {
  if (ms > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (ms < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(ms);
}

/** SET's, GETEX's and SETEX's expiry: `unit amount` as an absolute time in ms, or the refusal. */
export function absoluteExpiry(
  unit: ExpiryUnit,
  argument: Buffer | undefined,
  nowMs: number,
  command: string,
): number | Reply {
  const amount = integerArgument(argument);
  if (amount === undefined) return notInteger();
  if (amount <= 0) return invalidExpiry(command);
  const seconds = unit === "EX" || unit === "EXAT";
  const relative = unit === "EX" || unit === "PX";
  // The usual amounts in plain numbers, which hold them exactly; the rest in int64 arithmetic.
  if (amount < smallAmountMax) return (seconds ? amount * 1000 : amount) + (relative ? nowMs : 0);
  let ms = BigInt(text(argument as Buffer));
  if (seconds && ms > int64Max / 1000n) return invalidExpiry(command);
  if (seconds) ms *= 1000n;
  if (relative) ms += BigInt(nowMs);
  // Redis's `milliseconds <= 0` after the addition: its overflow.
  return ms > int64Max ? invalidExpiry(command) : held(ms);
}

/**
 * EXPIRE's family: `amount` (seconds or ms) from `baseMs` (0 for the AT forms) as an absolute
 * time in ms, or the refusal. A time before now, however far, is simply past: the key goes.
 */
export function expireCommandTime(
  argument: Buffer,
  unitMs: 1 | 1000,
  baseMs: number,
  command: string,
): number | Reply {
  const amount = integerArgument(argument);
  if (amount === undefined) return notInteger();
  if (Math.abs(amount) < smallAmountMax) return amount * unitMs + baseMs;
  let when = BigInt(text(argument));
  if (unitMs === 1000) {
    if (when > int64Max / 1000n || when < int64Min / 1000n) return invalidExpiry(command);
    when *= 1000n;
  }
  const base = BigInt(baseMs);
  if (when > int64Max - base) return invalidExpiry(command);
  return held(when + base);
}
