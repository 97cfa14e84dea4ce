/**
 * The list commands: listAppend (the checker's RPUSH of one element), LPUSH/RPUSH/LPUSHX/RPUSHX
 * and LPOP/RPOP (https://redis.io/docs/latest/commands/?group=list, redis/src/t_list.c). Lists
 * are persistent (persistent_list.ts): a push or pop of k elements is O(k log n) and shares the
 * rest of the list with the version before it.
 */
import { assert } from "../../util/assert.js";
import { type Effect, failure, unchanged, written } from "./command_effects.js";
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
