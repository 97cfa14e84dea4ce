/**
 * The queries over the keyspace: EXISTS, TYPE, TTL (and PTTL, EXPIRETIME, PEXPIRETIME), KEYS,
 * SCAN, DBSIZE, RANDOMKEY, and the leader's active-expiry question (expiredKeys). Each reads the
 * keys held in byte order (KeyspaceView.sortedKeys) at one offset and one `nowMs`. Costs:
 * EXISTS, TYPE and TTL O(keys named); SCAN O(log keys + keys visited, tombstones included);
 * KEYS and RANDOMKEY O(keys held), rare commands; DBSIZE and expiredKeys O(keys with an expiry):
 * the state machine keeps the key counts per record (INFO keyspace's, which do not depend on the
 * clock), and DBSIZE takes from them the volatile keys a reader at `nowMs` sees expired (inside a
 * transaction or script, whose steps keep no counts, DBSIZE counts the keys held).
 */
import { assert } from "../../util/assert.js";
import { scanMatches } from "./glob.js";
import type { Key, KvQuery, KvQueryResultOf } from "./kv_ops.js";
import { cursorAfter, cursorStart, keyOfCursor } from "./scan_cursor.js";
import { isLive, type LiveVersion, type Version } from "./version_chain.js";
import type { KeyCounts } from "./write_journal.js";

type Query<Kind extends KvQuery["kind"]> = Extract<KvQuery, { kind: Kind }>;

/** The keyspace as one query sees it: at one offset, at one `nowMs`. */
export interface KeyspaceView {
  /** The version of a key at the query's offset (tombstones and expired values included). */
  versionAt(key: Key): Version | undefined;
  /** The same, when a reader at the query's `nowMs` sees its value. */
  liveAt(key: Key): LiveVersion | undefined;
  /** Every key with a version held, in byte order: a superset of the keys present. */
  sortedKeys(): readonly Key[];
  /** Every key with a version that carries an expiry, in byte order. */
  volatileKeys(): readonly Key[];
  /** Keys holding a value at the query's offset, and those with an expiry, whatever the clock. */
  keyCounts(): KeyCounts;
  /** How many keys a reader at `nowMs` sees (DBSIZE). */
  liveKeyCount(): number;
  readonly nowMs: number;
}

export function exists(query: Query<"exists">, view: KeyspaceView): KvQueryResultOf<"exists"> {
  // A key named twice counts twice (existsCommand).
  const count = query.keys.filter((key) => view.liveAt(key) !== undefined).length;
  return { kind: "count", count };
}

export function type(query: Query<"type">, view: KeyspaceView): KvQueryResultOf<"type"> {
  return { kind: "type", type: view.liveAt(query.key)?.value.type ?? "none" };
}

/** TTL's -2 (absent) and -1 (no expiry), after ttlGenericCommand in redis/src/expire.c. */
export function ttl(query: Query<"ttl">, view: KeyspaceView): KvQueryResultOf<"ttl"> {
  const version = view.liveAt(query.key);
  if (version === undefined) return { kind: "ttl", remainingMs: -2, expireAtMs: -2 };
  if (version.expireAtMs === undefined) return { kind: "ttl", remainingMs: -1, expireAtMs: -1 };
  return {
    kind: "ttl",
    remainingMs: version.expireAtMs - view.nowMs,
    expireAtMs: version.expireAtMs,
  };
}

export function liveKeys(view: KeyspaceView): Key[] {
  return view.sortedKeys().filter((key) => view.liveAt(key) !== undefined);
}

export function keys(query: Query<"keys">, view: KeyspaceView): KvQueryResultOf<"keys"> {
  return { kind: "keys", keys: liveKeys(view).filter((key) => scanMatches(query.pattern, key)) };
}

export function dbSize(view: KeyspaceView): KvQueryResultOf<"dbSize"> {
  return { kind: "count", count: view.liveKeyCount() };
}

/**
 * The keys a reader at `nowMs` sees, from the key counts kept per record: the keys holding a
 * value less the volatile ones expired by then. O(keys with an expiry).
 */
export function liveKeyCountOf(view: Omit<KeyspaceView, "liveKeyCount">): number {
  let expired = 0;
  for (const key of view.volatileKeys()) {
    const version = view.versionAt(key);
    if (version?.value != null && !isLive(version, view.nowMs)) expired += 1;
  }
  return view.keyCounts().keys - expired;
}

export function keyCounts(view: KeyspaceView): KvQueryResultOf<"keyCounts"> {
  return { kind: "keyCounts", ...view.keyCounts() };
}

export function randomKey(
  query: Query<"randomKey">,
  view: KeyspaceView,
): KvQueryResultOf<"randomKey"> {
  assert(Number.isSafeInteger(query.seed) && query.seed >= 0, () => `RANDOMKEY seed ${query.seed}`);
  const present = liveKeys(view);
  return { kind: "key", key: present[query.seed % present.length] ?? null };
}

export function expiredKeys(
  query: Query<"expiredKeys">,
  view: KeyspaceView,
): KvQueryResultOf<"expiredKeys"> {
  assert(Number.isSafeInteger(query.limit) && query.limit >= 0, () => `limit ${query.limit}`);
  const expired: Key[] = [];
  // Only keys that ever had an expiry can be expired: the volatile keys, not every key.
  for (const key of view.volatileKeys()) {
    if (expired.length >= query.limit) break;
    const version = view.versionAt(key);
    if (version === undefined || version.value === null) continue;
    if (version.expireAtMs !== undefined && version.expireAtMs <= view.nowMs) expired.push(key);
  }
  return { kind: "keys", keys: expired };
}

/** SCAN; the walk and its cursor are described in kv_ops.ts and scan_cursor.ts. */
export function scan(query: Query<"scan">, view: KeyspaceView): KvQueryResultOf<"scan"> {
  assert(Number.isSafeInteger(query.count) && query.count >= 1, () => `count ${query.count}`);
  const sorted = view.sortedKeys();
  const after = keyOfCursor(query.cursor);
  let index = after === undefined ? 0 : firstAfter(sorted, after);
  const found: Key[] = [];
  let visited = 0;
  let lastVisited: Key | undefined;
  for (; index < sorted.length && visited < query.count; index++) {
    const key = sorted[index]!;
    const version = view.liveAt(key);
    if (version === undefined) continue;
    visited += 1;
    lastVisited = key;
    if (query.type !== undefined && version.value.type !== query.type) continue;
    if (query.pattern !== undefined && !scanMatches(query.pattern, key)) continue;
    found.push(key);
  }
  // The walk is done when no present key is left after the last one visited.
  while (index < sorted.length && view.liveAt(sorted[index]!) === undefined) index += 1;
  const cursor =
    index >= sorted.length || lastVisited === undefined ? cursorStart : cursorAfter(lastVisited);
  return { kind: "scan", cursor, keys: found };
}

/** The index of the first key greater than `key` in `sorted`. */
function firstAfter(sorted: readonly Key[], key: Key): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= key) low = middle + 1;
    else high = middle;
  }
  return low;
}
