/**
 * Splits an inline command line into arguments exactly as Redis's sdssplitargs
 * (redis/redis@4f8cdc2a src/sds.c:985) does:
 * - blanks (C isspace: space, \t, \n, \v, \f, \r) separate arguments;
 * - "double quotes" take the escapes \n \r \t \b \a \xHH and \<any> for that character;
 * - 'single quotes' take only \' ;
 * - a closing quote must be followed by a blank or the end, and an unclosed quote is an error.
 * The line is a C string to sdssplitargs, so a NUL byte ends it.
 */

const backslash = 92;
const doubleQuote = 34;
const singleQuote = 39;

/** C isspace in the "C" locale. */
const isBlank = (byte: number): boolean => byte === 32 || (byte >= 9 && byte <= 13);

/** The token separators of sdssplitargs' unquoted state: space, \n, \r, \t (not \v or \f). */
const endsToken = (byte: number): boolean =>
  byte === 32 || byte === 10 || byte === 13 || byte === 9 || byte === 0;

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  if (byte >= 97 && byte <= 102) return byte - 87;
  if (byte >= 65 && byte <= 70) return byte - 55;
  return -1;
}

function escaped(byte: number): number {
  switch (byte) {
    case 110: // n
      return 10;
    case 114: // r
      return 13;
    case 116: // t
      return 9;
    case 98: // b
      return 8;
    case 97: // a
      return 7;
    default:
      return byte;
  }
}

/**
 * Returns the arguments of `line[start, end)`, none for a blank line, or undefined for
 * unbalanced quotes (Redis: `Protocol error: unbalanced quotes in request`).
 */
export function splitInlineArguments(
  line: Uint8Array,
  start: number,
  end: number,
): Buffer[] | undefined {
  const nul = line.indexOf(0, start);
  const stop = nul >= 0 && nul < end ? nul : end;
  const at = (index: number): number => (index < stop ? line[index]! : 0);
  const scratch = Buffer.allocUnsafe(stop - start);
  const argumentsOut: Buffer[] = [];
  let p = start;
  for (;;) {
    while (p < stop && isBlank(line[p]!)) p++;
    if (p >= stop) return argumentsOut;
    let length = 0;
    let inDouble = false;
    let inSingle = false;
    for (let done = false; !done; ) {
      const byte = at(p);
      if (inDouble) {
        const high = hexValue(at(p + 2));
        const low = hexValue(at(p + 3));
        if (byte === backslash && at(p + 1) === 120 && high >= 0 && low >= 0) {
          scratch[length++] = high * 16 + low;
          p += 3;
        } else if (byte === backslash && at(p + 1) !== 0) {
          p++;
          scratch[length++] = escaped(at(p));
        } else if (byte === doubleQuote) {
          if (at(p + 1) !== 0 && !isBlank(at(p + 1))) return undefined;
          done = true;
        } else if (byte === 0) {
          return undefined;
        } else {
          scratch[length++] = byte;
        }
      } else if (inSingle) {
        if (byte === backslash && at(p + 1) === singleQuote) {
          p++;
          scratch[length++] = singleQuote;
        } else if (byte === singleQuote) {
          if (at(p + 1) !== 0 && !isBlank(at(p + 1))) return undefined;
          done = true;
        } else if (byte === 0) {
          return undefined;
        } else {
          scratch[length++] = byte;
        }
      } else if (endsToken(byte)) {
        done = true;
      } else if (byte === doubleQuote) {
        inDouble = true;
      } else if (byte === singleQuote) {
        inSingle = true;
      } else {
        scratch[length++] = byte;
      }
      if (p < stop) p++;
    }
    argumentsOut.push(Buffer.from(scratch.subarray(0, length)));
  }
}
