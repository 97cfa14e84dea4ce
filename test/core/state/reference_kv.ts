/**
 * A naive model of the kv state machine for property tests: it keeps the list of applied records
 * and, for every question, replays the records below the asked offset into a Map. Written apart
 * from src/core/state (no shared code), from the Redis command reference.
 */
import type {
  Key,
  KvCommand,
  KvQueryResult,
  KvResult,
  Value,
} from "../../../src/core/state/index.js";
import { offset } from "../../../src/core/types.js";

type Stored = { value: Value; expireAtMs: number | undefined; writtenAt: number };
type Record = { command: KvCommand; nowMs: number } | "skip";

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

export class ReferenceKv {
  records: Record[] = [];
  horizonOffset = 0;

  get appliedOffset(): number {
    return this.records.length;
  }

  apply(command: KvCommand, nowMs: number): KvResult {
    const state = this.replay(this.records.length);
    this.records.push({ command, nowMs });
    return applyTo(state, command, nowMs, this.records.length - 1);
  }

  skip(): void {
    this.records.push("skip");
  }

  truncate(fromOffset: number): void {
    this.records.length = fromOffset;
  }

  collectGarbage(belowOffset: number): void {
    this.horizonOffset = belowOffset;
  }

  /** The state before `atOffset`, keeping expired values (a reader's clock decides). */
  replay(atOffset: number): Map<Key, Stored> {
    const state = new Map<Key, Stored>();
    this.records.slice(0, atOffset).forEach((record, at) => {
      if (record !== "skip") applyTo(state, record.command, record.nowMs, at);
    });
    return state;
  }

  get(key: Key, atOffset: number, nowMs: number): KvQueryResult {
    return read(this.replay(atOffset), key, nowMs);
  }
}

function visible(stored: Stored | undefined, nowMs: number): Stored | undefined {
  if (stored === undefined) return undefined;
  return stored.expireAtMs !== undefined && stored.expireAtMs <= nowMs ? undefined : stored;
}

/** Redis reads an integer only in its canonical decimal form, which BigInt writes back. */
function redisInteger(text: string): bigint | undefined {
  let value: bigint;
  try {
    value = BigInt(text);
  } catch {
    return undefined;
  }
  return value.toString() === text && value >= int64Min && value <= int64Max ? value : undefined;
}

/** A read of `key` in a replayed state: the value and the offset that wrote it, if visible. */
export function read(state: Map<Key, Stored>, key: Key, nowMs: number): KvQueryResult {
  const stored = visible(state.get(key), nowMs);
  if (stored === undefined) return { kind: "value", value: null };
  return { kind: "value", value: stored.value, version: offset(stored.writtenAt) };
}

function applyTo(state: Map<Key, Stored>, command: KvCommand, nowMs: number, at: number): KvResult {
  const error = (code: "wrong_type" | "not_integer" | "overflow"): KvResult => ({
    kind: "error",
    code,
  });
  if (command.kind === "del") {
    let count = 0;
    for (const key of command.keys) {
      if (!state.has(key)) continue;
      if (visible(state.get(key), nowMs)) count += 1;
      state.delete(key);
    }
    return { kind: "count", count };
  }
  const current = visible(state.get(command.key), nowMs);
  const put = (value: Value, expireAtMs: number | undefined) =>
    state.set(command.key, { value, expireAtMs, writtenAt: at });
  if (command.kind === "set") {
    if (command.returnOld && current?.value.type === "list") return error("wrong_type");
    const old = current?.value.type === "string" ? current.value.data : null;
    if (command.condition === "nx" && current)
      return { kind: "not_applied", current: current.value };
    if (command.condition === "xx" && !current) return { kind: "not_applied", current: null };
    put(
      { type: "string", data: command.value },
      command.keepTtl ? current?.expireAtMs : command.expireAtMs,
    );
    return command.returnOld ? { kind: "old", value: old } : { kind: "ok" };
  }
  if (command.kind === "incr") {
    if (current?.value.type === "list") return error("wrong_type");
    const base = current === undefined ? 0n : redisInteger(current.value.data);
    if (base === undefined) return error("not_integer");
    const sum = base + command.by;
    if (sum < int64Min || sum > int64Max) return error("overflow");
    put({ type: "string", data: sum.toString() }, current?.expireAtMs);
    return { kind: "integer", value: sum };
  }
  if (command.kind === "append") {
    if (current?.value.type === "list") return error("wrong_type");
    const data =
      current?.value.type === "string" ? current.value.data + command.value : command.value;
    put({ type: "string", data }, current?.expireAtMs);
    return { kind: "count", count: data.length };
  }
  if (command.kind === "cas") {
    const held = current === undefined ? null : current.value;
    const equal =
      held === null
        ? command.expected === null
        : held.type === "string" && held.data === command.expected;
    if (!equal) return { kind: "not_applied", current: held };
    put({ type: "string", data: command.value }, undefined);
    return { kind: "ok" };
  }
  if (current?.value.type === "string") return error("wrong_type");
  const items =
    current?.value.type === "list" ? [...current.value.items, command.element] : [command.element];
  put({ type: "list", items }, current?.expireAtMs);
  return { kind: "count", count: items.length };
}
