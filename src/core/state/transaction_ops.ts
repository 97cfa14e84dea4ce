/**
 * The language of MULTI ... EXEC transactions (https://redis.io/docs/latest/develop/interact/transactions/):
 * the steps an `exec` command or a `multi` query carries, and the keys WATCH looked at.
 *
 * WATCH is optimistic locking on the version chains: WATCH reads a key's newest version (the
 * offset of the record that last wrote it, tombstones included) at the connection's read concern,
 * and EXEC runs only if every watched key still has that version where the transaction applies,
 * and still holds a value a reader sees if it held one then (a key that expired in between
 * counts as changed, as in Redis 7). Reads made after WATCH at the same concern see a state at
 * or after WATCH's, so a transaction built on what they answered runs only if nothing wrote
 * those keys since.
 *
 * The check may fail where Redis's would not, never the other way: a watched tombstone that
 * garbage collection dropped, or a watched key that had expired when WATCH read it and was then
 * deleted by active expiry, count as changed (Redis ignores the latter), so the client retries.
 */
import type { Offset } from "../types.js";
import type { Key, StepCommand, StepQuery } from "./kv_ops.js";
import { isLive, type Version } from "./version_chain.js";

/** One command of a transaction, in the order the client queued it. */
export type TransactionStep = { readonly write: StepCommand } | { readonly read: StepQuery };

/** A key WATCH looked at. */
export interface WatchedKey {
  readonly key: Key;
  /** The offset of the key's newest version then; null when it had none. */
  readonly version: Offset | null;
  /** Whether a reader then saw its value (held, not a tombstone, not expired). */
  readonly live: boolean;
}

export function watchedKey(key: Key, version: Version | undefined, nowMs: number): WatchedKey {
  return { key, version: version?.offset ?? null, live: isLive(version, nowMs) };
}

/** Whether every watched key is as WATCH saw it, given each key's version now. */
export function watchHolds(
  watched: readonly WatchedKey[] | undefined,
  versionOf: (key: Key) => Version | undefined,
  nowMs: number,
): boolean {
  if (watched === undefined) return true;
  for (const { key, version, live } of watched) {
    const now = versionOf(key);
    if ((now?.offset ?? null) !== version) return false;
    if (live && !isLive(now, nowMs)) return false;
  }
  return true;
}
