/**
 * The list commands: listAppend (the checker's RPUSH of one element), LPUSH/RPUSH/LPUSHX/RPUSHX,
 * LPOP/RPOP, LTRIM, LSET, LREM and LINSERT (https://redis.io/docs/latest/commands/?group=list,
 * redis/src/t_list.c). Lists are persistent (persistent_list.ts): a push or pop of k elements is
 * O(k log n) and shares the rest of the list with the version before it, as does LSET (O(log
 * n)); LREM and LINSERT rebuild the list, O(n) as in Redis.
 */
import { assert } from "../../util/assert.js";
import {
  type CommandState,
  type Effect,
  failure,
  firstHeld,
  live,
  unchanged,
  written,
} from "./command_effects.js";
import type { KvCommand } from "./kv_ops.js";
import { PersistentList } from "./persistent_list.js";
import { listRange } from "./redis_range.js";
import { listValue } from "./stored_value.js";
import type { LiveVersion } from "./version_chain.js";

type Command<Kind extends KvCommand["kind"]> = Extract<KvCommand, { kind: Kind }>;

/** The checker's list append is RPUSH of one element: it keeps the key's time to live. */
export function listAppend(
  command: Command<"listAppend">,
  current: LiveVersion | undefined,
): Effect {
  return push(
    { kind: "push", key: command.key, side: "right", elements: [command.element] },
    current,
  );
}

/** LPUSH and friends, after pushGenericCommand in redis/src/t_list.c. */
export function push(command: Command<"push">, current: LiveVersion | undefined): Effect {
  assert(command.elements.length > 0, () => `push to ${command.key} without elements`);
  if (current !== undefined && current.value.type !== "list") return failure("wrong_type");
  if (current === undefined && command.onlyIfExists === true) {
    return unchanged({ kind: "count", count: 0 });
  }
  const before = current?.value.type === "list" ? current.value.items : PersistentList.empty;
  // Each element is pushed in turn, so LPUSH leaves them reversed at the head.
  const items =
    command.side === "left"
      ? before.pushLeft(command.elements)
      : before.pushRight(command.elements);
  return written(
    { kind: "count", count: items.length },
    command.key,
    listValue(items),
    current?.expireAtMs,
  );
}

/** LPOP / RPOP, after popGenericCommand in redis/src/t_list.c. */
export function pop(command: Command<"pop">, current: LiveVersion | undefined): Effect {
  assert(
    command.count === undefined || (Number.isSafeInteger(command.count) && command.count >= 0),
    () => `pop from ${command.key}: count ${command.count}`,
  );
  if (current === undefined) return unchanged({ kind: "popped", elements: null });
  if (current.value.type !== "list") return failure("wrong_type");
  const items = current.value.items;
  const count = command.count ?? 1;
  if (count === 0) return unchanged({ kind: "popped", elements: [] });
  const { taken, rest } = command.side === "left" ? items.popLeft(count) : items.popRight(count);
  // A list left empty is deleted, as Redis deletes an empty aggregate.
  const value = rest.length === 0 ? null : listValue(rest);
  return written(
    { kind: "popped", elements: taken },
    command.key,
    value,
    value === null ? undefined : current.expireAtMs,
  );
}

/** LMPOP, after lmpopGenericCommand in redis/src/t_list.c. */
export function lmpop(command: Command<"lmpop">, state: CommandState, nowMs: number): Effect {
  const found = firstHeld(command.keys, "list", state, nowMs);
  if (found === undefined) return unchanged({ kind: "popped", elements: null });
  if (found === "wrong_type") return failure("wrong_type");
  const { key, current } = found;
  const effect = pop({ kind: "pop", key, side: command.side, count: command.count }, current);
  const { result } = effect;
  if (result.kind !== "popped" || result.elements === null) return effect;
  return { ...effect, result: { kind: "poppedFrom", key, elements: result.elements } };
}

