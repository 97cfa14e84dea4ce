/** The cursor and options of SCAN, HSCAN, SSCAN and ZSCAN (redis/src/db.c). */
import type { Reply } from "../reply.js";
import { error } from "../reply.js";
import { integerArgument, notInteger, syntaxError, text, upper } from "./arguments.js";

export const invalidCursor = (): Reply => error("ERR invalid cursor");

/**
 * A cursor as Redis's strtoul reads it (parseScanCursorOrReply): optional sign and digits, ""
 * being 0 and -n wrapping to 2^64 - n; no leading space or trailing byte. Cursors past 2^64 stay
 * valid, as onelog's own (a key in the cursor, scan_cursor.ts) may be that large.
 */
export function scanCursor(argument: Buffer): string | undefined {
  const match = /^([+-]?)(\d*)$/.exec(text(argument));
  if (match === null || (match[1] !== "" && match[2] === "")) return undefined;
  const value = BigInt(match[2] || "0");
  const wrap = 2n ** 64n;
  return (match[1] === "-" && value !== 0n ? wrap - (value % wrap) : value).toString();
}

export interface ScanOptions {
  /** COUNT, 10 by default, held at 100,000 at most. */
  count: number;
  pattern: string | undefined;
  /** TYPE, lower case; only where `typed`. */
  type: string | undefined;
}

/** The options from `from` on: COUNT (>= 1), MATCH, and TYPE where `typed` (SCAN). */
export function scanOptions(
  args: readonly Buffer[],
  from: number,
  typed: boolean,
): ScanOptions | Reply {
  const options: ScanOptions = { count: 10, pattern: undefined, type: undefined };
  for (let index = from; index < args.length; index += 2) {
    const word = upper(args[index] as Buffer);
    const value = args[index + 1];
    if (value === undefined) return syntaxError();
    if (word === "COUNT") {
      const given = integerArgument(value);
      if (given === undefined) return notInteger();
      if (given < 1) return syntaxError();
      options.count = Math.min(given, 100_000);
    } else if (word === "MATCH") options.pattern = text(value);
    else if (word === "TYPE" && typed) options.type = text(value).toLowerCase();
    else return syntaxError();
  }
  return options;
}
