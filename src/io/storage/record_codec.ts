/**
 * The byte form of log records, shared by segment files and the peer transport: a MessagePack
 * array of records (https://github.com/msgpack/msgpack/blob/master/spec.md), written by
 * record_writer.ts and read by msgpackr, or by record_reader.ts when it holds only plain SETs.
 * `incr.by` is a bigint and must come back exactly: msgpackr writes every bigint as MessagePack
 * int64 and reads int64 back as a bigint (`int64AsType: "bigint"`), while it never writes a number
 * as int64 (integers beyond 32 bits become float64), so a number always reads back as a number.
 *
 * Decoding takes arbitrary bytes and returns records or a reason (DESIGN §12): the shape of every
 * record is checked, so nothing malformed reaches the replica.
 */
import { type Options, Packr } from "msgpackr";
import type { LogRecord } from "../../core/replica/index.js";
import type { KvCommand } from "../../core/state/index.js";
import {
  type Fields,
  isBoolean,
  isCount,
  isLexBound,
  isObject,
  isScore,
  isScoreBound,
  isString,
  isStrings,
  optional,
} from "./field_checks.js";
import { queryProblem } from "./query_shape.js";
import { readPlainSets } from "./record_reader.js";
import { RecordWriter } from "./record_writer.js";

/** msgpackr supports `skipValues` (README, "Options") but its typings lag behind. */
type PackrOptions = Options & { skipValues: unknown[] };

const packr = new Packr({
  useRecords: false,
  mapsAsObjects: true,
  int64AsType: "bigint",
  // An absent optional field and one set to undefined are the same command; write neither.
  skipValues: [undefined],
} as PackrOptions);
const writer = new RecordWriter(packr);

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/**
 * The newest encodings, by records array. A leader encodes a batch for its segment file and
 * again for every follower's fetch of it, moments later; a follower writes the batches it decoded
 * from a fetch to its own segment file. Batches are immutable (a truncated or compacted batch is
 * a new array), so the array names its bytes. Bounded by count and bytes, in insertion order: a
 * lagging follower's older batches are simply encoded again.
 */
const recentEncodings = new Map<readonly LogRecord[], Buffer>();
const recentEncodingsMax = 256;
const recentBytesMax = 32 * 1024 * 1024;
let recentBytes = 0;

function remember(records: readonly LogRecord[], bytes: Buffer): void {
  recentEncodings.set(records, bytes);
  recentBytes += bytes.length;
  while (recentEncodings.size > recentEncodingsMax || recentBytes > recentBytesMax) {
    const [oldest, oldestBytes] = recentEncodings.entries().next().value as [
      readonly LogRecord[],
      Buffer,
    ];
    recentEncodings.delete(oldest);
    recentBytes -= oldestBytes.length;
  }
}

export function encodeRecords(records: readonly LogRecord[]): Buffer {
  const cached = recentEncodings.get(records);
  if (cached !== undefined) return cached;
  const bytes = writer.write(records);
  remember(records, bytes);
  return bytes;
}

export type DecodeRecordsOutcome =
  | { kind: "ok"; records: LogRecord[] }
  | { kind: "invalid"; reason: string };

/**
 * Decodes exactly `count` records from `bytes`, or says why they are not records. Valid bytes are
 * remembered as the records' encoding, so writing them again costs a lookup.
 */
export function decodeRecords(bytes: Uint8Array, count: number): DecodeRecordsOutcome {
  const plainSets = readPlainSets(bytes, count);
  if (plainSets !== undefined) return decoded(plainSets, bytes);
  let value: unknown;
  try {
    value = packr.unpack(bytes);
  } catch (error) {
    return { kind: "invalid", reason: `not MessagePack: ${(error as Error).message}` };
  }
  if (!Array.isArray(value)) return { kind: "invalid", reason: "records are not an array" };
  if (value.length !== count) {
    return { kind: "invalid", reason: `${value.length} records, header says ${count}` };
  }
  for (let index = 0; index < value.length; index++) {
    const reason = recordProblem(value[index]);
    if (reason !== undefined) return { kind: "invalid", reason: `record ${index}: ${reason}` };
  }
  return decoded(value as LogRecord[], bytes);
}

