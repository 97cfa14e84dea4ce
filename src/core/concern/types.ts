/**
 * Client requests and their outcomes: one write concern and one read concern type cover Kafka,
 * MongoDB, Redis and Raft (DESIGN.md §6–7). Every successful reply names the offset it reflects,
 * so clients can chain causal sessions (`afterOffset`).
 */
import type { KvCommand, KvQuery, KvQueryResult, KvResult } from "../state/kv_ops.js";
import type { NodeId, Offset } from "../types.js";

export type RequestId = number;

/**
 * `w` counts replicas (the leader included) that must hold the write; "majority" means the
 * shard's commit offset covers it. `j` counts durable copies instead. `timeoutMs` bounds the wait;
 * a timeout never undoes the write (MongoDB wtimeout, Kafka 7, Redis WAIT).
 */
export interface WriteConcern {
  w: number | "majority" | "all";
  j?: boolean;
  timeoutMs?: number;
}

export type ReadLevel = "local" | "available" | "majority" | "linearizable" | "snapshot";

/** MongoDB read preference modes (server selection spec). */
export type ReadPreference =
  | "primary"
  | "primaryPreferred"
  | "secondary"
  | "secondaryPreferred"
  | "nearest";

export interface ReadConcern {
  level: ReadLevel;
  /** With `snapshot`: read the state before this offset (exclusive). */
  atOffset?: Offset;
  /** Causal sessions: wait until the replica's bound for this level reaches this offset. */
  afterOffset?: Offset;
  readPreference?: ReadPreference;
  /** Refuse to serve from a follower that has not been caught up within this bound. */
  maxStalenessMs?: number;
  timeoutMs?: number;
}

export interface WriteRequest {
  id: RequestId;
  command: KvCommand;
  concern: WriteConcern;
  /** The leader's clock, stamped into the batch (expiry is absolute and leader-decided). */
  nowMs: number;
  /** Its record's `recordBytesBound`, if the caller computed it: the log need not again. */
  bytes?: number;
}

export interface ReadRequest {
  id: RequestId;
  query: KvQuery;
  concern: ReadConcern;
  /** The serving replica's clock: logically expired values read as absent. */
  nowMs: number;
}

export type RejectReason =
  | "not_leader"
  | "not_secondary"
  | "unsatisfiable"
  | "too_stale"
  | "snapshot_too_old"
  | "overloaded"
  /** A write whose record would not fit the log's frames (an operating error, not a crash). */
  | "too_large"
  | "invalid";

export type WriteOutcome =
  | { kind: "ok"; offset: Offset; result: KvResult }
  /** Nothing was written. */
  | { kind: "rejected"; reason: RejectReason; leader?: NodeId; detail?: string }
  /** Written, but the concern was not met in time; the write stays and may still commit. */
  | { kind: "timeout"; offset: Offset; result: KvResult }
  /** Leadership was lost after the append: the write may or may not survive. */
  | { kind: "unknown"; offset: Offset };

export type ReadOutcome =
  | { kind: "ok"; result: KvQueryResult; offset: Offset }
  | { kind: "rejected"; reason: RejectReason; leader?: NodeId; detail?: string }
  | { kind: "timeout" };

export type ClientReply =
  | { kind: "write"; id: RequestId; outcome: WriteOutcome }
  | { kind: "read"; id: RequestId; outcome: ReadOutcome };
