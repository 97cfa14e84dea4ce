/**
 * The client's vocabulary: where nodes are, and the typed outcomes of its calls. Operating errors
 * are values (STYLE.md rule 4): a caller switches on `kind` and never catches. The outcome kinds
 * are those of DESIGN.md §6–7; the client adds the reasons only it can see (`unreachable`,
 * `bad_reply`).
 */
import type { RejectReason } from "../core/concern/index.js";
import type { Offset } from "../core/types.js";

export interface Endpoint {
  host: string;
  port: number;
}

/** The leader named by a `-NOTLEADER <id> <host:port>` redirect, when the node knew it. */
export interface LeaderHint {
  id: number;
  endpoint: Endpoint;
}

export type ClientRejectReason =
  | RejectReason
  /** No node could be reached before the deadline; the request was never sent. */
  | "unreachable"
  /** A read whose reply had a shape or a value the client does not understand. */
  | "bad_reply";

export type Rejected = {
  kind: "rejected";
  reason: ClientRejectReason;
  leader?: LeaderHint;
  detail?: string;
};

/**
 * A write's outcome. `timeout`: written at `offset`, the concern not met in time; it stays and
 * may still commit. `unknown`: the write was sent and may or may not have happened (leadership
 * lost after the append, the connection failed, the client's deadline passed, or the reply was
 * not understood).
 */
export type WriteResult<R> =
  | { kind: "ok"; offset: Offset; result: R }
  | Rejected
  | { kind: "timeout"; offset: Offset; detail?: string }
  | { kind: "unknown"; offset?: Offset; detail?: string };

/** One command's answer inside EXEC: its reply, or its error reply's text. */
export type CommandAnswer = { kind: "reply"; reply: unknown } | { kind: "error"; message: string };

/**
 * A MULTI ... EXEC transaction's outcome: each command's answer; `aborted` when a watched key
 * changed (EXEC answered nil, nothing ran); otherwise as a write's (WriteResult), without the
 * offset EXEC does not answer.
 */
export type TransactionResult =
  | { kind: "ok"; answers: CommandAnswer[] }
  | { kind: "aborted" }
  | Exclude<WriteResult<never>, { kind: "ok" }>;

/**
 * A blocking pop's outcome: the element popped, null when none came before its timeout;
 * otherwise as a write's (WriteResult), without the offset BLPOP does not answer.
 */
/** A script's reply (EVAL), as the connection decoded it; a failure as a write's. */
export type EvalResult =
  | { kind: "ok"; reply: unknown }
  | Exclude<WriteResult<never>, { kind: "ok" }>;

export type PopResult =
  | { kind: "ok"; element: string | null }
  | Exclude<WriteResult<never>, { kind: "ok" }>;

/** A value as stored: a string, a list (from `append`), or null when absent. */
export type Value = string | string[] | null;

/**
 * A read's outcome. `offset` is the bound of the state read (its `operationTime`); `version` the
 * offset of the write that produced the value, null when absent.
 */
export type ReadResult =
  | { kind: "ok"; value: Value; offset: Offset; version: Offset | null }
  | Rejected
  | { kind: "timeout"; detail?: string };

/** `cas` result: `current` is the value the compare saw when it did not swap. */
export type CasResult = { swapped: true } | { swapped: false; current: Value };

/** `OL.WAIT`: how many replicas (the leader included) hold the log up to the offset. */
export type WaitResult = { kind: "ok"; replicas: number } | Rejected;

/**
 * One node's `OL.STATUS`. The named fields are parsed when present; `fields` keeps every field
 * as sent (nested arrays for the per-follower entries).
 */
export interface NodeStatus {
  endpoint: Endpoint;
  role?: string;
  epoch?: number;
  leader?: string;
  leo?: number;
  commit?: number;
  durable?: number;
  fields: Record<string, unknown>;
}

export type StatusResult = { kind: "ok"; status: NodeStatus } | Rejected | { kind: "timeout" };

export interface ClientOptions {
  /** Deadline of one call, retries and redirects included; a write's `timeoutMs` extends it. */
  requestTimeoutMs?: number;
  /** How long to wait for a connection to a node before trying another. */
  connectTimeoutMs?: number;
  /** Sends per call, redirects and retries on other nodes included. */
  attemptsMax?: number;
  /** Pause before the n-th retry: doubling from the minimum, capped, with jitter. */
  retryDelayMsMin?: number;
  retryDelayMsMax?: number;
  /** Seed of the replica selection for `secondary` and `nearest` (tests fix it). */
  seed?: number;
}

export const clientDefaults: Required<Omit<ClientOptions, "seed">> = {
  requestTimeoutMs: 5000,
  connectTimeoutMs: 1000,
  attemptsMax: 8,
  retryDelayMsMin: 10,
  retryDelayMsMax: 320,
};

export const endpointKey = (endpoint: Endpoint): string => `${endpoint.host}:${endpoint.port}`;
