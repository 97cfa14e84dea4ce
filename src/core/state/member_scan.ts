/**
 * HSCAN, SSCAN and ZSCAN (redis/src/db.c scanGenericCommand; semantics in kv_ops.ts). A small
 * value is answered whole in its own order, as Redis answers a listpack or intset; a larger one
 * is walked in byte order of its members, the cursor naming the last member visited
 * (scan_cursor.ts), so a member present throughout a walk is answered exactly once. Costs: a
 * small value O(n); a large set's or sorted set's page O(log n + count), their members being in
 * byte order already; a large hash's O(log n + count log n) once its names are sorted, which
 * happens once per version of the hash (persistent_hash.ts).
 */
import { scanMatches } from "./glob.js";
import type { KvQuery, KvQueryResultOf, ScannedMember } from "./kv_ops.js";
import { cursorAfter, cursorStart, keyOfCursor } from "./scan_cursor.js";
import type { StoredValue } from "./stored_value.js";
import type { LiveAt } from "./value_queries.js";
import { wrongType } from "./value_queries.js";

type Query = Extract<KvQuery, { kind: "memberScan" }>;

/** Redis's listpack bound for hashes and sorted sets (hash-max-listpack-entries: 128). */
export const smallScanMembers = 128;

export function memberScan(query: Query, liveAt: LiveAt): KvQueryResultOf<"memberScan"> {
  const value = liveAt(query.key)?.value;
  if (value === undefined) return { kind: "memberScan", cursor: cursorStart, items: [] };
  if (value.type !== query.type) return wrongType;
  const matching = (item: ScannedMember) =>
    query.pattern === undefined || scanMatches(query.pattern, item[0]);
  if (sizeOf(value) <= smallScanMembers) {
    return { kind: "memberScan", cursor: cursorStart, items: allOf(value).filter(matching) };
  }
  const { items, more } = pageAfter(value, keyOfCursor(query.cursor), query.count);
  const last = items.at(-1);
  return {
    kind: "memberScan",
    cursor: more && last !== undefined ? cursorAfter(last[0]) : cursorStart,
    items: items.filter(matching),
  };
}

type Scanned = Extract<StoredValue, { type: Query["type"] }>;

function sizeOf(value: Scanned): number {
  if (value.type === "hash") return value.fields.size;
  if (value.type === "set") return value.members.size;
  return value.entries.size;
}

/** A small value's members in its own order, as Redis answers a listpack or intset whole. */
function allOf(value: Scanned): ScannedMember[] {
  if (value.type === "hash") return value.fields.toArray();
  if (value.type === "set") return value.members.toArray().map((member) => [member]);
  return value.entries.toArray();
}

/** Up to `count` members after `after` in byte order, and whether more follow. */
function pageAfter(
  value: Scanned,
  after: string | undefined,
  count: number,
): { items: ScannedMember[]; more: boolean } {
  if (value.type === "hash") {
    const { pairs, more } = value.fields.after(after, count);
    return { items: pairs, more };
  }
  if (value.type === "set") {
    const { members, more } = value.members.after(after, count);
    return { items: members.map((member) => [member]), more };
  }
  const { entries, more } = value.entries.after(after, count);
  return { items: entries, more };
}
