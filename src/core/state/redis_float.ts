/**
 * Sorted-set scores as Redis reads them (`string2d`, strtod, redis/src/util.c): decimal forms with
 * optional sign, fraction and exponent, or inf/infinity; no leading space, not nan, and neither
 * an overflow nor an underflow of a nonzero number to zero. Hexadecimal floats ("0x1p3"), which
 * strtod also reads, are refused. INCRBYFLOAT reads and writes its long doubles in
 * long_double.ts.
 */
/** MAX_LONG_DOUBLE_CHARS in redis/src/util.h: refused from this length on, as string2ld does. */
const floatCharsMax = 5 * 1024;

const decimalFloat = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const infinity = /^[+-]?(?:inf|infinity)$/i;

/** The number `text` holds as Redis reads a float, or undefined when it holds none. */
export function parseRedisFloat(text: string): number | undefined {
  if (text.length === 0 || text.length >= floatCharsMax) return undefined;
  if (infinity.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (!decimalFloat.test(text)) return undefined;
  const value = Number(text);
  // strtod's ERANGE: an overflow to infinity, or an underflow to zero of a nonzero number.
  if (!Number.isFinite(value)) return undefined;
  if (value === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ""))) return undefined;
  return value;
}
