/**
 * The kv state machine's language: the commands a record carries, the queries a read asks, and
 * their results. Keys and string values are JavaScript strings holding bytes one per char
 * (latin1), so binary keys and values pass through unchanged; the protocol edges convert.
 */
import type { Offset } from "../types.js";

export type Key = string;

/** A stored value. Strings and lists now; hashes join with the Redis face. */
export type Value = { type: "string"; data: string } | { type: "list"; items: readonly string[] };

export type KvCommand =
  /**
   * SET. `condition` nx: only if absent; xx: only if present. `expireAtMs` is absolute, stamped
   * by the leader; absent means no expiry unless `keepTtl`. `returnOld` asks for the previous
   * string value (SET ... GET).
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
  /** DEL of keys that all live in one slot; the result counts keys that existed. */
  | { kind: "del"; keys: readonly Key[] }
  /** INCRBY: the value must be a base-10 integer string in the signed 64-bit range. */
  | { kind: "incr"; key: Key; by: bigint }
  /** APPEND to a string value (absent counts as ""); the result is the new length. */
  | { kind: "append"; key: Key; value: string }
  /** Compare-and-set: `expected` null means "absent". */
  | { kind: "cas"; key: Key; expected: string | null; value: string }
  /** Appends one element to a list (created when absent); the result is the new length. */
  | { kind: "listAppend"; key: Key; element: string };

export type KvQuery = { kind: "get"; key: Key };

export type KvErrorCode = "wrong_type" | "not_integer" | "overflow";

export type KvResult =
  | { kind: "ok" }
  /** SET with a failed NX/XX condition, or a CAS whose compare failed. */
  | { kind: "not_applied"; current?: Value | null }
  | { kind: "count"; count: number }
  | { kind: "integer"; value: bigint }
  /** SET ... GET: the previous value (null when absent). */
  | { kind: "old"; value: string | null }
  | { kind: "error"; code: KvErrorCode };

export type KvQueryResult = { kind: "value"; value: Value | null };

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
  /** Undoes every record at or after `fromOffset`; `appliedOffset` becomes `fromOffset`. */
  truncate(fromOffset: Offset): void;
  /**
   * Forgets versions that no read at or above `belowOffset` can see; raises `horizonOffset`.
   */
  collectGarbage(belowOffset: Offset): void;
}
