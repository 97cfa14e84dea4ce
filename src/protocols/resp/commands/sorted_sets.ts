/**
 * Sorted-set commands (redis/src/t_zset.c): ZADD ZINCRBY ZREM ZREMRANGEBYSCORE ZREMRANGEBYRANK
 * ZREMRANGEBYLEX ZSCORE ZMSCORE ZCARD ZCOUNT ZLEXCOUNT ZRANK ZREVRANK ZPOPMIN ZPOPMAX ZRANGE, and ZRANGE's older
 * forms ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX. Scores are doubles: a bulk string in RESP2 and a
 * `,` double in RESP3 (addReplyDouble). Entries with their scores are flat `member, score` in
 * RESP2 and `[member, score]` pairs in RESP3 for ZRANGE WITHSCORES and ZPOPMIN/ZPOPMAX with a
 * count (zrangeResultBeginClient, zpopMinMaxCommand); ZPOPMIN without a count is flat in both.
 */
import type { KvResult, ScoredMember } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { array, bulk, double, integer, nullReply } from "../reply.js";
import {
  arityError,
  indexArgument,
  notInteger,
  popCount,
  syntaxError,
  text,
  upper,
} from "./arguments.js";
import type { CommandContext, CommandSpec, HandlerReply } from "./context.js";
import { readReply, redisRead, writeReply } from "./redis_access.js";
import { countReply } from "./values.js";
import {
  lexRange,
  notFloat,
  parseZadd,
  parseZrange,
  type RangeForm,
  scoreArgument,
  scoreRange,
} from "./zset_arguments.js";

const key = (args: readonly Buffer[]): string => text(args[1] as Buffer);
const members = (args: readonly Buffer[]): string[] => args.slice(2).map(text);
const scoreReply = (score: number | null): Reply => (score === null ? nullReply : double(score));

const poppedEntries = (result: KvResult): readonly ScoredMember[] =>
  result.kind === "scored" ? result.entries : [];
const zpopOne = (result: KvResult): Reply => entriesReply(poppedEntries(result), false);
/** ZPOPMIN with a count nests each pair under RESP3. */
const zpopCounted = (result: KvResult, context: CommandContext): Reply =>
  entriesReply(poppedEntries(result), context.session.protocol === 3);

/** Entries with scores: flat pairs, or one `[member, score]` array each when `nested`. */
function entriesReply(entries: readonly ScoredMember[], nested: boolean): Reply {
  const pairs = entries.map(([member, score]): Reply[] => [bulk(member), double(score)]);
  return array(nested ? pairs.map((pair) => array(pair)) : pairs.flat());
}

function zadd(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const command = parseZadd(args);
  if (!command.ok) return command.reply;
  return writeReply(context, command.value, zaddReply);
}

const zaddReply = (result: KvResult): Reply =>
  result.kind === "score" ? scoreReply(result.score) : countReply(result);

/** ZINCRBY key increment member: ZADD INCR with no condition, so it always answers a score. */
function zincrBy(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const increment = scoreArgument(args[2] as Buffer);
  if (increment === undefined) return notFloat();
  return writeReply(
    context,
    {
      kind: "zadd",
      key: key(args),
      entries: [[text(args[3] as Buffer), increment]],
      increment: true,
    },
    (result) => scoreReply(result.kind === "score" ? result.score : null),
  );
}

function zrem(args: readonly Buffer[], context: CommandContext): HandlerReply {
  return writeReply(
    context,
    {
      kind: "zrem",
      key: key(args),
      members: members(args),
    },
    countReply,
  );
}

/** ZREMRANGEBYSCORE key min max (zremrangeGenericCommand): the range first, then the key. */
function zremRangeByScore(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const bounds = scoreRange(args[2] as Buffer, args[3] as Buffer);
  if (!bounds.ok) return bounds.reply;
  const command = { kind: "zremRange" as const, key: key(args), by: "score" as const };
  return writeReply(context, { ...command, ...bounds.value }, countReply);
}

/** ZREMRANGEBYRANK key start stop: ranks from the lowest score, negative from the highest. */
function zremRangeByRank(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const start = indexArgument(args[2]);
  const stop = indexArgument(args[3]);
  if (start === undefined || stop === undefined) return notInteger();
  const command = { kind: "zremRange" as const, key: key(args), by: "rank" as const, start, stop };
  return writeReply(context, command, countReply);
}

/** ZREMRANGEBYLEX key min max (zremrangeGenericCommand): the range first, then the key. */
function zremRangeByLex(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const bounds = lexRange(args[2] as Buffer, args[3] as Buffer);
  if (!bounds.ok) return bounds.reply;
  const command = { kind: "zremRange" as const, key: key(args), by: "lex" as const };
  return writeReply(context, { ...command, ...bounds.value }, countReply);
}

function zscore(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const member = text(args[2] as Buffer);
  return readReply(context, { kind: "zscore", key: key(args), member }, (result) =>
    scoreReply(result.score),
  );
}

function zmscore(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(
    context,
    {
      kind: "zmscore",
      key: key(args),
      members: members(args),
    },
    (result) => array(result.scores.map(scoreReply)),
  );
}

function zcard(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(context, { kind: "zcard", key: key(args) }, (result) => integer(result.count));
}

