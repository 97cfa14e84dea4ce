/**
 * The string commands: SET, INCRBY, APPEND, CAS, SETRANGE, INCRBYFLOAT, GETDEL, GETEX, MSET and
 * MSETNX. Semantics follow https://redis.io/docs/latest/commands/ and redis/src/t_string.c, and
 * are restated in kv_ops.ts. Every write copies the string (versions share nothing mutable):
 * O(length) per command.
 */
import { assert } from "../../util/assert.js";
import {
  type CommandState,
  type Effect,
  failure,
  live,
  notApplied,
  stringBytesMax,
  unchanged,
  type Write,
  written,
} from "./command_effects.js";
import { inInt64Range, parseInt64 } from "./integer.js";
import type { Key, KvCommand, KvResult } from "./kv_ops.js";
import {
  incrementLongDouble,
  longDoubleZero,
  type ReadFloat,
  readLongDouble,
} from "./long_double.js";
import { stringValue } from "./stored_value.js";
import type { LiveVersion } from "./version_chain.js";

type Command<Kind extends KvCommand["kind"]> = Extract<KvCommand, { kind: Kind }>;

export function set(command: Command<"set">, current: LiveVersion | undefined): Effect {
  assert(
    !(command.keepTtl === true && command.expireAtMs !== undefined),
    () => `SET ${command.key}: keepTtl with expireAtMs ${command.expireAtMs}`,
  );
  let old: string | null = null;
  if (command.returnOld === true && current !== undefined) {
    // SET ... GET checks the type before the NX/XX condition (setGenericCommand in
    // redis/src/t_string.c), so a list is wrong_type even where the condition would skip.
    if (current.value.type !== "string") return failure("wrong_type");
    old = current.value.data;
  }
  const skipped =
    (command.condition === "nx" && current !== undefined) ||
    (command.condition === "xx" && current === undefined);
  if (skipped) return notApplied(current);
  // A plain SET discards the old expiry; KEEPTTL keeps that of a live key (an expired key is
  // absent, so it has none to keep).
  const expireAtMs = command.keepTtl === true ? current?.expireAtMs : command.expireAtMs;
  const result: KvResult =
    command.returnOld === true ? { kind: "old", value: old } : { kind: "ok" };
  return written(result, command.key, stringValue(command.value), expireAtMs);
}

export function incr(command: Command<"incr">, current: LiveVersion | undefined): Effect {
  assert(inInt64Range(command.by), () => `INCRBY ${command.key}: by ${command.by} out of range`);
  let base = 0n;
  if (current !== undefined) {
    if (current.value.type !== "string") return failure("wrong_type");
    const parsed = parseInt64(current.value.data);
    if (parsed === undefined) return failure("not_integer");
    base = parsed;
  }
  const value = base + command.by;
  // Redis: "ERR increment or decrement would overflow" (incrDecrCommand, redis/src/t_string.c).
  if (!inInt64Range(value)) return failure("overflow");
  // INCR changes the value in place, so the key keeps its time to live.
  return written(
    { kind: "integer", value },
    command.key,
    stringValue(value.toString()),
    current?.expireAtMs,
  );
}

export function append(command: Command<"append">, current: LiveVersion | undefined): Effect {
  if (current !== undefined && current.value.type !== "string") return failure("wrong_type");
  const before = current?.value.type === "string" ? current.value.data : "";
  if (before.length + command.value.length > stringBytesMax) return failure("string_too_long");
  const data = before + command.value;
  return written(
    { kind: "count", count: data.length },
    command.key,
    stringValue(data),
    current?.expireAtMs,
  );
}

export function compareAndSet(command: Command<"cas">, current: LiveVersion | undefined): Effect {
  const matches =
    command.expected === null
      ? current === undefined
      : current?.value.type === "string" && current.value.data === command.expected;
  if (!matches) return notApplied(current);
  return written({ kind: "ok" }, command.key, stringValue(command.value), undefined);
}

