/**
 * What each kv command answers and writes, given the state it applies to. Pure functions of the
 * newest versions and the record's `nowMs`; the version store (kv.ts) stamps the writes with the
 * record's offset. Semantics follow the Redis command reference,
 * https://redis.io/docs/latest/commands/, and are restated in kv_ops.ts.
 */
import { assert, unreachable } from "../../util/assert.js";
import { inInt64Range, parseInt64 } from "./integer.js";
import type { Key, KvCommand, KvErrorCode, KvResult, Value } from "./kv_ops.js";
import { isLive, type LiveVersion, type Version } from "./version_chain.js";

/** A new version of `key` written by a command; `value` null deletes the key. */
export interface Write {
  readonly key: Key;
  readonly value: Value | null;
  readonly expireAtMs: number | undefined;
}

/** What a command answers and writes; a failed command writes nothing. */
export interface Effect {
  readonly result: KvResult;
  readonly writes: readonly Write[];
}

/** The newest version of a key: the state the record being applied sees. */
export type NewestVersion = (key: Key) => Version | undefined;

type Command<Kind extends KvCommand["kind"]> = Extract<KvCommand, { kind: Kind }>;

export function execute(command: KvCommand, newest: NewestVersion, nowMs: number): Effect {
  switch (command.kind) {
    case "set":
      return set(command, live(newest(command.key), nowMs));
    case "del":
      return del(command, newest, nowMs);
    case "incr":
      return incr(command, live(newest(command.key), nowMs));
    case "append":
      return append(command, live(newest(command.key), nowMs));
    case "cas":
      return compareAndSet(command, live(newest(command.key), nowMs));
    case "listAppend":
      return listAppend(command, live(newest(command.key), nowMs));
    default:
      return unreachable(command);
  }
}

function set(command: Command<"set">, current: LiveVersion | undefined): Effect {
  assert(
    !(command.keepTtl === true && command.expireAtMs !== undefined),
    () => `SET ${command.key}: keepTtl with expireAtMs ${command.expireAtMs}`,
  );
  let old: string | null = null;
  if (command.returnOld === true && current !== undefined) {
    // SET ... GET checks the type before the NX/XX condition (setGenericCommand in
    // redis/src/t_string.c), so a list is wrong_type even where the condition would skip.
    if (current.value.type === "list") return failure("wrong_type");
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

function del(command: Command<"del">, newest: NewestVersion, nowMs: number): Effect {
  assert(command.keys.length > 0, "DEL without keys");
  const writes: Write[] = [];
  let count = 0;
  // A key named twice is deleted by its first mention; Redis counts it once.
  for (const key of new Set(command.keys)) {
    const version = newest(key);
    if (version === undefined || version.value === null) continue;
    // An expired key is deleted as well (Redis deletes it when a command touches it), so that no
    // reader sees it again, but it did not exist for the count.
    if (isLive(version, nowMs)) count += 1;
    writes.push({ key, value: null, expireAtMs: undefined });
  }
  return { result: { kind: "count", count }, writes };
}

function incr(command: Command<"incr">, current: LiveVersion | undefined): Effect {
  assert(inInt64Range(command.by), () => `INCRBY ${command.key}: by ${command.by} out of range`);
  let base = 0n;
  if (current !== undefined) {
    if (current.value.type === "list") return failure("wrong_type");
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

function append(command: Command<"append">, current: LiveVersion | undefined): Effect {
  if (current?.value.type === "list") return failure("wrong_type");
  const data = (current?.value.data ?? "") + command.value;
  return written(
    { kind: "count", count: data.length },
    command.key,
    stringValue(data),
    current?.expireAtMs,
  );
}

function compareAndSet(command: Command<"cas">, current: LiveVersion | undefined): Effect {
  const matches =
    command.expected === null
      ? current === undefined
      : current?.value.type === "string" && current.value.data === command.expected;
  if (!matches) return notApplied(current);
  return written({ kind: "ok" }, command.key, stringValue(command.value), undefined);
}

function listAppend(command: Command<"listAppend">, current: LiveVersion | undefined): Effect {
  if (current?.value.type === "string") return failure("wrong_type");
  // Versions share nothing mutable, so an append copies the list: O(length) per append.
  const items = [...(current?.value.items ?? []), command.element];
  // RPUSH keeps the key's time to live.
  return written(
    { kind: "count", count: items.length },
    command.key,
    listValue(items),
    current?.expireAtMs,
  );
}

function live(version: Version | undefined, nowMs: number): LiveVersion | undefined {
  return isLive(version, nowMs) ? version : undefined;
}

const failure = (code: KvErrorCode): Effect => ({ result: { kind: "error", code }, writes: [] });

const notApplied = (current: LiveVersion | undefined): Effect => ({
  result: { kind: "not_applied", current: current?.value ?? null },
  writes: [],
});

const written = (
  result: KvResult,
  key: Key,
  value: Value,
  expireAtMs: number | undefined,
): Effect => ({ result, writes: [{ key, value, expireAtMs }] });

// Values are shared between versions and handed to readers, so they are frozen.
const stringValue = (data: string): Value => Object.freeze({ type: "string", data });

const listValue = (items: string[]): Value =>
  Object.freeze({ type: "list", items: Object.freeze(items) });
