/**
 * The set commands SADD, SREM and SPOP (redis/src/t_set.c; semantics in set_ops.ts) and the
 * seeded draw that SPOP and SRANDMEMBER share. Sets are persistent (member_set.ts): SADD and
 * SREM of k members are O(k log n), SPOP of k members O(k log n).
 */
import { assert } from "../../util/assert.js";
import { seededRandom } from "../random.js";
import {
  type CommandState,
  deletion,
  type Effect,
  failure,
  live,
  unchanged,
  written,
} from "./command_effects.js";
import type { KvCommand, KvResult } from "./kv_ops.js";
import { MemberSet } from "./member_set.js";
import { combineSets } from "./set_ops.js";
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

/** SINTERSTORE, SUNIONSTORE, SDIFFSTORE (sinterGenericCommand, sunionDiffGenericCommand). */
export function setStore(command: Command<"setStore">, state: CommandState, nowMs: number): Effect {
  const sets: string[][] = [];
  for (const key of command.keys) {
    const current = live(state.newest(key), nowMs);
    if (current !== undefined && current.value.type !== "set") return failure("wrong_type");
    sets.push(current?.value.type === "set" ? current.value.members.toArray() : []);
  }
  const members = combineSets(command.op, sets);
  const result = { kind: "count", count: members.length } as const;
  if (members.length > 0) {
    return written(result, command.destination, setValue(MemberSet.of(members)), undefined);
  }
  const held = live(state.newest(command.destination), nowMs) !== undefined;
  return held ? written(result, command.destination, null, undefined) : unchanged(result);
}

/** SMOVE (smoveCommand). */
export function smove(command: Command<"smove">, state: CommandState, nowMs: number): Effect {
  const source = live(state.newest(command.source), nowMs);
  if (source === undefined) return unchanged({ kind: "count", count: 0 });
  const destination = live(state.newest(command.destination), nowMs);
  const wrong = (version: LiveVersion | undefined) =>
    version !== undefined && version.value.type !== "set";
  if (wrong(source) || wrong(destination)) return failure("wrong_type");
  const from = source.value.type === "set" ? source.value.members : MemberSet.empty;
  const there = from.has(command.member) ? 1 : 0;
  if (command.source === command.destination || there === 0) {
    return unchanged({ kind: "count", count: there });
  }
  const left = from.remove(command.member);
  const into = destination?.value.type === "set" ? destination.value.members : MemberSet.empty;
  return {
    result: { kind: "count", count: 1 },
    writes: [
      // Redis deletes a set left empty.
      left.size === 0
        ? deletion(command.source)
        : { key: command.source, value: setValue(left), expireAtMs: source.expireAtMs },
      {
        key: command.destination,
        value: setValue(into.add(command.member)),
        expireAtMs: destination?.expireAtMs,
      },
    ],
  };
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
