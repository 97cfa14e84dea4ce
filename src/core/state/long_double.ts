/**
 * INCRBYFLOAT's arithmetic, exactly as Redis does it on x86-64: in the x87 80-bit `long double`
 * (a 64-bit significand, exponents down to 2^-16445 with subnormals, overflow past 2^16384).
 * Redis reads a float with `string2ld` (strtold, redis/src/util.c), adds in long double, and
 * writes the sum with `ld2string` in LD_STR_HUMAN mode ("%.17Lf", trailing zeros and a trailing
 * '.' trimmed, "-0" written "0"). Each step here is the exact rational value rounded once, to
 * nearest with ties to even, as the x87 unit and glibc's strtold and printf round; so 300 + 0.1 is
 * "300.10000000000000001", as Redis answers, where a double would give 300.1.
 *
 * Values are held as `significand × 2^exponent` with a non-negative bigint significand below
 * 2^64 and a sign apart (so -0 exists, as in C).
 */
export interface LongDouble {
  readonly negative: boolean;
  readonly significand: bigint;
  readonly exponent: number;
}

/** What strtold reads and string2ld keeps: a finite value or an infinity. */
export type ReadFloat = LongDouble | "infinity" | "-infinity";

/** MAX_LONG_DOUBLE_CHARS in redis/src/util.h: string2ld refuses strings this long or longer. */
const floatCharsMax = 5 * 1024;

/** A binary floating-point format: its significand's bits and its exponent range. */
interface BinaryFormat {
  readonly significandBits: number;
  /** The exponent of the smallest subnormal's unit. */
  readonly exponentMin: number;
  /** Values at or past 2^magnitudeBitsMax overflow. */
  readonly magnitudeBitsMax: number;
}

/** x87 extended precision: 2^-16445 is 2^(1 - 16383 - 63). */
const longDouble: BinaryFormat = {
  significandBits: 64,
  exponentMin: -16445,
  magnitudeBitsMax: 16384,
};
/** IEEE 754 binary64, JavaScript's number. */
const double: BinaryFormat = { significandBits: 53, exponentMin: -1074, magnitudeBitsMax: 1024 };

const decimalForm = /^([+-]?)([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?$/;
const hexForm = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?[0-9]+))?$/;
const infinityForm = /^([+-]?)(?:inf|infinity)$/i;

/**
 * `text` as string2ld reads it, or undefined: the whole string must be one strtold number (no
 * leading space), and an overflow, an underflow to zero and NaN are refused; "inf" is read.
 */
export function readLongDouble(text: string): ReadFloat | undefined {
  if (text.length === 0 || text.length >= floatCharsMax) return undefined;
  const infinity = infinityForm.exec(text);
  if (infinity !== null) return infinity[1] === "-" ? "-infinity" : "infinity";
  const hex = hexParts(text);
  const value =
    hex === undefined
      ? readDecimal(text)
      : fromBinary(hex.negative, hex.integer, hex.exponent, longDouble);
  // strtold's ERANGE: an overflow, or an underflow of a nonzero number to zero.
  if (value === undefined || value === "overflow") return undefined;
  return value;
}

/**
 * A hexadecimal float ("0x1.8p3", as strtod reads it) as a double: the number, "overflow",
 * "underflow" (a nonzero value that rounds to zero), or undefined when `text` is not one.
 */
export function readHexDouble(text: string): number | "overflow" | "underflow" | undefined {
  const hex = hexParts(text);
  if (hex === undefined) return undefined;
  const value = fromBinary(hex.negative, hex.integer, hex.exponent, double);
  if (value === undefined) return "underflow";
  if (value === "overflow") return value;
  const magnitude = Number(value.significand) * 2 ** value.exponent;
  return value.negative ? -magnitude : magnitude;
}

/** A hexadecimal float's exact value, `±integer × 2^exponent`, or undefined when it is not one. */
function hexParts(
  text: string,
): { negative: boolean; integer: bigint; exponent: number } | undefined {
  const parts = hexForm.exec(text);
  const [, sign, whole = "", fraction = "", exponentText] = parts ?? [];
  if (parts === null || whole.length + fraction.length === 0) return undefined;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  return {
    negative: sign === "-",
    integer: BigInt(`0x${whole + fraction}`),
    exponent: exponent - 4 * fraction.length,
  };
}

/** A decimal float rounded to a long double, "overflow", or undefined (no number, underflow). */
function readDecimal(text: string): LongDouble | "overflow" | undefined {
  const parts = decimalForm.exec(text);
  const [, sign, whole = "", fraction = "", exponentText] = parts ?? [];
  if (parts === null || whole.length + fraction.length === 0) return undefined;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  return fromDecimal(sign === "-", BigInt(whole + fraction), exponent - fraction.length);
}

/**
 * INCRBYFLOAT's and HINCRBYFLOAT's `base + by`, written as Redis writes it; undefined when Redis
 * refuses it as NaN or Infinity (either is infinite, or the sum overflows).
 */
