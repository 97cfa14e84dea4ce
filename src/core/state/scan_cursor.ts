/**
 * SCAN cursors. Redis's cursor is a position in its hash table, which onelog does not have;
 * onelog walks keys in byte order and resumes after the last key visited, whatever was written
 * between calls. Clients send a cursor back as the decimal digits they received, so the key is
 * carried as a decimal number: the bytes 0x01 (so leading zero bytes survive) then the key's,
 * read as one big-endian integer. "0" starts a walk and ends one, as in Redis
 * (https://redis.io/docs/latest/commands/scan/).
 */
import { assert } from "../../util/assert.js";
import type { Key } from "./kv_ops.js";

export const cursorStart = "0";

/** The cursor that resumes a walk after `key`. */
export function cursorAfter(key: Key): string {
  let hex = "01";
  for (let index = 0; index < key.length; index++) {
    const byte = key.charCodeAt(index);
    assert(byte <= 0xff, () => `key ${JSON.stringify(key)} holds a char beyond one byte`);
    hex += byte.toString(16).padStart(2, "0");
  }
  return BigInt(`0x${hex}`).toString(10);
}

/**
 * The key a cursor resumes after; undefined for the start. Any digits decode to some key (the
 * first byte is dropped whatever it is), so a made-up cursor resumes somewhere, as in Redis.
 */
export function keyOfCursor(cursor: string): Key | undefined {
  assert(/^[0-9]+$/.test(cursor), () => `SCAN cursor ${JSON.stringify(cursor)} is not digits`);
  const value = BigInt(cursor);
  if (value === 0n) return undefined;
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let key = "";
  for (let index = 2; index < hex.length; index += 2) {
    key += String.fromCharCode(Number.parseInt(hex.slice(index, index + 2), 16));
  }
  return key;
}