function zcount(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const bounds = scoreRange(args[2] as Buffer, args[3] as Buffer);
  if (!bounds.ok) return bounds.reply;
  return readReply(context, { kind: "zcount", key: key(args), ...bounds.value }, (result) =>
    integer(result.count),
  );
}

/**
 * ZLEXCOUNT key min max (zlexcountCommand): the members of a lex range, counted; the range is
 * read before the key, as Redis does.
 */
function zlexCount(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const bounds = lexRange(args[2] as Buffer, args[3] as Buffer);
  if (!bounds.ok) return bounds.reply;
  const query = {
    kind: "zrange" as const,
    key: key(args),
    range: { by: "lex" as const, ...bounds.value },
  };
  return readReply(context, query, (result) => integer(result.entries.length));
}

/** ZRANK / ZREVRANK key member [WITHSCORE] (zrankGenericCommand). */
function zrank(name: string, reverse: boolean) {
  return async (args: readonly Buffer[], context: CommandContext): Promise<Reply> => {
    if (args.length > 4) return arityError(name);
    const withScore = args.length === 4;
    if (withScore && upper(args[3] as Buffer) !== "WITHSCORE") return syntaxError();
    const member = text(args[2] as Buffer);
    const read = await redisRead(context, { kind: "zrank", key: key(args), member, reverse });
    if (read.kind === "reply") return read.reply;
    const { rank, score } = read.result;
    if (rank === null) return withScore ? array(null) : nullReply;
    return withScore ? array([integer(rank), scoreReply(score)]) : integer(rank);
  };
}

/** ZPOPMIN / ZPOPMAX key [count] (zpopMinMaxCommand). */
function zpop(side: "min" | "max") {
  return (args: readonly Buffer[], context: CommandContext): HandlerReply => {
    if (args.length > 3) return syntaxError();
    const parsed = popCount(args, 2);
    if ("reply" in parsed) return parsed.reply;
    const { count } = parsed;
    const command = {
      kind: "zpop",
      key: key(args),
      side,
      ...(count === undefined ? {} : { count }),
    } as const;
    return writeReply(context, command, count === undefined ? zpopOne : zpopCounted);
  };
}

/** ZRANGE and its older forms, which fix the range kind or the direction (zrangeGenericCommand). */
function zrange(form: RangeForm) {
  return async (args: readonly Buffer[], context: CommandContext): Promise<Reply> => {
    const parsed = parseZrange(args, form);
    if (!parsed.ok) return parsed.reply;
    const { range, reverse, withScores } = parsed.value;
    const read = await redisRead(context, { kind: "zrange", key: key(args), range, reverse });
    if (read.kind === "reply") return read.reply;
    const { entries } = read.result;
    if (withScores) return entriesReply(entries, context.session.protocol === 3);
    return array(entries.map(([member]) => bulk(member)));
  };
}

const one = [1, 1, 1] as const;

export const sortedSetCommands: CommandSpec[] = [
  { name: "zadd", arity: -4, access: "write", keys: one, handler: zadd },
  { name: "zincrby", arity: 4, access: "write", keys: one, handler: zincrBy },
  { name: "zrem", arity: -3, access: "write", keys: one, handler: zrem },
  { name: "zscore", arity: 3, access: "read", keys: one, handler: zscore },
  { name: "zmscore", arity: -3, access: "read", keys: one, handler: zmscore },
  { name: "zcard", arity: 2, access: "read", keys: one, handler: zcard },
  { name: "zcount", arity: 4, access: "read", keys: one, handler: zcount },
  { name: "zlexcount", arity: 4, access: "read", keys: one, handler: zlexCount },
  {
    name: "zremrangebyscore",
    arity: 4,
    access: "write",
    keys: one,
    handler: zremRangeByScore,
  },
  { name: "zremrangebyrank", arity: 4, access: "write", keys: one, handler: zremRangeByRank },
  { name: "zremrangebylex", arity: 4, access: "write", keys: one, handler: zremRangeByLex },
  { name: "zrank", arity: -3, access: "read", keys: one, handler: zrank("zrank", false) },
  { name: "zrevrank", arity: -3, access: "read", keys: one, handler: zrank("zrevrank", true) },
  { name: "zpopmin", arity: -2, access: "write", keys: one, handler: zpop("min") },
  { name: "zpopmax", arity: -2, access: "write", keys: one, handler: zpop("max") },
  { name: "zrange", arity: -4, access: "read", keys: one, handler: zrange({}) },
  {
    name: "zrevrange",
    arity: -4,
    access: "read",
    keys: one,
    handler: zrange({ by: "rank", reverse: true }),
  },
  {
    name: "zrangebyscore",
    arity: -4,
    access: "read",
    keys: one,
    handler: zrange({ by: "score", reverse: false }),
  },
  {
    name: "zrevrangebyscore",
    arity: -4,
    access: "read",
    keys: one,
    handler: zrange({ by: "score", reverse: true }),
  },
  {
    name: "zrangebylex",
    arity: -4,
    access: "read",
    keys: one,
    handler: zrange({ by: "lex", reverse: false }),
  },
  {
    name: "zrevrangebylex",
    arity: -4,
    access: "read",
    keys: one,
    handler: zrange({ by: "lex", reverse: true }),
  },
];
