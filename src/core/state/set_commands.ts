/**
 * The set commands SADD, SREM and SPOP (redis/src/t_set.c; semantics in set_ops.ts) and the
 * seeded draw that SPOP and SRANDMEMBER share. Sets are persistent (member_set.ts): SADD and
 * SREM of k members are O(k log n), SPOP of k members O(k log n).
 */
import { assert } from "../../util/assert.js";
import { seededRandom } from "../random.js";
import { type Effect, failure, unchanged, written } from "./command_effects.js";
import type { KvCommand, KvResult } from "./kv_ops.js";
import { MemberSet } from "./member_set.js";
import { setValue } from "./stored_value.js";
import type { LiveVersion } from "./version_chain.js";

type Command<Kind extends KvCommand["kind"]> = Extract<KvCommand, { kind: Kind }>;

export function sadd(command: Command<"sadd">, current: LiveVersion | undefined): Effect {
  assert(command.members.length > 0, () => `SADD ${command.key} without members`);
  if (current !== undefined && current.value.type !== "set") return failure("wrong_type");
  const before = current?.value.type === "set" ? current.value.members : MemberSet.empty;
  let members = before;
  for (const member of command.members) members = members.add(member);
  const added = members.size - before.size;
  if (added === 0) return unchanged({ kind: "count", count: 0 });
  return written(
    { kind: "count", count: added },
    command.key,
    setValue(members),
    current?.expireAtMs,
  );
}

export function srem(command: Command<"srem">, current: LiveVersion | undefined): Effect {
  assert(command.members.length > 0, () => `SREM ${command.key} without members`);
  if (current === undefined) return unchanged({ kind: "count", count: 0 });
  if (current.value.type !== "set") return failure("wrong_type");
  const before = current.value.members;
  let members = before;
  for (const member of command.members) members = members.remove(member);
  return shrunk(command.key, current, members, {
    kind: "count",
    count: before.size - members.size,
  });
}

/** SPOP with or without a count (spopCommand, spopWithCountCommand). */
export function spop(command: Command<"spop">, current: LiveVersion | undefined): Effect {
  assert(
    command.count === undefined || (Number.isSafeInteger(command.count) && command.count >= 0),
    () => `SPOP ${command.key}: count ${command.count}`,
  );
  if (current === undefined) return unchanged({ kind: "popped", elements: null });
  if (current.value.type !== "set") return failure("wrong_type");
  const before = current.value.members;
  const count = command.count ?? 1;
  if (count === 0) return unchanged({ kind: "popped", elements: [] });
  // Redis answers the whole set, in its own order, when asked for at least its size.
  const { chosen, rest } =
    count >= before.size
      ? { chosen: before.toArray(), rest: MemberSet.empty }
      : drawDistinct(before, count, command.seed);
  return shrunk(command.key, current, rest, { kind: "popped", elements: chosen });
}

/** A write of a set that lost members: deleted when empty, unchanged when it lost none. */
function shrunk(key: string, current: LiveVersion, members: MemberSet, result: KvResult): Effect {
  if (current.value.type === "set" && members === current.value.members) return unchanged(result);
  // Redis deletes a set left empty (sremCommand, spopCommand: dbDelete).
  const value = members.size === 0 ? null : setValue(members);
  return written(result, key, value, value === null ? undefined : current.expireAtMs);
}

/**
 * `count` (< size) distinct members drawn by `seed` (set_ops.ts), in the order drawn, and the
 * set without them.
 */
export function drawDistinct(
  members: MemberSet,
  count: number,
  seed: number,
): { chosen: string[]; rest: MemberSet } {
  assert(count <= members.size, () => `drawing ${count} of ${members.size} members`);
  const random = seededRandom(seed);
  const chosen: string[] = [];
  let rest = members;
  while (chosen.length < count) {
    const member = rest.at(random.int(0, rest.size - 1));
    chosen.push(member);
    rest = rest.remove(member);
  }
  return { chosen, rest };
}

/** `count` members drawn by `seed` with repetition (SRANDMEMBER with a negative count). */
export function drawRepeated(members: MemberSet, count: number, seed: number): string[] {
  assert(members.size > 0, () => `drawing ${count} members of an empty set`);
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => members.at(random.int(0, members.size - 1)));
}
