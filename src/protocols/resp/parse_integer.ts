/**
 * Redis's strict integer parser, string2ll (redis/redis@4f8cdc2a src/util.c:440): an optional
 * `-`, then `0` alone or a digit 1-9 and more digits; no `+`, spaces or leading zeros; the value
 * must fit a signed 64-bit integer and the text be shorter than LONG_STR_SIZE (21).
 */
const longTextBytesMax = 20;
const int64Max = 9_223_372_036_854_775_807n;

/**
 * Parses `bytes[start, end)`. Returns the value, or undefined when string2ll would fail.
 * Values beyond 2^53 come back as the nearest number: callers only compare them with limits.
 */
export function parseRedisInteger(
  bytes: Uint8Array,
  start: number,
  end: number,
): number | undefined {
  const length = end - start;
  if (length <= 0 || length > longTextBytesMax) return undefined;
  let at = start;
  const negative = bytes[at] === 45; // '-'
  if (negative) {
    at++;
    if (at === end) return undefined;
  }
  const first = bytes[at]!;
  if (first === 48) return length === 1 ? 0 : undefined; // "0" alone; "-0" and "01" fail
  if (first < 49 || first > 57) return undefined;
  if (end - at > 15) return parseLong(bytes, at, end, negative);
  let value = 0;
  for (; at < end; at++) {
    const digit = bytes[at]! - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** The rare long case, exact with bigint so that the int64 bounds are those of C. */
function parseLong(
  bytes: Uint8Array,
  at: number,
  end: number,
  negative: boolean,
): number | undefined {
  let value = 0n;
  for (; at < end; at++) {
    const digit = bytes[at]! - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10n + BigInt(digit);
  }
  if (value > (negative ? int64Max + 1n : int64Max)) return undefined;
  return Number(negative ? -value : value);
}
