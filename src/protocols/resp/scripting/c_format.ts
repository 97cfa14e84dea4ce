/**
 * C's `%.<precision>g` for a double, as glibc prints it: the exact decimal value of the double
 * rounded to `precision` significant digits, a tie to the even digit (JavaScript's toExponential
 * rounds a tie up: 123456789012345 at 14 digits is `1.2345678901234e+14` in C, `...235` in
 * JavaScript); exponential form when the exponent is below -4 or at least the precision, trailing
 * zeros dropped. Scripts see it twice: numbers given to redis.call (`%.17g`) and cjson (`%.14g`).
 */

/** `%.<precision>g` of `value`. */
export function formatG(value: number, precision: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const sign = value < 0 ? "-" : "";
  const { digits, exponent } = rounded(exactDigits(Math.abs(value)), precision);
  const significant = digits.replace(/0+$/, "") || "0";
  if (exponent < -4 || exponent >= precision) {
    const fraction = significant.length > 1 ? `.${significant.slice(1)}` : "";
    const power = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    return `${sign}${significant[0]}${fraction}e${power}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${significant}`;
  const whole = significant.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = significant.slice(exponent + 1);
  return `${sign}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

/** A decimal: `digits` with the first at 10^exponent. */
interface Decimal {
  digits: string;
  exponent: number;
}

/** The exact decimal value of a finite positive double. */
function exactDigits(value: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const power = (biased === 0 ? 1 : biased) - 1075; // value = mantissa × 2^power
  if (power >= 0) {
    const digits = (mantissa << BigInt(power)).toString();
    return { digits, exponent: digits.length - 1 };
  }
  // mantissa × 2^power = mantissa × 5^-power / 10^-power
  const digits = (mantissa * 5n ** BigInt(-power)).toString();
  return { digits, exponent: digits.length - 1 + power };
}

/** `decimal` rounded to `precision` digits, a tie to even. */
function rounded(decimal: Decimal, precision: number): Decimal {
  const { digits, exponent } = decimal;
  if (digits.length <= precision) return { digits: digits.padEnd(precision, "0"), exponent };
  const kept = digits.slice(0, precision);
  const rest = digits.slice(precision);
  const half = rest[0] === "5" && /^0*$/.test(rest.slice(1));
  const up =
    rest[0] !== undefined &&
    (rest[0] > "5" || (rest[0] === "5" && !half) || (half && Number(kept.at(-1)) % 2 === 1));
  if (!up) return { digits: kept, exponent };
  const bumped = (BigInt(kept) + 1n).toString();
  return bumped.length > precision
    ? { digits: bumped.slice(0, precision), exponent: exponent + 1 }
    : { digits: bumped, exponent };
}
