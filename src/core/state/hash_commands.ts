/**
 * The hash commands: HSET, HDEL, HINCRBY and HINCRBYFLOAT
 * (https://redis.io/docs/latest/commands/?group=hash, redis/src/t_hash.c). A hash keeps its
 * fields in insertion order (kv_ops.ts). Every write copies the fields, as versions share
 * nothing mutable: O(fields + arguments) per command.
 */
import { assert } from "../../util/assert.js";
import { type Effect, failure, unchanged, written } from "./command_effects.js";
import { inInt64Range, parseInt64 } from "./integer.js";
import type { HashField, KvCommand } from "./kv_ops.js";
import { incrementLongDouble, longDoubleZero, readLongDouble } from "./long_double.js";
import { hashValue } from "./stored_value.js";
import type { LiveVersion } from "./version_chain.js";

type Command<Kind extends KvCommand["kind"]> = Extract<KvCommand, { kind: Kind }>;

export function hset(command: Command<"hset">, current: LiveVersion | undefined): Effect {
  assert(command.pairs.length > 0, () => `HSET ${command.key} without pairs`);
  if (current !== undefined && current.value.type !== "hash") return failure("wrong_type");
  // A Map keeps insertion order: an existing field keeps its place, a new one goes last.
  const fields = new Map<string, string>(
    current?.value.type === "hash" ? current.value.fields : [],
  );
  let added = 0;
  for (const [field, value] of command.pairs) {
    const known = fields.has(field);
    if (!known) added += 1;
    if (!known || command.onlyNew !== true) fields.set(field, value);
  }
  // HSETNX of an existing field writes nothing, as hsetnxCommand propagates nothing.
  if (added === 0 && command.onlyNew === true) return unchanged({ kind: "count", count: 0 });
  return written(
    { kind: "count", count: added },
    command.key,
    hashValue([...fields]),
    current?.expireAtMs,
  );
}

export function hdel(command: Command<"hdel">, current: LiveVersion | undefined): Effect {
  assert(command.fields.length > 0, () => `HDEL ${command.key} without fields`);
  if (current === undefined) return unchanged({ kind: "count", count: 0 });
  if (current.value.type !== "hash") return failure("wrong_type");
  const doomed = new Set(command.fields);
  const kept: HashField[] = current.value.fields.filter(([field]) => !doomed.has(field));
  const removed = current.value.fields.length - kept.length;
  if (removed === 0) return unchanged({ kind: "count", count: 0 });
  // Redis deletes a hash left empty (hdelCommand: dbDelete when hashTypeLength is 0).
  const value = kept.length === 0 ? null : hashValue(kept);
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
  const fields = new Map<string, string>(
    current?.value.type === "hash" ? current.value.fields : [],
  );
  const stored = fields.get(command.field);
  let base = 0n;
  if (stored !== undefined) {
    const parsed = parseInt64(stored);
    if (parsed === undefined) return failure("hash_not_integer");
    base = parsed;
  }
  const value = base + command.by;
  if (!inInt64Range(value)) return failure("overflow");
  fields.set(command.field, value.toString());
  return written(
    { kind: "integer", value },
    command.key,
    hashValue([...fields]),
    current?.expireAtMs,
  );
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
  const fields = new Map<string, string>(
    current?.value.type === "hash" ? current.value.fields : [],
  );
  const stored = fields.get(command.field);
  const base = stored === undefined ? longDoubleZero : readLongDouble(stored);
  if (base === undefined) return failure("hash_not_float");
  // A stored "inf" reads (string2ld), and makes the sum infinite.
  const value = incrementLongDouble(base, by);
  if (value === undefined) return failure("nan_or_infinity");
  fields.set(command.field, value);
  return written(
    { kind: "float", value },
    command.key,
    hashValue([...fields]),
    current?.expireAtMs,
  );
}
