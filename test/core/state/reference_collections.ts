/**
 * The reference model's sets and sorted sets: plain sorted arrays, rebuilt on every command,
 * written from the Redis command reference (https://redis.io/docs/latest/commands/?group=set,
 * ?group=sorted-set) without sharing code with src/core/state. The seeded draws of SPOP and
 * SRANDMEMBER follow the rule stated in set_ops.ts, with the core's seeded generator.
 */
import { seededRandom } from "../../../src/core/random.js";
import type {
  KvCommand,
  KvQuery,
  KvQueryResult,
  KvResult,
  LexBound,
  ScoreBound,
  ScoredMember,
  Value,
} from "../../../src/core/state/index.js";

const wrongType = { kind: "error", code: "wrong_type" } as const;
const count = (value: number): KvResult => ({ kind: "count", count: value });

type SetCommand = Extract<KvCommand, { kind: "sadd" | "srem" | "spop" }>;
type ZsetCommand = Extract<KvCommand, { kind: "zadd" | "zrem" | "zpop" | "zremRange" }>;
export type CollectionCommand = SetCommand | ZsetCommand;

/** What a command leaves for its key: a new value, a deletion, or nothing written. */
export type Outcome = { result: KvResult; write?: Value | null };

const members = (value: Value | undefined): string[] =>
  value?.type === "set" ? [...value.members] : [];

/** Redis's order: by score, then member bytes. */
const rankOrder = (a: ScoredMember, b: ScoredMember): number =>
  a[1] === b[1] ? (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) : a[1] < b[1] ? -1 : 1;

const setOf = (list: string[]): Value | null =>
  list.length === 0 ? null : { type: "set", members: [...list].sort() };
const zsetOf = (entries: ScoredMember[]): Value | null =>
  entries.length === 0 ? null : { type: "zset", entries: [...entries].sort(rankOrder) };

/** `wanted` distinct members of a sorted list, drawn by `seed`, in the order drawn. */
function draw(list: readonly string[], wanted: number, seed: number): string[] {
  const random = seededRandom(seed);
  const left = [...list];
  const chosen: string[] = [];
  while (chosen.length < wanted) chosen.push(left.splice(random.int(0, left.length - 1), 1)[0]!);
  return chosen;
}

export function applyCollection(command: CollectionCommand, current: Value | undefined): Outcome {
  const expected = command.kind.startsWith("z") ? "zset" : "set";
  if (current !== undefined && current.type !== expected) return { result: wrongType };
  switch (command.kind) {
    case "sadd": {
      const before = members(current);
      const added = [...new Set(command.members)].filter((member) => !before.includes(member));
      if (added.length === 0) return { result: count(0) };
      return { result: count(added.length), write: setOf([...before, ...added]) };
    }
    case "srem": {
      const before = members(current);
      const kept = before.filter((member) => !command.members.includes(member));
      if (kept.length === before.length) return { result: count(0) };
      return { result: count(before.length - kept.length), write: setOf(kept) };
    }
    case "spop": {
      if (current === undefined) return { result: { kind: "popped", elements: null } };
      const before = members(current);
      const wanted = command.count ?? 1;
      if (wanted === 0) return { result: { kind: "popped", elements: [] } };
      const chosen = wanted >= before.length ? before : draw(before, wanted, command.seed);
      const kept = before.filter((member) => !chosen.includes(member));
      return { result: { kind: "popped", elements: chosen }, write: setOf(kept) };
    }
    default:
      return applyZset(command, current);
  }
}

function applyZset(command: ZsetCommand, current: Value | undefined): Outcome {
  const scores = new Map(current?.type === "zset" ? current.entries : []);
  switch (command.kind) {
    case "zadd": {
      const incr = command.increment === true;
      const answer = (changed: number, score: number | null): KvResult =>
        incr ? { kind: "score", score } : count(changed);
      if (current === undefined && command.condition === "xx") return { result: answer(0, null) };
      let added = 0;
      let updated = 0;
      let last: number | null = null;
      for (const [member, given] of command.entries) {
        const old = scores.get(member);
        if (old === undefined && command.condition !== "xx") {
          scores.set(member, given);
          added += 1;
          last = given;
        } else if (old !== undefined && command.condition !== "nx") {
          const score = incr ? old + given : given;
          if (Number.isNaN(score)) return { result: { kind: "error", code: "score_nan" } };
          if (command.compare === "gt" && !(score > old)) continue;
          if (command.compare === "lt" && !(score < old)) continue;
          last = score;
          if (score !== old) {
            scores.set(member, score);
            updated += 1;
          }
        }
      }
      const result = answer(added + (command.changed === true ? updated : 0), last);
      if (added + updated === 0) return { result };
      return { result, write: zsetOf([...scores]) };
    }
    case "zrem": {
      const removed = [...new Set(command.members)].filter((member) => scores.delete(member));
      if (removed.length === 0) return { result: count(0) };
      return { result: count(removed.length), write: zsetOf([...scores]) };
    }
    case "zpop": {
      const sorted = [...scores].sort(rankOrder);
      const wanted = Math.min(command.count ?? 1, sorted.length);
      const entries =
        command.side === "min" ? sorted.slice(0, wanted) : sorted.reverse().slice(0, wanted);
      if (entries.length === 0) return { result: { kind: "scored", entries } };
      for (const [member] of entries) scores.delete(member);
      return { result: { kind: "scored", entries }, write: zsetOf([...scores]) };
    }
    case "zremRange": {
      const sorted = [...scores].sort(rankOrder);
      let doomed: ScoredMember[];
      if (command.by === "score") {
        doomed = sorted.filter(([, score]) => inScore(score, command.min, command.max));
      } else if (command.by === "lex") {
        doomed = sorted.filter(([member]) => inLex(member, command.min, command.max));
      } else {
        const from = Math.max(0, command.start < 0 ? sorted.length + command.start : command.start);
        const to = command.stop < 0 ? sorted.length + command.stop : command.stop;
        doomed = sorted.slice(from, Math.max(from, to + 1));
      }
      if (doomed.length === 0) return { result: count(0) };
      for (const [member] of doomed) scores.delete(member);
      return { result: count(doomed.length), write: zsetOf([...scores]) };
    }
  }
}