/** LMOVE and RPOPLPUSH, after lmoveGenericCommand in redis/src/t_list.c. */
export function lmove(command: Command<"lmove">, state: CommandState, nowMs: number): Effect {
  const source = live(state.newest(command.source), nowMs);
  if (source === undefined) return unchanged({ kind: "popped", elements: null });
  if (source.value.type !== "list") return failure("wrong_type");
  const same = command.destination === command.source;
  const destination = same ? source : live(state.newest(command.destination), nowMs);
  if (destination !== undefined && destination.value.type !== "list") {
    return failure("wrong_type");
  }
  const items = source.value.items;
  const { taken, rest } = command.from === "left" ? items.popLeft(1) : items.popRight(1);
  const result = { kind: "popped", elements: taken } as const;
  const onto = (list: PersistentList) =>
    listValue(command.to === "left" ? list.pushLeft(taken) : list.pushRight(taken));
  if (same) return written(result, command.source, onto(rest), source.expireAtMs);
  const target =
    destination?.value.type === "list" ? destination.value.items : PersistentList.empty;
  // A list left empty is deleted, as Redis deletes an empty aggregate.
  const left = rest.length === 0 ? null : listValue(rest);
  return {
    result,
    writes: [
      {
        key: command.source,
        value: left,
        expireAtMs: left === null ? undefined : source.expireAtMs,
      },
      { key: command.destination, value: onto(target), expireAtMs: destination?.expireAtMs },
    ],
  };
}

/** LTRIM, after ltrimCommand in redis/src/t_list.c: O(removed × log n), as Redis's O(removed). */
export function ltrim(command: Command<"ltrim">, current: LiveVersion | undefined): Effect {
  if (current === undefined) return unchanged({ kind: "ok" });
  if (current.value.type !== "list") return failure("wrong_type");
  const items = current.value.items;
  const kept = listRange(items.length, command.start, command.stop);
  if (kept.from === 0 && kept.to === items.length) return unchanged({ kind: "ok" });
  const rest = items.popLeft(kept.from).rest.popRight(items.length - kept.to).rest;
  // A list left empty is deleted, as Redis deletes an empty aggregate.
  const value = rest.length === 0 ? null : listValue(rest);
  return written(
    { kind: "ok" },
    command.key,
    value,
    value === null ? undefined : current.expireAtMs,
  );
}

/** LSET, after lsetCommand in redis/src/t_list.c: the key, its type, then the index. */
export function lset(command: Command<"lset">, current: LiveVersion | undefined): Effect {
  if (current === undefined) return failure("no_such_key");
  if (current.value.type !== "list") return failure("wrong_type");
  const items = current.value.items;
  const index = command.index < 0 ? items.length + command.index : command.index;
  if (index < 0 || index >= items.length) return failure("index_out_of_range");
  const value = listValue(items.set(index, command.element));
  return written({ kind: "ok" }, command.key, value, current.expireAtMs);
}

/** LREM, after lremCommand in redis/src/t_list.c. */
export function lrem(command: Command<"lrem">, current: LiveVersion | undefined): Effect {
  if (current === undefined) return unchanged({ kind: "count", count: 0 });
  if (current.value.type !== "list") return failure("wrong_type");
  const items = current.value.items.toArray();
  const fromTail = command.count < 0;
  const limit = command.count === 0 ? Number.POSITIVE_INFINITY : Math.abs(command.count);
  if (fromTail) items.reverse();
  let removed = 0;
  const kept = items.filter((item) => {
    if (removed >= limit || item !== command.element) return true;
    removed += 1;
    return false;
  });
  if (removed === 0) return unchanged({ kind: "count", count: 0 });
  if (fromTail) kept.reverse();
  // A list left empty is deleted, as Redis deletes an empty aggregate.
  const value = kept.length === 0 ? null : listValue(PersistentList.of(kept));
  return written(
    { kind: "count", count: removed },
    command.key,
    value,
    value === null ? undefined : current.expireAtMs,
  );
}

/** LINSERT, after linsertCommand in redis/src/t_list.c. */
export function linsert(command: Command<"linsert">, current: LiveVersion | undefined): Effect {
  if (current === undefined) return unchanged({ kind: "count", count: 0 });
  if (current.value.type !== "list") return failure("wrong_type");
  const items = current.value.items.toArray();
  const at = items.indexOf(command.pivot);
  if (at < 0) return unchanged({ kind: "count", count: -1 });
  items.splice(command.after ? at + 1 : at, 0, command.element);
  const value = listValue(PersistentList.of(items));
  return written({ kind: "count", count: items.length }, command.key, value, current.expireAtMs);
}
