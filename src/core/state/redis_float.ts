/**
 * Sorted-set numbers as Redis reads them, in doubles: a score or an increment with `string2d`
 * (getDoubleFromObject: strtod, redis/src/util.c), and a range bound with zslParseRange's bare
 * strtod (t_zset.c). Both read decimal and hexadecimal forms with optional sign, fraction and
 * exponent, and inf/infinity; neither reads nan. They differ at the edges: a score refuses
 * leading spaces, an empty string, an overflow and an underflow of a nonzero number to zero,
 * where a bound takes leading spaces, takes "" as 0 and saturates to ±inf or ±0.
 * INCRBYFLOAT reads and writes its long doubles in long_double.ts.
 */
import { readHexDouble } from "./long_double.js";

/** MAX_LONG_DOUBLE_CHARS in redis/src/util.h: refused from this length on, as string2ld does. */
const floatCharsMax = 5 * 1024;

const decimalFloat = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const infinity = /^[+-]?(?:inf|infinity)$/i;

type Read = number | "overflow" | "underflow" | undefined;

/** A whole strtod number, unbounded: the double, or how it left a double's range. */
function readDouble(text: string): Read {
  if (infinity.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (!decimalFloat.test(text)) return readHexDouble(text);
  const value = Number(text);
  if (!Number.isFinite(value)) return "overflow";
  return value === 0 && /[1-9]/.test(text.replace(/[eE].*$/, "")) ? "underflow" : value;
}

/** The number `text` holds as Redis reads a score (string2d), or undefined when it holds none. */
export function parseRedisFloat(text: string): number | undefined {
  if (text.length === 0 || text.length >= floatCharsMax) return undefined;
  const value = readDouble(text);
  // strtod's ERANGE: an overflow to infinity, or an underflow to zero of a nonzero number.
  return typeof value === "number" ? value : undefined;
}

/** A score range bound as zslParseRange reads it (after any "("), or undefined. */
export function parseRangeFloat(text: string): number | undefined {
  if (text.length >= floatCharsMax) return undefined;
  // On an empty string strtod reads nothing and stops at its end; it skips leading white space.
  if (text.length === 0) return 0;
  const trimmed = text.replace(/^[ \t\n\v\f\r]+/, "");
  const value = readDouble(trimmed);
  if (value === "overflow") return trimmed.startsWith("-") ? -Infinity : Infinity;
  if (value === "underflow") return trimmed.startsWith("-") ? -0 : 0;
  return value;
}