type SetQuery = Extract<
  KvQuery,
  { kind: "smembers" | "sismember" | "smismember" | "scard" | "srandmember" }
>;
type ZsetQuery = Extract<
  KvQuery,
  { kind: "zscore" | "zmscore" | "zcard" | "zrank" | "zcount" | "zrange" }
>;
export type CollectionQuery = SetQuery | ZsetQuery;

const collectionQueryKinds: readonly string[] = [
  "smembers",
  "sismember",
  "smismember",
  "scard",
  "srandmember",
  "zscore",
  "zmscore",
  "zcard",
  "zrank",
  "zcount",
  "zrange",
];

export const isCollectionQuery = (query: KvQuery): query is CollectionQuery =>
  collectionQueryKinds.includes(query.kind);

export function answerCollection(query: CollectionQuery, value: Value | undefined): KvQueryResult {
  const expected = query.kind.startsWith("z") ? "zset" : "set";
  if (value !== undefined && value.type !== expected) return wrongType;
  const list = members(value);
  switch (query.kind) {
    case "smembers":
      return { kind: "strings", values: list };
    case "sismember":
      return { kind: "count", count: list.includes(query.member) ? 1 : 0 };
    case "smismember":
      return {
        kind: "counts",
        counts: query.members.map((member) => (list.includes(member) ? 1 : 0)),
      };
    case "scard":
      return { kind: "count", count: list.length };
    case "srandmember": {
      const wanted = query.count ?? 1;
      if (list.length === 0 || wanted === 0) return { kind: "strings", values: [] };
      if (wanted >= list.length) return { kind: "strings", values: list };
      if (wanted > 0) return { kind: "strings", values: draw(list, wanted, query.seed) };
      const random = seededRandom(query.seed);
      const values = Array.from({ length: -wanted }, () => list[random.int(0, list.length - 1)]!);
      return { kind: "strings", values };
    }
    default:
      return answerZset(query, value?.type === "zset" ? value.entries : []);
  }
}

const inScore = (score: number, min: ScoreBound, max: ScoreBound): boolean =>
  (min.exclusive ? score > min.score : score >= min.score) &&
  (max.exclusive ? score < max.score : score <= max.score);

function inLex(member: string, min: LexBound, max: LexBound): boolean {
  const aboveMin =
    min === "-" || (min !== "+" && (min.exclusive ? member > min.member : member >= min.member));
  const belowMax =
    max === "+" || (max !== "-" && (max.exclusive ? member < max.member : member <= max.member));
  return aboveMin && belowMax;
}

function answerZset(query: ZsetQuery, entries: readonly ScoredMember[]): KvQueryResult {
  const scores = new Map(entries);
  switch (query.kind) {
    case "zscore":
      return { kind: "score", score: scores.get(query.member) ?? null };
    case "zmscore":
      return { kind: "scores", scores: query.members.map((member) => scores.get(member) ?? null) };
    case "zcard":
      return { kind: "count", count: entries.length };
    case "zrank": {
      const order = query.reverse === true ? [...entries].reverse() : entries;
      const rank = order.findIndex(([member]) => member === query.member);
      if (rank < 0) return { kind: "rank", rank: null, score: null };
      return { kind: "rank", rank, score: scores.get(query.member)! };
    }
    case "zcount":
      return {
        kind: "count",
        count: entries.filter(([, score]) => inScore(score, query.min, query.max)).length,
      };
    case "zrange": {
      const order = query.reverse === true ? [...entries].reverse() : [...entries];
      const { range } = query;
      if (range.by === "rank") {
        const from = Math.max(0, range.start < 0 ? order.length + range.start : range.start);
        const to = range.stop < 0 ? order.length + range.stop : range.stop;
        return { kind: "scored", entries: order.slice(from, Math.max(from, to + 1)) };
      }
      const within = order.filter(([member, score]) =>
        range.by === "score"
          ? inScore(score, range.min, range.max)
          : inLex(member, range.min, range.max),
      );
      const offset = range.offset ?? 0;
      if (offset < 0) return { kind: "scored", entries: [] };
      const limit = range.limit === undefined || range.limit < 0 ? within.length : range.limit;
      return { kind: "scored", entries: within.slice(offset, offset + limit) };
    }
  }
}
