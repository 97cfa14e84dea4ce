/**
 * What a kv command produces, and the small constructors every command family shares. A command
 * is a pure function of the state it applies to (the newest version of each key) and the
 * record's `nowMs`; the version store (kv.ts) stamps its writes with the record's offset.
 */
import type { Key, KvErrorCode, KvResult, ValueType } from "./kv_ops.js";
import { plainValue, type StoredValue } from "./stored_value.js";
import { isLive, type LiveVersion, type Version } from "./version_chain.js";

/** A new version of `key` written by a command; `value` null deletes the key. */
export interface Write {
  readonly key: Key;
  readonly value: StoredValue | null;
  readonly expireAtMs: number | undefined;
}

/** What a command answers and writes; a failed command writes nothing. */
export interface Effect {
  readonly result: KvResult;
  /** At most one write per key: a record leaves at most one version of a key. */
  readonly writes: readonly Write[];
}

/** The state a record applies to. */
export interface CommandState {
  /** The newest version of a key, including tombstones and expired values. */
  newest(key: Key): Version | undefined;
  /** Every key with a version held (FLUSHALL walks them). */
  heldKeys(): Iterable<Key>;
}

/**
 * The longest string APPEND and SETRANGE may build: 8 MiB, the most one log record carries
 * (`recordBytesMax`, io/storage/frame.ts), so a SET could not have written a longer one either.
 * Redis allows 512 MiB (proto-max-bulk-len, checkStringLength in redis/src/t_string.c), but a
 * value travels whole inside one snapshot chunk, which must stay well below the 64 MiB peer
 * frame (an 8 MiB binary value is 16 MiB in MessagePack). Part of the state machine: every
 * replica refuses the same commands, so the limit may change only with every replica at once
 * (docs/decisions/0009-chunked-snapshots.md).
 */
export const stringBytesMax = 8 * 1024 * 1024;

export function live(version: Version | undefined, nowMs: number): LiveVersion | undefined {
  return isLive(version, nowMs) ? version : undefined;
}

export const failure = (code: KvErrorCode): Effect => ({
  result: { kind: "error", code },
  writes: [],
});

export const unchanged = (result: KvResult): Effect => ({ result, writes: [] });

export const notApplied = (current: LiveVersion | undefined): Effect => ({
  result: {
    kind: "not_applied",
    current: current === undefined ? null : plainValue(current.value),
  },
  writes: [],
});

export const written = (
  result: KvResult,
  key: Key,
  value: StoredValue | null,
  expireAtMs: number | undefined,
): Effect => ({ result, writes: [{ key, value, expireAtMs }] });

/**
 * The first of `keys` with a live value, in order, as LMPOP and ZMPOP look (and BLPOP's keys):
 * the key and its version; `wrong_type` when that value is not of `type`; undefined when no key
 * is held.
 */
export function firstHeld(
  keys: readonly Key[],
  type: ValueType,
  state: CommandState,
  nowMs: number,
): { key: Key; current: LiveVersion } | "wrong_type" | undefined {
  for (const key of keys) {
    const current = live(state.newest(key), nowMs);
    if (current === undefined) continue;
    return current.value.type === type ? { key, current } : "wrong_type";
  }
  return undefined;
}

export const deletion = (key: Key): Write => ({ key, value: null, expireAtMs: undefined });
