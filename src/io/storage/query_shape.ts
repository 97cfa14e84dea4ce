/**
 * The shape check of the reads a transaction record carries (MULTI ... EXEC, kv_ops.ts
 * StepQuery): decoded from arbitrary bytes, each must be well formed before a replica answers
 * it, as record_codec.ts checks commands. True when malformed, including the values the query
 * functions assert against (SCAN's count and cursor, seeds).
 */
import type { StepQuery } from "../../core/state/index.js";
import {
  type Fields,
  isBoolean,
  isCount,
  isLexBound,
  isObject,
  isScoreBound,
  isString,
  isStrings,
  optional,
} from "./field_checks.js";

const isInteger = (value: unknown): boolean => Number.isSafeInteger(value);
const valueTypes = ["string", "list", "hash", "set", "zset"];

function rangeProblem(range: unknown): boolean {
  if (!isObject(range)) return true;
  const limited = optional(range["offset"], isInteger) && optional(range["limit"], isInteger);
  switch (range["by"]) {
    case "rank":
      return !(isInteger(range["start"]) && isInteger(range["stop"]));
    case "score":
      return !(isScoreBound(range["min"]) && isScoreBound(range["max"]) && limited);
    case "lex":
      return !(isLexBound(range["min"]) && isLexBound(range["max"]) && limited);
    default:
      return true;
  }
}

export function queryProblem(query: Fields): boolean {
  const kind = query["kind"] as StepQuery["kind"];
  const key = isString(query["key"]);
  switch (kind) {
    case "get":
    case "strlen":
    case "type":
    case "ttl":
    case "hgetall":
    case "hlen":
    case "hkeys":
    case "hvals":
    case "llen":
    case "smembers":
    case "scard":
    case "zcard":
      return !key;
    case "mget":
    case "exists":
      return !isStrings(query["keys"]);
    case "sets":
      return !(isStrings(query["keys"]) && (query["keys"] as unknown[]).length > 0);
    case "getRange":
      return !(key && isInteger(query["start"]) && isInteger(query["end"]));
    case "lrange":
      return !(key && isInteger(query["start"]) && isInteger(query["stop"]));
    case "keys":
      return !isString(query["pattern"]);
    case "scan":
      return !(
        isCursorPage(query) &&
        optional(query["type"], (type) => valueTypes.includes(type as string))
      );
    case "memberScan":
      return !(
        key &&
        ["hash", "set", "zset"].includes(query["type"] as string) &&
        isCursorPage(query)
      );
    case "dbSize":
      return false;
    case "randomKey":
      return !isCount(query["seed"]);
    case "hget":
    case "hexists":
      return !(key && isString(query["field"]));
    case "hmget":
      return !(key && isStrings(query["fields"]));
    case "sismember":
    case "zscore":
      return !(key && isString(query["member"]));
    case "smismember":
    case "zmscore":
      return !(key && isStrings(query["members"]));
    case "srandmember":
      return !(key && optional(query["count"], isInteger) && isCount(query["seed"]));
    case "zrank":
      return !(key && isString(query["member"]) && optional(query["reverse"], isBoolean));
    case "zcount":
      return !(key && isScoreBound(query["min"]) && isScoreBound(query["max"]));
    case "zrange":
      return !(key && !rangeProblem(query["range"]) && optional(query["reverse"], isBoolean));
    default:
      return true;
  }
}

/** A cursor of digits, a count of at least 1, and perhaps a pattern: SCAN's and HSCAN's. */
const isCursorPage = (query: Fields): boolean =>
  isString(query["cursor"]) &&
  /^[0-9]+$/.test(query["cursor"]) &&
  isCount(query["count"]) &&
  (query["count"] as number) >= 1 &&
  optional(query["pattern"], isString);
