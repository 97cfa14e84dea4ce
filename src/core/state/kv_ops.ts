/**
 * The kv state machine's language: the commands a record carries, the queries a read asks, and
 * their results. Keys and string values are JavaScript strings holding bytes one per char
 * (latin1), so binary keys and values pass through unchanged; the protocol edges convert.
 *
 * Commands follow Redis where Redis has the command (https://redis.io/docs/latest/commands/).
 * A key whose expiry is at or before the command's `nowMs` (the leader's batch timestamp) is
 * absent to that command, as Redis deletes a logically expired key when a command touches it.
 * A command that fails (an `error` result, or `not_applied`) changes nothing, but its record still
 * consumes its offset.
 */
import type { Offset } from "../types.js";

export type Key = string;

/** A stored value. Strings and lists now; hashes join with the Redis face. */
export type Value = { type: "string"; data: string } | { type: "list"; items: readonly string[] };

export type KvCommand =
  /**
   * SET. `condition` nx: only if absent; xx: only if present. `expireAtMs` is absolute, stamped
   * by the leader; absent means no expiry unless `keepTtl` (KEEPTTL keeps the key's current
   * expiry; giving both is a programmer error, as Redis rejects it as a syntax error). SET
   * replaces a value of any type. `returnOld` asks for the previous string value (SET ... GET),
   * and then a list value is `wrong_type` and nothing is set.
   *
   * Results: `ok`; `old` when `returnOld`; `not_applied {current}` when the NX/XX condition
   * failed (with `returnOld` the face answers `current`, which is the old string or null, as
   * Redis answers GET's part even when the SET part is skipped); `error wrong_type`.
   */
  | {
      kind: "set";
      key: Key;
      value: string;
      condition?: "nx" | "xx";
      expireAtMs?: number;
      keepTtl?: boolean;
      returnOld?: boolean;
    }
  /**
   * DEL of keys that all live in one slot (at least one key); the result `count` counts keys that
   * existed, so a key named twice counts once, as in Redis. An expired key is deleted too, though
   * it does not count: a Redis leader expires a key by propagating a DEL of it, and that DEL must
   * remove it on every replica.
   */
  | { kind: "del"; keys: readonly Key[] }
  /**
   * INCRBY: the value must be a base-10 integer string in the signed 64-bit range (Redis
   * `string2ll`: no '+', no spaces, no leading zeros, not "-0"), else `not_integer`; a result
   * outside that range is `overflow`; absent counts as 0; the key keeps its expiry. `by` must be
   * in the signed 64-bit range (the face rejects anything else). Result: `integer`.
   */
  | { kind: "incr"; key: Key; by: bigint }
  /**
   * APPEND to a string value (absent counts as ""); the key keeps its expiry. Result: `count`,
   * the new length, or `wrong_type` on a list.
   */
  | { kind: "append"; key: Key; value: string }
  /**
   * Compare-and-set (no Redis counterpart; for checker workloads): sets `value`, with no expiry,
   * when the key holds the string `expected`, or is absent when `expected` is null. A list never
   * matches. Results: `ok`, or `not_applied {current}` with the value the compare saw.
   */
  | { kind: "cas"; key: Key; expected: string | null; value: string }
  /**
   * Appends one element to a list (created when absent; the key keeps its expiry, as RPUSH).
   * Result: `count`, the new length, or `wrong_type` on a string.
   */
  | { kind: "listAppend"; key: Key; element: string };

export type KvQuery = { kind: "get"; key: Key };

export type KvErrorCode = "wrong_type" | "not_integer" | "overflow";

export type KvResult =
  | { kind: "ok" }
  /** SET with a failed NX/XX condition, or a CAS whose compare failed; `current` is always set. */
  | { kind: "not_applied"; current?: Value | null }
  /** DEL: keys deleted; APPEND and listAppend: the new length. */
  | { kind: "count"; count: number }
  | { kind: "integer"; value: bigint }
  /** SET ... GET: the previous value (null when absent). */
  | { kind: "old"; value: string | null }
  | { kind: "error"; code: KvErrorCode };

/**
 * `version` is the offset of the record that wrote the value read (absent when `value` is null),
 * so that a reader, a session or the checker can tell which write it saw.
 */
export type KvQueryResult = { kind: "value"; value: Value | null; version?: Offset };

/** One live key of a snapshot, with the offset of the record that wrote it. */
export interface KvSnapshotEntry {
  key: Key;
  value: Value;
  version: Offset;
  expireAtMs?: number;
}

/** The kv state as of `offset` (exclusive): every key live there, with its version. */
export interface KvSnapshot {
  offset: Offset;
  entries: KvSnapshotEntry[];
}

/**
 * The contract between a replica and its state machine. Records are applied at append, in offset
 * order, so a replica's local state includes records that are not yet committed; reads choose the
 * offset they see (MVCC), and a truncation rolls the state back exactly.
 */
export interface StateMachine {
  /** Exclusive bound of the applied prefix. */
  readonly appliedOffset: Offset;
  /** Offsets below this may no longer be read at (versions were collected). */
  readonly horizonOffset: Offset;
  /**
   * Applies the record at `offset` (must equal `appliedOffset`). `nowMs` is the batch's leader
   * timestamp, so every replica decides expiry the same way.
   */
  apply(offset: Offset, command: KvCommand, nowMs: number): KvResult;
  /** Advances `appliedOffset` over a record that carries no command (a leader's no-op). */
  skip(offset: Offset): void;
  /**
   * Answers `query` as of the state before `atOffset` (exclusive), treating values whose expiry
   * is at or before `nowMs` as absent. Requires horizonOffset <= atOffset <= appliedOffset.
   */
  query(query: KvQuery, atOffset: Offset, nowMs: number): KvQueryResult;
  /**
   * Undoes every record at or after `fromOffset`; `appliedOffset` becomes `fromOffset`.
   * Requires horizonOffset <= fromOffset <= appliedOffset.
   */
  truncate(fromOffset: Offset): void;
  /**
   * The state as of `atOffset` (exclusive) — what a snapshot at that offset holds, so that the
   * log below it can be dropped. Requires horizonOffset <= atOffset <= appliedOffset.
   */
  snapshotAt(atOffset: Offset): KvSnapshot;
  /** Replaces the whole state by a snapshot's: applied offset and horizon become its offset. */
  restore(snapshot: KvSnapshot): void;
  /**
   * Forgets versions that no read at or above `belowOffset` can see; raises `horizonOffset` to
   * `belowOffset`. Requires horizonOffset <= belowOffset <= appliedOffset.
   */
  collectGarbage(belowOffset: Offset): void;
}
