/**
 * A Redis sorted set as two persistent (structurally shared) trees, so that a write leaves older
 * versions readable (MVCC by offset, kv.ts) without copying: member to score, and (score, member)
 * in rank order with subtree counts, which is Redis's order (by score, then members in byte
 * order; zslInsert in redis/src/t_zset.c). Add, remove, score, rank, the entry at a rank and the
 * ranks bounding a score interval are O(log n); reading `count` entries from a rank is
 * O(log n + count). The trees are functional-red-black-tree's.
 */
import createTree from "functional-red-black-tree";
import { assert } from "../../util/assert.js";
import type { ScoreBound, ScoredMember } from "./zset_ops.js";

/** Probes that sort before or after every member of the same score, to find score bounds. */
const beforeMembers = Symbol("before every member");
const afterMembers = Symbol("after every member");
type RankKey = readonly [
  score: number,
  member: string | typeof beforeMembers | typeof afterMembers,
];

function rankOrder(a: RankKey, b: RankKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  const [, left] = a;
  const [, right] = b;
  if (left === right) return 0;
  if (left === beforeMembers || right === afterMembers) return -1;
  if (left === afterMembers || right === beforeMembers) return 1;
  return left < right ? -1 : 1;
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class ScoredSet {
  private constructor(
    private readonly scores: createTree.Tree<string, number>,
    private readonly ranks: createTree.Tree<RankKey, true>,
  ) {}

  static readonly empty = new ScoredSet(
    createTree<string, number>(byteOrder),
    createTree<RankKey, true>(rankOrder),
  );

  static of(entries: Iterable<ScoredMember>): ScoredSet {
    let set = ScoredSet.empty;
    for (const [member, score] of entries) set = set.add(member, score);
    return set;
  }

  get size(): number {
    return this.scores.length;
  }

  score(member: string): number | undefined {
    const found = this.scores.find(member);
    return found.valid ? (found.value as number) : undefined;
  }

  /** The set with `member` at `score` (not NaN), in place of any score it had. */
  add(member: string, score: number): ScoredSet {
    assert(!Number.isNaN(score), () => `NaN score for ${member}`);
    const old = this.score(member);
    if (old === score) return this;
    const scores = old === undefined ? this.scores : this.scores.remove(member);
    const ranks = old === undefined ? this.ranks : this.ranks.remove([old, member]);
    return new ScoredSet(scores.insert(member, score), ranks.insert([score, member], true));
  }

  /** The set without `member`; this same set when it does not hold it. */
  remove(member: string): ScoredSet {
    const old = this.score(member);
    if (old === undefined) return this;
    return new ScoredSet(this.scores.remove(member), this.ranks.remove([old, member]));
  }

  /** The 0-based rank of `member` from the lowest score, or undefined when absent. */
  rank(member: string): number | undefined {
    const score = this.score(member);
    return score === undefined ? undefined : this.ranks.find([score, member]).index;
  }

  /**
   * The ranks [from, to) of the members whose score lies within `min` and `max`: `from` is the
   * first rank in range and `to` the first rank past `max` (to <= from when none is in range).
   */
  rankInterval(min: ScoreBound, max: ScoreBound): { from: number; to: number } {
    const first = min.exclusive
      ? this.ranks.gt([min.score, afterMembers])
      : this.ranks.ge([min.score, beforeMembers]);
    const past = max.exclusive
      ? this.ranks.ge([max.score, beforeMembers])
      : this.ranks.gt([max.score, afterMembers]);
    return { from: first.index, to: past.index };
  }

  /**
   * The entries at ranks [from, to) (clamped to the set), lowest first, or highest first when
   * `reverse`, at most `limit` of them after skipping `skip`.
   */
  entries(
    from: number,
    to: number,
    options: { reverse?: boolean; skip?: number; limit?: number } = {},
  ): ScoredMember[] {
    const low = Math.max(0, from);
    const high = Math.min(this.size, to);
    const skip = options.skip ?? 0;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const entries: ScoredMember[] = [];
    if (high - low <= skip || limit <= 0) return entries;
    const reverse = options.reverse === true;
    const iterator = this.ranks.at(reverse ? high - 1 - skip : low + skip);
    const wanted = Math.min(limit, high - low - skip);
    while (entries.length < wanted) {
      const [score, member] = iterator.key as RankKey;
      entries.push([member as string, score]);
      if (reverse) iterator.prev();
      else iterator.next();
    }
    return entries;
  }

  /**
   * Up to `count` entries whose members follow `after` (from the first when undefined) in byte
   * order of members, not rank, and whether more follow them: O(log n + count).
   */
  after(after: string | undefined, count: number): { entries: ScoredMember[]; more: boolean } {
    const iterator = after === undefined ? this.scores.begin : this.scores.gt(after);
    const entries: ScoredMember[] = [];
    for (; entries.length < count && iterator.valid; iterator.next()) {
      entries.push([iterator.key as string, iterator.value as number]);
    }
    return { entries, more: iterator.valid };
  }

  /** Every entry in rank order. */
  toArray(): ScoredMember[] {
    return this.entries(0, this.size);
  }
}