/** SETRANGE, after setrangeCommand in redis/src/t_string.c. */
export function setRange(command: Command<"setRange">, current: LiveVersion | undefined): Effect {
  assert(
    Number.isSafeInteger(command.offsetBytes) && command.offsetBytes >= 0,
    () => `SETRANGE ${command.key}: offset ${command.offsetBytes}`,
  );
  if (current !== undefined && current.value.type !== "string") return failure("wrong_type");
  const before = current?.value.type === "string" ? current.value.data : "";
  // Setting nothing answers the current length and creates no key.
  if (command.value.length === 0) return unchanged({ kind: "count", count: before.length });
  const end = command.offsetBytes + command.value.length;
  if (end > stringBytesMax) return failure("string_too_long");
  const padded = before.padEnd(command.offsetBytes, "\x00");
  const data = padded.slice(0, command.offsetBytes) + command.value + padded.slice(end);
  return written(
    { kind: "count", count: data.length },
    command.key,
    stringValue(data),
    current?.expireAtMs,
  );
}

/** INCRBYFLOAT, after incrbyfloatCommand in redis/src/t_string.c, in long double (long_double.ts). */
export function incrByFloat(
  command: Command<"incrByFloat">,
  current: LiveVersion | undefined,
): Effect {
  let base: ReadFloat = longDoubleZero;
  if (current !== undefined) {
    if (current.value.type !== "string") return failure("wrong_type");
    const parsed = readLongDouble(current.value.data);
    if (parsed === undefined) return failure("not_float");
    base = parsed;
  }
  const by = readLongDouble(command.by);
  if (by === undefined) return failure("not_float");
  const value = incrementLongDouble(base, by);
  if (value === undefined) return failure("nan_or_infinity");
  // The new value replaces the old in place (dbReplaceValue), keeping the time to live.
  return written({ kind: "float", value }, command.key, stringValue(value), current?.expireAtMs);
}

export function getDel(command: Command<"getDel">, current: LiveVersion | undefined): Effect {
  if (current === undefined) return unchanged({ kind: "old", value: null });
  if (current.value.type !== "string") return failure("wrong_type");
  return written({ kind: "old", value: current.value.data }, command.key, null, undefined);
}

/** GETEX, after getexCommand in redis/src/t_string.c. */
export function getEx(
  command: Command<"getEx">,
  current: LiveVersion | undefined,
  nowMs: number,
): Effect {
  assert(
    !(command.persist === true && command.expireAtMs !== undefined),
    () => `GETEX ${command.key}: persist with expireAtMs ${command.expireAtMs}`,
  );
  if (current === undefined) return unchanged({ kind: "old", value: null });
  if (current.value.type !== "string") return failure("wrong_type");
  const result: KvResult = { kind: "old", value: current.value.data };
  if (command.expireAtMs !== undefined) {
    // An expiry already past deletes the key (checkAlreadyExpired).
    if (command.expireAtMs <= nowMs) return written(result, command.key, null, undefined);
    return written(result, command.key, current.value, command.expireAtMs);
  }
  if (command.persist === true && current.expireAtMs !== undefined) {
    return written(result, command.key, current.value, undefined);
  }
  return unchanged(result);
}

export function mset(
  command: Command<"mset"> | Command<"msetNx">,
  state: CommandState,
  nowMs: number,
): Effect {
  assert(command.pairs.length > 0, `${command.kind} without pairs`);
  if (command.kind === "msetNx") {
    // MSETNX sets nothing when any key exists, whatever its type (msetGenericCommand).
    const busy = command.pairs.some(([key]) => live(state.newest(key), nowMs) !== undefined);
    if (busy) return unchanged({ kind: "count", count: 0 });
  }
  // A key named twice takes its last value; each key is written once.
  const last = new Map<Key, string>();
  for (const [key, value] of command.pairs) last.set(key, value);
  const writes: Write[] = [];
  for (const [key, value] of last) {
    writes.push({ key, value: stringValue(value), expireAtMs: undefined });
  }
  const result: KvResult = command.kind === "msetNx" ? { kind: "count", count: 1 } : { kind: "ok" };
  return { result, writes };
}