export function incrementLongDouble(base: ReadFloat, by: ReadFloat): string | undefined {
  if (typeof base === "string" || typeof by === "string") return undefined;
  const sum = addLongDouble(base, by);
  return sum === undefined ? undefined : formatLongDouble(sum);
}

/** Zero, what an absent value counts as. */
export const longDoubleZero: LongDouble = { negative: false, significand: 0n, exponent: 0 };

/** The exact sum rounded once, or undefined when it overflows (Redis: NaN or Infinity). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | undefined {
  const exponent = Math.min(a.exponent, b.exponent);
  const signed = (value: LongDouble) =>
    (value.negative ? -value.significand : value.significand) << BigInt(value.exponent - exponent);
  const sum = signed(a) + signed(b);
  // An exact zero sum is +0 when rounding to nearest, unless both were -0 (IEEE 754 6.3).
  if (sum === 0n) return { negative: a.negative && b.negative, significand: 0n, exponent: 0 };
  const rounded = round(sum < 0n, sum < 0n ? -sum : sum, exponent, longDouble);
  return rounded === "overflow" ? undefined : rounded;
}

/** ld2string's LD_STR_HUMAN: "%.17Lf", trailing zeros and '.' trimmed, "-0" as "0". */
export function formatLongDouble(value: LongDouble): string {
  const fractionDigits = 17n;
  const scale = 10n ** fractionDigits;
  let fixed: bigint;
  if (value.exponent >= 0) fixed = (value.significand << BigInt(value.exponent)) * scale;
  else fixed = shiftRoundingToEven(value.significand * scale, -value.exponent);
  const whole = (fixed / scale).toString();
  const fraction = (fixed % scale).toString().padStart(17, "0").replace(/0+$/, "");
  const text = `${value.negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
  return text === "-0" ? "0" : text;
}

/** `numerator × 10^exponent` rounded; undefined for an underflow of a nonzero value. */
function fromDecimal(
  negative: boolean,
  numerator: bigint,
  exponent: number,
): LongDouble | "overflow" | undefined {
  if (numerator === 0n) return { negative, significand: 0n, exponent: 0 };
  const digits = numerator.toString().length;
  // 10^4933 overflows and anything below 10^-4952 rounds to zero: no need to compute either.
  if (digits + exponent > 4934) return "overflow";
  if (digits + exponent < -4952) return undefined;
  if (exponent >= 0)
    return fromBinary(negative, numerator * 10n ** BigInt(exponent), 0, longDouble);
  const denominator = 10n ** BigInt(-exponent);
  // At least 66 quotient bits, then a sticky bit for any remainder: enough for one exact rounding.
  const shift = Math.max(0, 66 + bitLength(denominator) - bitLength(numerator));
  const quotient = (numerator << BigInt(shift)) / denominator;
  const inexact = (numerator << BigInt(shift)) % denominator === 0n ? 0n : 1n;
  return fromBinary(negative, (quotient << 1n) | inexact, -shift - 1, longDouble);
}

/** `integer × 2^exponent` rounded; undefined for an underflow of a nonzero value. */
function fromBinary(
  negative: boolean,
  integer: bigint,
  exponent: number,
  format: BinaryFormat,
): LongDouble | "overflow" | undefined {
  if (integer === 0n) return { negative, significand: 0n, exponent: 0 };
  const top = bitLength(integer) + exponent;
  if (top > format.magnitudeBitsMax + 1) return "overflow";
  if (top < format.exponentMin - 1) return undefined;
  const rounded = round(negative, integer, exponent, format);
  return rounded !== "overflow" && rounded.significand === 0n ? undefined : rounded;
}

/** `magnitude × 2^exponent` (magnitude > 0) rounded in `format`, to nearest, ties to even. */
function round(
  negative: boolean,
  magnitude: bigint,
  exponent: number,
  format: BinaryFormat,
): LongDouble | "overflow" {
  const { significandBits, exponentMin, magnitudeBitsMax } = format;
  const shift = Math.max(bitLength(magnitude) - significandBits, exponentMin - exponent, 0);
  let significand = shift === 0 ? magnitude : shiftRoundingToEven(magnitude, shift);
  let scaled = exponent + shift;
  if (bitLength(significand) > significandBits) {
    significand >>= 1n;
    scaled += 1;
  }
  if (significand !== 0n && bitLength(significand) + scaled > magnitudeBitsMax) return "overflow";
  return { negative, significand, exponent: scaled };
}

/** `value / 2^shift` rounded to nearest, ties to even (value ≥ 0, shift > 0). */
function shiftRoundingToEven(value: bigint, shift: number): bigint {
  const bits = BigInt(shift);
  const quotient = value >> bits;
  const remainder = value - (quotient << bits);
  const half = 1n << (bits - 1n);
  const up = remainder > half || (remainder === half && (quotient & 1n) === 1n);
  return up ? quotient + 1n : quotient;
}

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}
