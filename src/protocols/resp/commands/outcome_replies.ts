/**
 * Outcomes that are not a plain success, as RESP errors whose first word is the code
 * (docs/commands.md, "Errors"), so clients can branch on it. Kv results that are Redis errors
 * keep Redis's texts.
 */
import type {
  KvResult,
  RejectReason,
  StoreReadOutcome,
  StoreWriteOutcome,
} from "../../../api/index.js";
import { unreachable } from "../../../util/assert.js";
import type { Reply } from "../reply.js";
import { error } from "../reply.js";

type Rejected = Extract<StoreWriteOutcome | StoreReadOutcome, { kind: "rejected" }>;

/** `-NOTLEADER <id> <host:port> ...`, with `?` for what is unknown. */
export function notLeader(rejected: Rejected): Reply {
  const leader = rejected.leader === undefined ? "?" : String(rejected.leader);
  const address = rejected.leaderAddress ?? "?";
  return error(`NOTLEADER ${leader} ${address} this node does not lead the shard`);
}

const codes: Record<Exclude<RejectReason, "not_leader">, string> = {
  not_secondary: "NOTSECONDARY",
  unsatisfiable: "UNSATISFIABLE",
  too_stale: "STALE",
  snapshot_too_old: "SNAPSHOTTOOOLD",
  overloaded: "BUSY",
  // Redis has no record limit; its nearest refusal of a big value is an ERR (proto-max-bulk-len).
  too_large: "ERR",
  invalid: "ERR",
};

export function rejection(rejected: Rejected): Reply {
  if (rejected.reason === "not_leader") return notLeader(rejected);
  const detail = rejected.detail ?? rejected.reason.replaceAll("_", " ");
  return error(`${codes[rejected.reason]} ${detail}`);
}

/** What a Redis replica answers a write (server.c processCommand). */
export const readOnlyReplica = error("READONLY You can't write against a read only replica.");

/**
 * The error for a write that did not succeed. `redisReplica` answers not-leader as a Redis
 * replica does, for the plain Redis commands.
 */
export function writeFailure(
  outcome: Exclude<StoreWriteOutcome, { kind: "ok" }>,
  redisReplica: boolean,
): Reply {
  switch (outcome.kind) {
    case "rejected":
      if (redisReplica && outcome.reason === "not_leader") return readOnlyReplica;
      return rejection(outcome);
    case "timeout":
      return error(
        `WTIMEOUT ${outcome.offset} the write concern was not met in time; the write stays and may still commit`,
      );
    case "unknown":
      return error(
        `UNKNOWN ${outcome.offset ?? "?"} ${outcome.detail ?? "leadership was lost after the append"}; the write may or may not survive`,
      );
    default:
      return unreachable(outcome);
  }
}

export function readFailure(outcome: Exclude<StoreReadOutcome, { kind: "ok" }>): Reply {
  switch (outcome.kind) {
    case "rejected":
      return rejection(outcome);
    case "timeout":
      return error("TIMEOUT the read waited longer than its TIMEOUT");
    default:
      return unreachable(outcome);
  }
}

/** Redis's error for a kv result that is one, else undefined. */
export function kvFailure(result: KvResult): Reply | undefined {
  if (result.kind !== "error") return undefined;
  switch (result.code) {
    case "wrong_type":
      return error("WRONGTYPE Operation against a key holding the wrong kind of value");
    case "not_integer":
      return notIntegerReply;
    case "overflow":
      return error("ERR increment or decrement would overflow");
    case "not_float":
      return error("ERR value is not a valid float");
    case "nan_or_infinity":
      return error("ERR increment would produce NaN or Infinity");
    case "hash_not_integer":
      return error("ERR hash value is not an integer");
    case "hash_not_float":
      return error("ERR hash value is not a float");
    case "no_such_key":
      return error("ERR no such key");
    case "index_out_of_range":
      return error("ERR index out of range");
    case "same_object":
      return error("ERR source and destination objects are the same");
    case "string_too_long":
      return error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    case "score_nan":
      return error("ERR resulting score is not a number (NaN)");
    default:
      return unreachable(result.code);
  }
}

const notIntegerReply = error("ERR value is not an integer or out of range");
