/**
 * A key's version chain (MVCC by offset): every write to a key leaves a version stamped with the
 * record's offset, so a read at any offset the replica still holds is exact, and a truncation
 * undoes a write by dropping its version.
 */
import type { Offset } from "../types.js";
import type { StoredValue } from "./stored_value.js";

/** What the write at `offset` left for one key. */
export interface Version {
  readonly offset: Offset;
  /** null is a tombstone: the write deleted the key. */
  readonly value: StoredValue | null;
  /** Absolute expiry stamped by the leader; undefined means the value never expires. */
  readonly expireAtMs: number | undefined;
}

/** A version that holds a value a reader at some `nowMs` can see. */
export type LiveVersion = Version & { readonly value: StoredValue };

/** Versions of one key in ascending offset order, at most one per offset, never empty. */
export type VersionChain = Version[];

/**
 * The index of the newest version with offset < `atOffset`, or -1 when there is none. Reading the
 * newest version (the common case: local reads) is O(1); an older one is a binary search.
 */
export function indexBefore(chain: readonly Version[], atOffset: Offset): number {
  const lastIndex = chain.length - 1;
  const last = chain[lastIndex];
  if (last === undefined || last.offset < atOffset) return lastIndex;
  // The first index whose offset is >= atOffset lies in [0, lastIndex]; the answer precedes it.
  let low = 0;
  let high = lastIndex;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (chain[middle]!.offset < atOffset) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/**
 * Whether a reader at `nowMs` sees `version`'s value. Redis treats a key whose expiry time has
 * passed as absent even before it is deleted (https://redis.io/docs/latest/commands/expire/),
 * and replicas never expire on their own: they hide the key by the time they are given.
 */
export function isLive(version: Version | undefined, nowMs: number): version is LiveVersion {
  return (
    version !== undefined &&
    version.value !== null &&
    (version.expireAtMs === undefined || version.expireAtMs > nowMs)
  );
}
