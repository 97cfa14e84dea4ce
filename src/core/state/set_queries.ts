/**
 * The set queries SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SRANDMEMBER and the sets of several
 * keys for the set algebra (redis/src/t_set.c; semantics in set_ops.ts). Costs: O(log n) a
 * membership test, O(n) SMEMBERS and each set read, O(k log n) for k members drawn.
 */
import type { Key, KvQuery, KvQueryResultOf } from "./kv_ops.js";
import type { MemberSet } from "./member_set.js";
import { drawDistinct, drawRepeated } from "./set_commands.js";
import type { LiveAt } from "./value_queries.js";
import { strings, wrongType } from "./value_queries.js";

type Query<Kind extends KvQuery["kind"]> = Extract<KvQuery, { kind: Kind }>;

/** The members of a set key: null when absent, undefined when the key is not a set. */
function membersOf(liveAt: LiveAt, key: Key): MemberSet | null | undefined {
  const value = liveAt(key)?.value;
  if (value === undefined) return null;
  return value.type === "set" ? value.members : undefined;
}

export function smembers(query: Query<"smembers">, liveAt: LiveAt): KvQueryResultOf<"smembers"> {
  const members = membersOf(liveAt, query.key);
  if (members === undefined) return wrongType;
  return strings(members?.toArray() ?? []);
}

export function sets(query: Query<"sets">, liveAt: LiveAt): KvQueryResultOf<"sets"> {
  const found = query.keys.map((key) => membersOf(liveAt, key));
  if (found.includes(undefined)) return wrongType;
  return { kind: "sets", sets: found.map((members) => members?.toArray() ?? []) };
}

export function sismember(query: Query<"sismember">, liveAt: LiveAt): KvQueryResultOf<"sismember"> {
  const members = membersOf(liveAt, query.key);
  if (members === undefined) return wrongType;
  return { kind: "count", count: members?.has(query.member) === true ? 1 : 0 };
}

export function smismember(
  query: Query<"smismember">,
  liveAt: LiveAt,
): KvQueryResultOf<"smismember"> {
  const members = membersOf(liveAt, query.key);
  if (members === undefined) return wrongType;
  const counts = query.members.map((member) => (members?.has(member) === true ? 1 : 0));
  return { kind: "counts", counts };
}

export function scard(query: Query<"scard">, liveAt: LiveAt): KvQueryResultOf<"scard"> {
  const members = membersOf(liveAt, query.key);
  if (members === undefined) return wrongType;
  return { kind: "count", count: members?.size ?? 0 };
}

/** SRANDMEMBER (srandmemberCommand, srandmemberWithCountCommand). */
export function srandmember(
  query: Query<"srandmember">,
  liveAt: LiveAt,
): KvQueryResultOf<"srandmember"> {
  const members = membersOf(liveAt, query.key);
  if (members === undefined) return wrongType;
  const count = query.count ?? 1;
  if (members === null || count === 0) return strings([]);
  if (count < 0) return strings(drawRepeated(members, -count, query.seed));
  if (count >= members.size) return strings(members.toArray());
  return strings(drawDistinct(members, count, query.seed).chosen);
}
