/**
 * The sorted-set commands ZADD (and ZINCRBY, which is ZADD INCR), ZREM, ZPOPMIN and ZPOPMAX
 * (redis/src/t_zset.c; semantics in zset_ops.ts). Sorted sets are persistent (scored_set.ts):
 * a command on k members is O(k log n).
 */
import { assert } from "../../util/assert.js";
import {
  type CommandState,
  type Effect,
  failure,
  firstHeld,
  unchanged,
  written,
} from "./command_effects.js";
import type { KvCommand, KvResult } from "./kv_ops.js";
import { listRange } from "./redis_range.js";
import { ScoredSet } from "./scored_set.js";
import { zsetValue } from "./stored_value.js";
import type { LiveVersion } from "./version_chain.js";
import type { ScoredMember } from "./zset_ops.js";
import { withinLex } from "./zset_queries.js";

type Command<Kind extends KvCommand["kind"]> = Extract<KvCommand, { kind: Kind }>;

/** ZADD, after zaddGenericCommand and zsetAdd in redis/src/t_zset.c. */
export function zadd(command: Command<"zadd">, current: LiveVersion | undefined): Effect {
  const { entries, condition, compare, increment } = command;
  assert(entries.length > 0, () => `ZADD ${command.key} without entries`);
  assert(increment !== true || entries.length === 1, () => `ZADD INCR of ${entries.length}`);
  assert(!(condition === "nx" && compare !== undefined), () => `ZADD NX with ${compare}`);
  assert(
    entries.every(([, score]) => !Number.isNaN(score) && !Object.is(score, -0)),
    () => `ZADD ${command.key} with a NaN or -0 score`,
  );
  if (current !== undefined && current.value.type !== "zset") return failure("wrong_type");
  const before = current?.value.type === "zset" ? current.value.entries : undefined;
  // XX on an absent key changes nothing and creates nothing.
  if (before === undefined && condition === "xx") return unchanged(zaddResult(command, 0, null));
  let set = before ?? ScoredSet.empty;
  let added = 0;
  let updated = 0;
  let lastScore: number | null = null;
  for (const [member, given] of entries) {
    const old = set.score(member);
    if (old === undefined) {
      if (condition === "xx") continue;
      set = set.add(member, given);
      added += 1;
      lastScore = given;
      continue;
    }
    if (condition === "nx") continue;
    const score = increment === true ? old + given : given;
    if (Number.isNaN(score)) return failure("score_nan");
    if ((compare === "gt" && score <= old) || (compare === "lt" && score >= old)) continue;
    lastScore = score;
    if (score === old) continue;
    set = set.add(member, score);
    updated += 1;
  }
  const result = zaddResult(command, added + (command.changed === true ? updated : 0), lastScore);
  if (set === before) return unchanged(result);
  return written(result, command.key, zsetValue(set), current?.expireAtMs);
}

/** ZADD answers the count; ZADD INCR the new score, or null when nothing was processed. */
const zaddResult = (command: Command<"zadd">, count: number, score: number | null): KvResult =>
  command.increment === true ? { kind: "score", score } : { kind: "count", count };

export function zrem(command: Command<"zrem">, current: LiveVersion | undefined): Effect {
  assert(command.members.length > 0, () => `ZREM ${command.key} without members`);
  if (current === undefined) return unchanged({ kind: "count", count: 0 });
  if (current.value.type !== "zset") return failure("wrong_type");
  const before = current.value.entries;
  let set = before;
  for (const member of command.members) set = set.remove(member);
  return shrunk(command.key, current, set, { kind: "count", count: before.size - set.size });
}

/** ZPOPMIN / ZPOPMAX, after genericZpopCommand in redis/src/t_zset.c. */
export function zpop(command: Command<"zpop">, current: LiveVersion | undefined): Effect {
  assert(
    command.count === undefined || (Number.isSafeInteger(command.count) && command.count >= 0),
    () => `ZPOP ${command.key}: count ${command.count}`,
  );
  if (current === undefined) return unchanged({ kind: "scored", entries: [] });
  if (current.value.type !== "zset") return failure("wrong_type");
  const before = current.value.entries;
  const count = Math.min(command.count ?? 1, before.size);
  const popped: ScoredMember[] =
    command.side === "min"
      ? before.entries(0, count)
      : before.entries(before.size - count, before.size, { reverse: true });
  let set = before;
  for (const [member] of popped) set = set.remove(member);
  return shrunk(command.key, current, set, { kind: "scored", entries: popped });
}

/** ZMPOP, after zmpopGenericCommand in redis/src/t_zset.c. */
export function zmpop(command: Command<"zmpop">, state: CommandState, nowMs: number): Effect {
  const found = firstHeld(command.keys, "zset", state, nowMs);
  if (found === undefined) return unchanged({ kind: "popped", elements: null });
  if (found === "wrong_type") return failure("wrong_type");
  const { key, current } = found;
  const effect = zpop({ kind: "zpop", key, side: command.side, count: command.count }, current);
  const { result } = effect;
  if (result.kind !== "scored") return effect;
  return { ...effect, result: { kind: "zpoppedFrom", key, entries: result.entries } };
}

/** ZREMRANGEBYSCORE / ZREMRANGEBYRANK, after zremrangeGenericCommand in redis/src/t_zset.c. */
export function zremRange(command: Command<"zremRange">, current: LiveVersion | undefined): Effect {
  if (current === undefined) return unchanged({ kind: "count", count: 0 });
  if (current.value.type !== "zset") return failure("wrong_type");
  const before = current.value.entries;
  let set = before;
  if (command.by === "lex") {
    // Lex bounds assume one score (ZRANGE BYLEX): the members within them, in any rank.
    for (const [member] of before.toArray()) {
      if (withinLex(member, command.min, command.max)) set = set.remove(member);
    }
  } else {
    const { from, to } =
      command.by === "score"
        ? before.rankInterval(command.min, command.max)
        : listRange(before.size, command.start, command.stop);
    for (const [member] of before.entries(from, to)) set = set.remove(member);
  }
  return shrunk(command.key, current, set, { kind: "count", count: before.size - set.size });
}

/** A write of a sorted set that lost entries: deleted when empty, unchanged when it lost none. */
function shrunk(key: string, current: LiveVersion, set: ScoredSet, result: KvResult): Effect {
  if (current.value.type === "zset" && set === current.value.entries) return unchanged(result);
  // Redis deletes a sorted set left empty (zremCommand, genericZpopCommand: dbDelete).
  const value = set.size === 0 ? null : zsetValue(set);
  return written(result, key, value, value === null ? undefined : current.expireAtMs);
}
