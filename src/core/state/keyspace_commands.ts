/**
 * The keyspace commands, which move, copy, delete or change the expiry of keys of any type:
 * DEL, RENAME/RENAMENX, COPY, EXPIRE and friends, PERSIST and FLUSHALL
 * (https://redis.io/docs/latest/commands/?group=generic, redis/src/db.c and expire.c). They share
 * values without copying them (versions are frozen): O(keys named), FLUSHALL O(keys held).
 */
import { assert } from "../../util/assert.js";
import {
  type CommandState,
  deletion,
  type Effect,
  live,
  unchanged,
  type Write,
  written,
} from "./command_effects.js";
import type { KvCommand } from "./kv_ops.js";
import { isLive } from "./version_chain.js";

type Command<Kind extends KvCommand["kind"]> = Extract<KvCommand, { kind: Kind }>;

export function del(command: Command<"del">, state: CommandState, nowMs: number): Effect {
  assert(command.keys.length > 0, "DEL without keys");
  const writes: Write[] = [];
  let count = 0;
  // A key named twice is deleted by its first mention; Redis counts it once.
  for (const key of new Set(command.keys)) {
    const version = state.newest(key);
    if (version === undefined || version.value === null) continue;
    // An expired key is deleted as well (Redis deletes it when a command touches it), so that no
    // reader sees it again, but it did not exist for the count.
    if (isLive(version, nowMs)) count += 1;
    writes.push(deletion(key));
  }
  return { result: { kind: "count", count }, writes };
}

/** RENAME / RENAMENX, after renameGenericCommand in redis/src/db.c. */
export function rename(command: Command<"rename">, state: CommandState, nowMs: number): Effect {
  const source = live(state.newest(command.source), nowMs);
  if (source === undefined) return { result: { kind: "error", code: "no_such_key" }, writes: [] };
  const nx = command.nx === true;
  if (command.source === command.destination) {
    return unchanged(nx ? { kind: "not_applied" } : { kind: "ok" });
  }
  if (nx && live(state.newest(command.destination), nowMs) !== undefined) {
    return unchanged({ kind: "not_applied" });
  }
  return {
    result: { kind: "ok" },
    writes: [
      { key: command.destination, value: source.value, expireAtMs: source.expireAtMs },
      deletion(command.source),
    ],
  };
}

/** COPY within one database, after copyCommand in redis/src/db.c. */
export function copy(command: Command<"copy">, state: CommandState, nowMs: number): Effect {
  if (command.source === command.destination) {
    return { result: { kind: "error", code: "same_object" }, writes: [] };
  }
  const source = live(state.newest(command.source), nowMs);
  if (source === undefined) return unchanged({ kind: "count", count: 0 });
  const destinationExists = live(state.newest(command.destination), nowMs) !== undefined;
  if (destinationExists && command.replace !== true) return unchanged({ kind: "count", count: 0 });
  return written({ kind: "count", count: 1 }, command.destination, source.value, source.expireAtMs);
}

/** EXPIRE and friends, after expireGenericCommand in redis/src/expire.c. */
export function expire(command: Command<"expire">, state: CommandState, nowMs: number): Effect {
  assert(Number.isFinite(command.expireAtMs), () => `EXPIRE ${command.key}: ${command.expireAtMs}`);
  const current = live(state.newest(command.key), nowMs);
  if (current === undefined) return unchanged({ kind: "count", count: 0 });
  const currentAtMs = current.expireAtMs;
  const next = command.expireAtMs;
  for (const condition of command.conditions ?? []) {
    // A key without expiry counts as expiring never: GT cannot beat it, LT always does.
    const holds =
      condition === "nx"
        ? currentAtMs === undefined
        : condition === "xx"
          ? currentAtMs !== undefined
          : condition === "gt"
            ? currentAtMs !== undefined && next > currentAtMs
            : currentAtMs === undefined || next < currentAtMs;
    if (!holds) return unchanged({ kind: "count", count: 0 });
  }
  // An expiry already past deletes the key (checkAlreadyExpired); it answers 1 all the same.
  if (next <= nowMs) return written({ kind: "count", count: 1 }, command.key, null, undefined);
  return written({ kind: "count", count: 1 }, command.key, current.value, next);
}

export function persist(command: Command<"persist">, state: CommandState, nowMs: number): Effect {
  const current = live(state.newest(command.key), nowMs);
  if (current === undefined || current.expireAtMs === undefined) {
    return unchanged({ kind: "count", count: 0 });
  }
  return written({ kind: "count", count: 1 }, command.key, current.value, undefined);
}

/**
 * FLUSHALL: a tombstone for every key that holds a value, expired ones included (as DEL deletes
 * them), so that no reader at a later offset sees any.
 */
export function flushAll(state: CommandState): Effect {
  const writes: Write[] = [];
  for (const key of state.heldKeys()) {
    if (state.newest(key)?.value != null) writes.push(deletion(key));
  }
  return { result: { kind: "ok" }, writes };
}