function decoded(records: LogRecord[], bytes: Uint8Array): DecodeRecordsOutcome {
  // Copied: `bytes` may be a view of a larger message the cache should not keep alive.
  remember(records, Buffer.from(bytes));
  return { kind: "ok", records };
}

const isInt64 = (value: unknown): boolean =>
  typeof value === "bigint" && value >= int64Min && value <= int64Max;

function recordProblem(record: unknown): string | undefined {
  if (!isObject(record)) return "not an object";
  if (record["kind"] === "noop") return undefined;
  if (record["kind"] !== "kv") return `unknown record kind ${String(record["kind"])}`;
  const command = record["command"];
  if (!isObject(command)) return "kv record without a command";
  return commandProblem(command) ? `malformed ${String(command["kind"])} command` : undefined;
}

/** True when `command` is not a well-formed KvCommand (see kv_ops.ts for each field). */
function commandProblem(command: Fields): boolean {
  const kind = command["kind"] as KvCommand["kind"];
  switch (kind) {
    case "set":
      return !(
        isString(command["key"]) &&
        isString(command["value"]) &&
        optional(command["condition"], (value) => value === "nx" || value === "xx") &&
        optional(command["expireAtMs"], Number.isFinite) &&
        optional(command["keepTtl"], (value) => typeof value === "boolean") &&
        optional(command["returnOld"], (value) => typeof value === "boolean")
      );
    case "del":
      return !isKeyList(command["keys"]);
    case "incr":
      return !(isString(command["key"]) && isInt64(command["by"]));
    case "append":
      return !(isString(command["key"]) && isString(command["value"]));
    case "cas":
      return !(
        isString(command["key"]) &&
        (command["expected"] === null || isString(command["expected"])) &&
        isString(command["value"])
      );
    case "listAppend":
      return !(isString(command["key"]) && isString(command["element"]));
    case "exec":
      return execProblem(command);
    default:
      return redisCommandProblem(command);
  }
}

/** A transaction: steps that are each one command (not a transaction) or one read. */
function execProblem(command: Fields): boolean {
  const steps = command["steps"];
  const watched = command["watched"];
  return !(
    Array.isArray(steps) &&
    steps.length > 0 &&
    steps.every(
      (step) =>
        isObject(step) &&
        (isObject(step["write"])
          ? step["write"]["kind"] !== "exec" && !commandProblem(step["write"])
          : isObject(step["read"]) && !queryProblem(step["read"])),
    ) &&
    optional(watched, (value) => Array.isArray(value) && value.every(isWatchedKey))
  );
}

const isWatchedKey = (value: unknown): boolean =>
  isObject(value) &&
  isString(value["key"]) &&
  (value["version"] === null || isCount(value["version"])) &&
  isBoolean(value["live"]);

const isPairs = (value: unknown): boolean =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every(isString));
const isSide = (value: unknown): boolean => value === "left" || value === "right";
/** A command from `source` to `destination` (RENAME, COPY, LMOVE, SMOVE). */
const isMove = (command: Fields): boolean =>
  isString(command["source"]) && isString(command["destination"]);
const isKeyList = (value: unknown): boolean =>
  Array.isArray(value) && value.length > 0 && value.every(isString);
const isPositive = (value: unknown): boolean => isCount(value) && (value as number) >= 1;
const isConditions = (value: unknown): boolean =>
  Array.isArray(value) && value.every((item) => ["nx", "xx", "gt", "lt"].includes(item));

