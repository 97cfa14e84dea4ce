/**
 * Redis integers: INCR and friends read a string as a signed 64-bit base-10 integer with
 * `string2ll` (redis/src/util.c), which accepts only the canonical form: an optional '-', no '+',
 * no spaces, no leading zeros except "0" itself, and not "-0".
 */

export const int64Min = -(2n ** 63n);
export const int64Max = 2n ** 63n - 1n;

const canonicalInteger = /^(?:0|-?[1-9][0-9]*)$/;

export const inInt64Range = (value: bigint): boolean => value >= int64Min && value <= int64Max;

/** The integer `text` holds in Redis's reading, or undefined when it holds none. */
export function parseInt64(text: string): bigint | undefined {
  // A 64-bit integer has at most 19 digits and a sign; testing the length first keeps BigInt
  // from parsing a long string of digits that cannot be in range anyway.
  if (text.length > 20 || !canonicalInteger.test(text)) return undefined;
  const value = BigInt(text);
  return inInt64Range(value) ? value : undefined;
}
