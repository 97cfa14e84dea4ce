/**
 * The arguments of the sorted-set commands, read as redis/src/t_zset.c reads them, with its
 * error texts: ZADD's options (zaddGenericCommand), score bounds (zslParseRange), lex bounds
 * (zslParseLexRangeItem) and ZRANGE's options (zrangeGenericCommand). Each parser answers the
 * parsed value or the Reply Redis would give.
 */
import {
  type KvCommand,
  type LexBound,
  parseRangeFloat,
  parseRedisFloat,
  type ScoreBound,
  type ScoredMember,
  type ZrangeSpec,
} from "../../../api/index.js";
import { unreachable } from "../../../util/assert.js";
import type { Reply } from "../reply.js";
import { error } from "../reply.js";
import { integerArgument, notInteger, syntaxError, text, upper } from "./arguments.js";

export type Parsed<T> = { ok: true; value: T } | { ok: false; reply: Reply };

const parsed = <T>(value: T): Parsed<T> => ({ ok: true, value });
const refused = (reply: Reply): Parsed<never> => ({ ok: false, reply });

export const notFloat = (): Reply => error("ERR value is not a valid float");

/**
 * A score as getDoubleFromObject reads it (never NaN), or undefined; "-0" is read as 0, which
 * survives MessagePack on its way to the followers (zset_ops.ts in the core).
 */
export function scoreArgument(argument: Buffer): number | undefined {
  const score = parseRedisFloat(text(argument));
  return score === undefined ? undefined : score + 0;
}

type Zadd = Extract<KvCommand, { kind: "zadd" }>;

/** ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]. */
export function parseZadd(args: readonly Buffer[]): Parsed<Zadd> {
  const command: { -readonly [Field in keyof Zadd]: Zadd[Field] } = {
    kind: "zadd",
    key: text(args[1] as Buffer),
    entries: [],
  };
  const flags = new Set<string>();
  let at = 2;
  for (; at < args.length; at++) {
    const word = upper(args[at] as Buffer);
    if (!["NX", "XX", "CH", "INCR", "GT", "LT"].includes(word)) break;
    flags.add(word);
  }
  const pairs = args.length - at;
  if (pairs === 0 || pairs % 2 !== 0) return refused(syntaxError());
  if (flags.has("NX") && flags.has("XX"))
    return refused(error("ERR XX and NX options at the same time are not compatible"));
  const [nx, gt, lt] = [flags.has("NX"), flags.has("GT"), flags.has("LT")];
  if ((gt && nx) || (lt && nx) || (gt && lt))
    return refused(error("ERR GT, LT, and/or NX options at the same time are not compatible"));
  if (flags.has("INCR") && pairs > 2)
    return refused(error("ERR INCR option supports a single increment-element pair"));
  // Every score is read before anything is written: the command is all or nothing.
  const entries: ScoredMember[] = [];
  for (; at < args.length; at += 2) {
    const score = scoreArgument(args[at] as Buffer);
    if (score === undefined) return refused(notFloat());
    entries.push([text(args[at + 1] as Buffer), score]);
  }
  command.entries = entries;
  if (flags.has("NX")) command.condition = "nx";
  if (flags.has("XX")) command.condition = "xx";
  if (flags.has("GT")) command.compare = "gt";
  if (flags.has("LT")) command.compare = "lt";
  if (flags.has("CH")) command.changed = true;
  if (flags.has("INCR")) command.increment = true;
  return parsed(command);
}

/** A ZCOUNT / BYSCORE bound (zslParseRange): "(" before the score makes it exclusive. */
function scoreBound(argument: Buffer): ScoreBound | undefined {
  const exclusive = argument[0] === 0x28; // '('
  const score = parseRangeFloat(text(exclusive ? argument.subarray(1) : argument));
  return score === undefined ? undefined : { score: score + 0, exclusive };
}

/** A BYLEX bound: "-", "+", "(member" or "[member". */
function lexBound(argument: Buffer): LexBound | undefined {
  const value = text(argument);
  if (value === "-" || value === "+") return value;
  if (value.startsWith("(") || value.startsWith("["))
    return { member: value.slice(1), exclusive: value.startsWith("(") };
  return undefined;
}

/** A score range (zslParseRange), or Redis's refusal of it. */
export function scoreRange(
  low: Buffer,
  high: Buffer,
): Parsed<{ min: ScoreBound; max: ScoreBound }> {
  const min = scoreBound(low);
  const max = scoreBound(high);
  if (min === undefined || max === undefined)
    return refused(error("ERR min or max is not a float"));
  return parsed({ min, max });
}

/** A lex range (zslParseLexRange), or Redis's refusal of it. */
export function lexRange(low: Buffer, high: Buffer): Parsed<{ min: LexBound; max: LexBound }> {
  const min = lexBound(low);
  const max = lexBound(high);
  if (min === undefined || max === undefined) {
    return refused(error("ERR min or max not valid string range item"));
  }
  return parsed({ min, max });
}

/** What ZRANGE and its older forms (ZREVRANGE, ZRANGEBYSCORE, ...) fix before the options. */
export interface RangeForm {
  by?: ZrangeSpec["by"];
  reverse?: boolean;
}

export interface ParsedRange {
  range: ZrangeSpec;
  reverse: boolean;
  withScores: boolean;
}

/** ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]. */
export function parseZrange(args: readonly Buffer[], form: RangeForm): Parsed<ParsedRange> {
  let by = form.by;
  let reverse = form.reverse;
  let withScores = false;
  let limit: { offset: number; count: number } | undefined;
  for (let at = 4; at < args.length; at++) {
    const word = upper(args[at] as Buffer);
    if (word === "WITHSCORES") withScores = true;
    else if (word === "LIMIT" && args.length - at - 1 >= 2) {
      const offset = integerArgument(args[at + 1]);
      const count = integerArgument(args[at + 2]);
      if (offset === undefined || count === undefined) return refused(notInteger());
      limit = { offset, count };
      at += 2;
    } else if (reverse === undefined && word === "REV") reverse = true;
    else if (by === undefined && word === "BYSCORE") by = "score";
    else if (by === undefined && word === "BYLEX") by = "lex";
    else return refused(syntaxError());
  }
  by ??= "rank";
  reverse ??= false;
  if (limit !== undefined && by === "rank") {
    return refused(
      error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
      ),
    );
  }
  if (withScores && by === "lex")
    return refused(error("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
  // With REV, BYSCORE and BYLEX take the bounds as max then min.
  const [low, high] = reverse && by !== "rank" ? [args[3], args[2]] : [args[2], args[3]];
  const window = limit === undefined ? {} : { offset: limit.offset, limit: limit.count };
  switch (by) {
    case "rank": {
      const start = integerArgument(low);
      const stop = integerArgument(high);
      if (start === undefined || stop === undefined) return refused(notInteger());
      return parsed({ range: { by, start, stop }, reverse, withScores });
    }
    case "score": {
      const bounds = scoreRange(low as Buffer, high as Buffer);
      if (!bounds.ok) return bounds;
      return parsed({ range: { by, ...bounds.value, ...window }, reverse, withScores });
    }
    case "lex": {
      const bounds = lexRange(low as Buffer, high as Buffer);
      if (!bounds.ok) return bounds;
      return parsed({ range: { by, ...bounds.value, ...window }, reverse, withScores });
    }
    default:
      return unreachable(by);
  }
}
