/**
 * The hash commands: HSET, HDEL, HINCRBY and HINCRBYFLOAT
 * (https://redis.io/docs/latest/commands/?group=hash, redis/src/t_hash.c). A hash keeps its
 * fields in insertion order (kv_ops.ts) in a persistent map that versions share
 * (persistent_hash.ts): O(arguments × log fields) per command.
 */
import { assert } from "../../util/assert.js";
import { type Effect, failure, unchanged, written } from "./command_effects.js";
import { inInt64Range, parseInt64 } from "./integer.js";
import type { KvCommand } from "./kv_ops.js";
import { incrementLongDouble, longDoubleZero, readLongDouble } from "./long_double.js";
import { PersistentHash } from "./persistent_hash.js";
import { hashValue, type StoredValue } from "./stored_value.js";
import type { LiveVersion } from "./version_chain.js";

type Command<Kind extends KvCommand["kind"]> = Extract<KvCommand, { kind: Kind }>;

export function hset(command: Command<"hset">, current: LiveVersion | undefined): Effect {
  assert(command.pairs.length > 0, () => `HSET ${command.key} without pairs`);
  if (current !== undefined && current.value.type !== "hash") return failure("wrong_type");
  const onlyNew = command.onlyNew === true;
  const { hash, added } = fieldsOf(current?.value).setAll(command.pairs, onlyNew);
  // HSETNX of an existing field writes nothing, as hsetnxCommand propagates nothing.
  if (added === 0 && onlyNew) return unchanged({ kind: "count", count: 0 });
  return written(
    { kind: "count", count: added },
    command.key,
    hashValue(hash),
    current?.expireAtMs,
  );
}

export function hdel(command: Command<"hdel">, current: LiveVersion | undefined): Effect {
  assert(command.fields.length > 0, () => `HDEL ${command.key} without fields`);
  if (current === undefined) return unchanged({ kind: "count", count: 0 });
  if (current.value.type !== "hash") return failure("wrong_type");
  const { hash, removed } = current.value.fields.removeAll(command.fields);
  if (removed === 0) return unchanged({ kind: "count", count: 0 });
  // Redis deletes a hash left empty (hdelCommand: dbDelete when hashTypeLength is 0).
  const value = hash.size === 0 ? null : hashValue(hash);
  return written(
    { kind: "count", count: removed },
    command.key,
    value,
    value === null ? undefined : current.expireAtMs,
  );
}

/** HINCRBY, after hincrbyCommand in redis/src/t_hash.c. */
export function hincrBy(command: Command<"hincrBy">, current: LiveVersion | undefined): Effect {
  assert(inInt64Range(command.by), () => `HINCRBY ${command.key}: by ${command.by} out of range`);
  if (current !== undefined && current.value.type !== "hash") return failure("wrong_type");
  const fields = fieldsOf(current?.value);
  const stored = fields.get(command.field);
  let base = 0n;
  if (stored !== undefined) {
    const parsed = parseInt64(stored);
    if (parsed === undefined) return failure("hash_not_integer");
    base = parsed;
  }
  const value = base + command.by;
  if (!inInt64Range(value)) return failure("overflow");
  const { hash } = fields.setAll([[command.field, value.toString()]], false);
  return written({ kind: "integer", value }, command.key, hashValue(hash), current?.expireAtMs);
}

/** HINCRBYFLOAT, after hincrbyfloatCommand in redis/src/t_hash.c, in long double. */
export function hincrByFloat(
  command: Command<"hincrByFloat">,
  current: LiveVersion | undefined,
): Effect {
  // The face refuses a `by` that is no finite float before it looks at the key, as Redis does;
  // a record that carries one anyway fails here, in that order too, and writes nothing.
  const by = readLongDouble(command.by);
  if (by === undefined) return failure("not_float");
  if (typeof by === "string") return failure("nan_or_infinity");
  if (current !== undefined && current.value.type !== "hash") return failure("wrong_type");
  const fields = fieldsOf(current?.value);
  const stored = fields.get(command.field);
  const base = stored === undefined ? longDoubleZero : readLongDouble(stored);
  if (base === undefined) return failure("hash_not_float");
  // A stored "inf" reads (string2ld), and makes the sum infinite.
  const value = incrementLongDouble(base, by);
  if (value === undefined) return failure("nan_or_infinity");
  const { hash } = fields.setAll([[command.field, value]], false);
  return written({ kind: "float", value }, command.key, hashValue(hash), current?.expireAtMs);
}

/** The fields of a hash value, or none for an absent key (the caller refused other types). */
const fieldsOf = (value: StoredValue | undefined): PersistentHash =>
  value?.type === "hash" ? value.fields : PersistentHash.empty;
