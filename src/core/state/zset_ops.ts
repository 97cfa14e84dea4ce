/**
 * The sorted-set part of the kv language (https://redis.io/docs/latest/commands/?group=sorted-set,
 * redis/src/t_zset.c): commands, queries and what they answer. Entries are ordered as Redis
 * orders them: by score, then by member in byte order (scored_set.ts).
 *
 * Scores are JavaScript numbers (IEEE doubles, as Redis's); the face parses them as Redis does
 * and never sends NaN, nor -0: MessagePack writes -0 as the integer 0, so a follower would hold 0
 * where the leader held -0, and the face reads "-0" as 0 instead (Redis keeps -0, and ZSCORE
 * answers "-0" there where onelog answers "0"). With no -0 stored or given, no sum makes one.
 */
import type { Key } from "./kv_ops.js";

/** A member and its score. */
export type ScoredMember = readonly [member: string, score: number];

/** A score bound as ZRANGE BYSCORE and ZCOUNT give it ("(1.5" is exclusive). */
export interface ScoreBound {
  readonly score: number;
  readonly exclusive: boolean;
}

/** A ZRANGE BYLEX bound: "-" and "+" are below and above every member; "(" is exclusive. */
export type LexBound = "-" | "+" | { readonly member: string; readonly exclusive: boolean };

/**
 * Which entries ZRANGE takes (zrangeGenericCommand), before `reverse` orders them highest first:
 * - `rank`: ranks `start` to `stop` inclusive, negatives counted from the end, clamped
 *   (counted from the highest score when `reverse`, as ZREVRANGE);
 * - `score` / `lex`: the entries within `min` and `max`; then `offset` entries are skipped
 *   (a negative offset leaves none) and at most `limit` kept (negative: no limit), as LIMIT.
 *   `lex` compares members only; Redis defines it for entries of one score, and here it takes
 *   the entries in range in rank order whatever their scores.
 */
export type ZrangeSpec =
  | { by: "rank"; start: number; stop: number }
  | { by: "score"; min: ScoreBound; max: ScoreBound; offset?: number; limit?: number }
  | { by: "lex"; min: LexBound; max: LexBound; offset?: number; limit?: number };

export type ZsetCommand =
  /**
   * ZADD / ZINCRBY (zaddGenericCommand, zsetAdd). `entries` holds at least one entry, exactly one
   * with `increment`. `condition` nx: only add new members; xx: only update existing ones (an
   * absent key stays absent). `compare` gt / lt: update an existing member only when the new
   * score is greater / less (new members are still added). `increment` adds the score to the
   * member's (absent counts as 0). Creates the set when absent; the key keeps its expiry.
   * Results: `count` of members added, or added and updated when `changed` (CH); with
   * `increment`, `score` with the new score, or null when a condition left it unchanged;
   * `error score_nan` when an increment makes NaN (inf + -inf); `wrong_type`.
   */
  | {
      kind: "zadd";
      key: Key;
      entries: readonly ScoredMember[];
      condition?: "nx" | "xx";
      compare?: "gt" | "lt";
      changed?: boolean;
      increment?: boolean;
    }
  /** ZREM (at least one member). A set left empty is deleted. Result: `count`; `wrong_type`. */
  | { kind: "zrem"; key: Key; members: readonly string[] }
  /**
   * ZPOPMIN / ZPOPMAX: removes up to `count` (default 1, >= 0) entries of the lowest / highest
   * scores. A set left empty is deleted. Result: `scored` in pop order (empty when the key is
   * absent); `wrong_type`.
   */
  | { kind: "zpop"; key: Key; side: "min" | "max"; count?: number }
  /**
   * ZMPOP (and BZPOPMIN, BZPOPMAX, BZMPOP each time they try): ZPOPMIN / ZPOPMAX of up to
   * `count` (>= 1) entries from the first of `keys` that holds a sorted set; a key of another
   * type met before it is `wrong_type`. Result: `zpoppedFrom`; `popped` with null when no key
   * is held.
   */
  | { kind: "zmpop"; keys: readonly Key[]; side: "min" | "max"; count: number }
  /**
   * ZREMRANGEBYSCORE / ZREMRANGEBYRANK: removes the members whose score lies within `min` and
   * `max`, or whose rank lies within `start` and `stop` (counted from the highest when negative,
   * as ZRANGE reads them). A set left empty is deleted. Result: `count`; `wrong_type`.
   */
  | { kind: "zremRange"; key: Key; by: "score"; min: ScoreBound; max: ScoreBound }
  | { kind: "zremRange"; key: Key; by: "rank"; start: number; stop: number }
  /** ZREMRANGEBYLEX: removes the members within `min` and `max` (as ZRANGE BYLEX reads them). */
  | { kind: "zremRange"; key: Key; by: "lex"; min: LexBound; max: LexBound };

export type ZsetQuery =
  /** ZSCORE: `score`, null when the key or member is absent; `wrong_type`. */
  | { kind: "zscore"; key: Key; member: string }
  /** ZMSCORE: `scores`, null for each absent member; `wrong_type`. */
  | { kind: "zmscore"; key: Key; members: readonly string[] }
  /** ZCARD: `count`, 0 when absent; `wrong_type`. */
  | { kind: "zcard"; key: Key }
  /**
   * ZRANK / ZREVRANK (`reverse`, ranked from the highest score): `rank` with the member's rank
   * and score, both null when the key or member is absent; `wrong_type`.
   */
  | { kind: "zrank"; key: Key; member: string; reverse?: boolean }
  /** ZCOUNT: `count` of entries with a score within `min` and `max`; `wrong_type`. */
  | { kind: "zcount"; key: Key; min: ScoreBound; max: ScoreBound }
  /** ZRANGE (see ZrangeSpec): `scored`, empty when absent; `wrong_type`. */
  | { kind: "zrange"; key: Key; range: ZrangeSpec; reverse?: boolean };
