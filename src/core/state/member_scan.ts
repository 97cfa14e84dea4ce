/**
 * HSCAN, SSCAN and ZSCAN (redis/src/db.c scanGenericCommand; semantics in kv_ops.ts). A small
 * value is answered whole in its own order, as Redis answers a listpack or intset; a larger one
 * is walked in byte order of its members, the cursor naming the last member visited
 * (scan_cursor.ts), so a member present throughout a walk is answered exactly once. Costs: O(n)
 * a call to list the members, plus O(n log n) to sort a large hash's or sorted set's members
 * (a set's are in byte order already).
 */
import { scanMatches } from "./glob.js";
import type { KvQuery, KvQueryResultOf, ScannedMember } from "./kv_ops.js";
import { cursorAfter, cursorStart, keyOfCursor } from "./scan_cursor.js";
import type { LiveAt } from "./value_queries.js";
import { wrongType } from "./value_queries.js";

type Query = Extract<KvQuery, { kind: "memberScan" }>;

/** Redis's listpack bound for hashes and sorted sets (hash-max-listpack-entries: 128). */
export const smallScanMembers = 128;

export function memberScan(query: Query, liveAt: LiveAt): KvQueryResultOf<"memberScan"> {
  const value = liveAt(query.key)?.value;
  if (value === undefined) return { kind: "memberScan", cursor: cursorStart, items: [] };
  if (value.type !== query.type) return wrongType;
  let items: ScannedMember[];
  if (value.type === "hash") items = value.fields.toArray();
  else if (value.type === "set") items = value.members.toArray().map((member) => [member]);
  else if (value.type === "zset") items = value.entries.toArray();
  else items = [];
  const matching = (item: ScannedMember) =>
    query.pattern === undefined || scanMatches(query.pattern, item[0]);
  if (items.length <= smallScanMembers) {
    return { kind: "memberScan", cursor: cursorStart, items: items.filter(matching) };
  }
  // Byte order: code-unit order, as members hold one byte per char.
  const sorted = value.type === "set" ? items : [...items].sort(([a], [b]) => (a < b ? -1 : 1));
  const after = keyOfCursor(query.cursor);
  const from = after === undefined ? 0 : sorted.findIndex(([member]) => member > after);
  const start = from === -1 ? sorted.length : from;
  const visited = sorted.slice(start, start + query.count);
  const last = visited.at(-1);
  const done = start + visited.length >= sorted.length || last === undefined;
  return {
    kind: "memberScan",
    cursor: done ? cursorStart : cursorAfter(last[0]),
    items: visited.filter(matching),
  };
}
