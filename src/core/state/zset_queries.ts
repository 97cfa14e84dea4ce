/**
 * The sorted-set queries ZSCORE, ZMSCORE, ZCARD, ZRANK / ZREVRANK, ZCOUNT and ZRANGE
 * (redis/src/t_zset.c; semantics in zset_ops.ts). Costs: O(log n) for a score, a rank or a
 * count; ZRANGE by rank or score O(log n + answer); ZRANGE BYLEX O(n), as it filters every entry.
 */
import { unreachable } from "../../util/assert.js";
import type { Key, KvQuery, KvQueryResultOf } from "./kv_ops.js";
import { listRange } from "./redis_range.js";
import type { ScoredSet } from "./scored_set.js";
import type { LiveAt } from "./value_queries.js";
import { wrongType } from "./value_queries.js";
import type { LexBound, ScoredMember, ZrangeSpec } from "./zset_ops.js";

type Query<Kind extends KvQuery["kind"]> = Extract<KvQuery, { kind: Kind }>;

/** The entries of a sorted-set key: null when absent, undefined when the key is another type. */
function entriesOf(liveAt: LiveAt, key: Key): ScoredSet | null | undefined {
  const value = liveAt(key)?.value;
  if (value === undefined) return null;
  return value.type === "zset" ? value.entries : undefined;
}

export function zscore(query: Query<"zscore">, liveAt: LiveAt): KvQueryResultOf<"zscore"> {
  const set = entriesOf(liveAt, query.key);
  if (set === undefined) return wrongType;
  return { kind: "score", score: set?.score(query.member) ?? null };
}

export function zmscore(query: Query<"zmscore">, liveAt: LiveAt): KvQueryResultOf<"zmscore"> {
  const set = entriesOf(liveAt, query.key);
  if (set === undefined) return wrongType;
  return { kind: "scores", scores: query.members.map((member) => set?.score(member) ?? null) };
}

export function zcard(query: Query<"zcard">, liveAt: LiveAt): KvQueryResultOf<"zcard"> {
  const set = entriesOf(liveAt, query.key);
  if (set === undefined) return wrongType;
  return { kind: "count", count: set?.size ?? 0 };
}

export function zrank(query: Query<"zrank">, liveAt: LiveAt): KvQueryResultOf<"zrank"> {
  const set = entriesOf(liveAt, query.key);
  if (set === undefined) return wrongType;
  const rank = set?.rank(query.member);
  if (set === null || rank === undefined) return { kind: "rank", rank: null, score: null };
  return {
    kind: "rank",
    rank: query.reverse === true ? set.size - 1 - rank : rank,
    score: set.score(query.member) ?? null,
  };
}

export function zcount(query: Query<"zcount">, liveAt: LiveAt): KvQueryResultOf<"zcount"> {
  const set = entriesOf(liveAt, query.key);
  if (set === undefined) return wrongType;
  if (set === null) return { kind: "count", count: 0 };
  const { from, to } = set.rankInterval(query.min, query.max);
  return { kind: "count", count: Math.max(0, to - from) };
}

export function zrange(query: Query<"zrange">, liveAt: LiveAt): KvQueryResultOf<"zrange"> {
  const set = entriesOf(liveAt, query.key);
  if (set === undefined) return wrongType;
  if (set === null) return { kind: "scored", entries: [] };
  return { kind: "scored", entries: rangeOf(set, query.range, query.reverse === true) };
}

function rangeOf(set: ScoredSet, range: ZrangeSpec, reverse: boolean): ScoredMember[] {
  switch (range.by) {
    case "rank": {
      // genericZrangebyrankCommand clamps as lrangeCommand does; REV counts from the end.
      const span = listRange(set.size, range.start, range.stop);
      if (!reverse) return set.entries(span.from, span.to);
      return set.entries(set.size - span.to, set.size - span.from, { reverse });
    }
    case "score": {
      // LIMIT: a negative offset leaves nothing (genericZrangebyscoreCommand skips past the end).
      if ((range.offset ?? 0) < 0) return [];
      const { from, to } = set.rankInterval(range.min, range.max);
      return set.entries(from, to, { reverse, ...limits(range.offset, range.limit) });
    }
    case "lex": {
      if ((range.offset ?? 0) < 0) return [];
      const within = set.toArray().filter(([member]) => withinLex(member, range.min, range.max));
      if (reverse) within.reverse();
      const skip = range.offset ?? 0;
      const limit = range.limit === undefined || range.limit < 0 ? within.length : range.limit;
      return within.slice(skip, skip + limit);
    }
    default:
      return unreachable(range);
  }
}

/** LIMIT offset count as entries() takes it: a negative count means no limit. */
function limits(offset: number | undefined, limit: number | undefined) {
  return { skip: offset ?? 0, ...(limit === undefined || limit < 0 ? {} : { limit }) };
}

/** Whether `member` lies within the BYLEX bounds `min` and `max` (zslLexValueGteMin, ...). */
export function withinLex(member: string, min: LexBound, max: LexBound): boolean {
  return aboveMin(member, min) && belowMax(member, max);
}

function aboveMin(member: string, min: LexBound): boolean {
  if (min === "-") return true;
  if (min === "+") return false;
  return min.exclusive ? member > min.member : member >= min.member;
}

function belowMax(member: string, max: LexBound): boolean {
  if (max === "+") return true;
  if (max === "-") return false;
  return max.exclusive ? member < max.member : member <= max.member;
}
