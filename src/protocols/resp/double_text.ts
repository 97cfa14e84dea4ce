/**
 * A double as Redis prints it in replies: d2string (redis/redis@4f8cdc2a src/util.c:665).
 * `nan`, `inf`, `-inf`, `0`, `-0`; integral values within ±LLONG_MAX/2 as plain integers
 * (double2ll); anything else as fpconv_dtoa (deps/fpconv/fpconv_dtoa.c emit_digits): the
 * shortest round-trip digits, plain when the exponent is small, otherwise `d.ddde+N` / `de-N`
 * with no zero padding of the exponent. fpconv uses Grisu2, which in rare cases gives one digit
 * more than the shortest; JavaScript gives the shortest, so such values may differ in the last
 * digit while parsing back to the same double.
 */
/** `(double)(LLONG_MAX / 2)` in double2ll (util.c:632) rounds to 2^62. */
const llongMaxHalf = 2 ** 62;

export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  if (Number.isInteger(value) && value >= -llongMaxHalf && value <= llongMaxHalf) {
    return BigInt(value).toString();
  }
  return fpconvText(value);
}

function fpconvText(value: number): string {
  const negative = value < 0;
  // toExponential() without digits gives the shortest round-trip digits, as Grisu aims to.
  const [mantissa, exponentText] = Math.abs(value).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const ndigits = digits.length;
  const decimalExponent = Number(exponentText);
  const k = decimalExponent - (ndigits - 1); // value = digits × 10^k
  const exponent = Math.abs(decimalExponent);
  const sign = negative ? "-" : "";
  if (k >= 0 && exponent < ndigits + 7) return sign + digits + "0".repeat(k);
  if (k < 0 && (k > -7 || exponent < 4)) {
    const offset = ndigits + k;
    if (offset <= 0) return `${sign}0.${"0".repeat(-offset)}${digits}`;
    return `${sign}${digits.slice(0, offset)}.${digits.slice(offset)}`;
  }
  const fraction = ndigits > 1 ? `.${digits.slice(1)}` : "";
  return `${sign}${digits[0]}${fraction}e${decimalExponent < 0 ? "-" : "+"}${exponent}`;
}