/** The commands added for Redis compatibility (kv_ops.ts); true when malformed. */
function redisCommandProblem(command: Fields): boolean {
  const kind = command["kind"] as KvCommand["kind"];
  const key = isString(command["key"]);
  const moved = isMove(command);
  switch (kind) {
    case "setRange":
      return !(key && isCount(command["offsetBytes"]) && isString(command["value"]));
    case "incrByFloat":
      return !(key && isString(command["by"]));
    case "getDel":
    case "persist":
      return !key;
    case "getEx":
      return !(
        key &&
        optional(command["expireAtMs"], Number.isFinite) &&
        optional(command["persist"], isBoolean)
      );
    case "mset":
    case "msetNx":
      return !isPairs(command["pairs"]);
    case "rename":
      return !(moved && optional(command["nx"], isBoolean));
    case "copy":
      return !(moved && optional(command["replace"], isBoolean));
    case "expire":
      return !(
        key &&
        Number.isFinite(command["expireAtMs"]) &&
        optional(command["conditions"], isConditions)
      );
    case "flushAll":
      return false;
    case "publish":
      return !(
        isString(command["channel"]) &&
        isString(command["message"]) &&
        optional(command["shard"], isBoolean)
      );
    case "hset":
      return !(key && isPairs(command["pairs"]) && optional(command["onlyNew"], isBoolean));
    case "hdel":
      return !(key && isStrings(command["fields"]));
    case "hincrBy":
      return !(key && isString(command["field"]) && isInt64(command["by"]));
    case "hincrByFloat":
      return !(key && isString(command["field"]) && isString(command["by"]));
    case "push":
      return !(
        key &&
        isSide(command["side"]) &&
        isStrings(command["elements"]) &&
        optional(command["onlyIfExists"], isBoolean)
      );
    case "pop":
      return !(key && isSide(command["side"]) && optional(command["count"], isCount));
    case "ltrim":
      return !(
        key &&
        Number.isSafeInteger(command["start"]) &&
        Number.isSafeInteger(command["stop"])
      );
    case "lset":
      return !(key && Number.isSafeInteger(command["index"]) && isString(command["element"]));
    case "lrem":
      return !(key && Number.isSafeInteger(command["count"]) && isString(command["element"]));
    case "linsert":
      return !(
        key &&
        isBoolean(command["after"]) &&
        isString(command["pivot"]) &&
        isString(command["element"])
      );
    default:
      return collectionCommandProblem(command);
  }
}

const isEntries = (value: unknown): boolean =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every(
    (entry) =>
      Array.isArray(entry) && entry.length === 2 && isString(entry[0]) && isScore(entry[1]),
  );

/**
 * The set and sorted-set commands (set_ops.ts, zset_ops.ts); true when malformed, including the
 * option combinations the state machine asserts against (the face refuses them).
 */
function collectionCommandProblem(command: Fields): boolean {
  const kind = command["kind"] as KvCommand["kind"];
  const key = isString(command["key"]);
  switch (kind) {
    case "sadd":
    case "srem":
    case "zrem":
      return !(key && isStrings(command["members"]));
    case "spop":
      return !(key && optional(command["count"], isCount) && isCount(command["seed"]));
    case "zadd": {
      const entries = command["entries"];
      const increment = command["increment"];
      return !(
        key &&
        isEntries(entries) &&
        optional(command["condition"], (value) => value === "nx" || value === "xx") &&
        optional(command["compare"], (value) => value === "gt" || value === "lt") &&
        !(command["condition"] === "nx" && command["compare"] !== undefined) &&
        optional(command["changed"], isBoolean) &&
        optional(increment, isBoolean) &&
        (increment !== true || (entries as unknown[]).length === 1)
      );
    }
    case "lmpop":
      return !(
        isKeyList(command["keys"]) &&
        isSide(command["side"]) &&
        isPositive(command["count"])
      );
    case "zmpop":
      return !(
        isKeyList(command["keys"]) &&
        (command["side"] === "min" || command["side"] === "max") &&
        isPositive(command["count"])
      );
    case "setStore":
      return !(
        ["inter", "union", "diff"].includes(command["op"] as string) &&
        isString(command["destination"]) &&
        isKeyList(command["keys"])
      );
    case "smove":
      return !(isMove(command) && isString(command["member"]));
    case "lmove":
      return !(isMove(command) && isSide(command["from"]) && isSide(command["to"]));
    case "zpop":
      return !(
        key &&
        (command["side"] === "min" || command["side"] === "max") &&
        optional(command["count"], isCount)
      );
    case "zremRange":
      if (command["by"] === "lex") {
        return !(key && isLexBound(command["min"]) && isLexBound(command["max"]));
      }
      return command["by"] === "score"
        ? !(key && isScoreBound(command["min"]) && isScoreBound(command["max"]))
        : !(
            key &&
            command["by"] === "rank" &&
            Number.isSafeInteger(command["start"]) &&
            Number.isSafeInteger(command["stop"])
          );
    default:
      return true;
  }
}
