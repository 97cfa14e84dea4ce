/**
 * Redis floats for INCRBYFLOAT. Redis reads a float with `string2ld` (strtold, redis/src/util.c)
 * and writes one with `ld2string` in LD_STR_HUMAN mode ("%.17Lf", trailing zeros and a trailing
 * '.' trimmed, "-0" written "0"). Redis computes in long double; onelog in a JavaScript number,
 * which is the documented approximation:
 * - reading: decimal forms and inf/infinity as strtold reads them; hexadecimal floats ("0x1p3")
 *   are refused, and magnitudes beyond a double's range (1e308, 5e-324) are refused where Redis
 *   (long double, 1e4932) accepts them;
 * - writing: the number rounded to 15 significant digits (what a double holds for sure), then
 *   the shortest decimal that reads back as that, never with an exponent, and rounded to 17
 *   fractional digits as "%.17Lf" rounds. So 0.1 + 0.2 is "0.3" and 10.1 is "10.1", as Redis
 *   prints them with its 64-bit-mantissa long double, where a double printed with "%.17f" would
 *   be "0.30000000000000004" and "10.09999999999999964". Values with more than 15 significant
 *   digits lose the rest (Redis keeps about 18), and beyond them Redis prints the long double's
 *   exact digits where onelog prints zeros.
 */
import { assert } from "../../util/assert.js";

/** MAX_LONG_DOUBLE_CHARS in redis/src/util.h: string2ld refuses strings this long or longer. */
const floatCharsMax = 5 * 1024;

const decimalFloat = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const infinity = /^[+-]?(?:inf|infinity)$/i;

/** The number `text` holds as Redis reads a float, or undefined when it holds none. */
export function parseRedisFloat(text: string): number | undefined {
  if (text.length === 0 || text.length >= floatCharsMax) return undefined;
  if (infinity.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (!decimalFloat.test(text)) return undefined;
  const value = Number(text);
  // strtold's ERANGE: an overflow to infinity, or an underflow to zero of a nonzero number.
  if (!Number.isFinite(value)) return undefined;
  if (value === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ""))) return undefined;
  return value;
}

/** `value` as INCRBYFLOAT stores and answers it. */
export function formatRedisFloat(value: number): string {
  assert(Number.isFinite(value), () => `formatting ${value} as a Redis float`);
  const rounded = Number(value.toPrecision(15));
  let text = plainDecimal(rounded);
  const point = text.indexOf(".");
  // Shortest forms have at most 17 significant digits, so more than 17 fractional digits only
  // happen below 1, where toFixed is exact.
  if (point >= 0 && text.length - point - 1 > 17) text = plainDecimal(Number(rounded.toFixed(17)));
  return text === "-0" ? "0" : text;
}

/** The shortest round-trip decimal of `value` (ECMAScript Number::toString) without exponent. */
function plainDecimal(value: number): string {
  const text = String(value);
  const exponentAt = text.indexOf("e");
  if (exponentAt < 0) return text;
  const negative = text.startsWith("-");
  const mantissa = text.slice(negative ? 1 : 0, exponentAt);
  const exponent = Number(text.slice(exponentAt + 1));
  const point = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  // Where the decimal point falls among `digits`.
  const pointAt = (point < 0 ? mantissa.length : point) + exponent;
  let plain: string;
  if (pointAt <= 0) plain = `0.${"0".repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) plain = digits + "0".repeat(pointAt - digits.length);
  else plain = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${plain}` : plain;
}
