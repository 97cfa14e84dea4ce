/** Argument helpers shared by the command families: Redis's texts for the common mistakes. */
import type { Offset } from "../../../api/index.js";
import { offset } from "../../../api/index.js";
import { latin1 } from "../../../util/buffer_calls.js";
import { parseRedisInteger } from "../parse_integer.js";
import type { Reply } from "../reply.js";
import { array, error, simple } from "../reply.js";

/** Keys and string values are latin1 strings in the store (one char per byte, kv_ops.ts). */
export const text = (argument: Buffer): string => latin1(argument);

/** A stored string back to its bytes. */
export const bytes = (value: string): Buffer => Buffer.from(value, "latin1");

export const upper = (argument: Buffer): string => latin1(argument).toUpperCase();

export const syntaxError = (): Reply => error("ERR syntax error");
export const notInteger = (): Reply => error("ERR value is not an integer or out of range");
export const arityError = (name: string): Reply =>
  error(`ERR wrong number of arguments for '${name}' command`);

/**
 * Whether `count` arguments (the command's name included) meet Redis's `arity`: exactly that many
 * when it is positive, at least its magnitude when negative (server.c processCommand).
 */
export const arityAccepts = (arity: number, count: number): boolean =>
  arity >= 0 ? count === arity : count >= -arity;

/**
 * A container command's HELP, in the form of Redis's addReplyHelp (networking.c): the usage line,
 * then `lines` (each subcommand, then what it does indented by four spaces), then HELP itself,
 * as status replies. An argument after HELP is an arity error, as in Redis.
 */
export function helpReply(args: readonly Buffer[], lines: readonly string[]): Reply {
  const name = upper(args[0] as Buffer);
  if (args.length !== 2) return arityError(`${name.toLowerCase()}|help`);
  const usage = `${name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`;
  return array([usage, ...lines, "HELP", "    Print this help."].map(simple));
}

/** A Redis integer argument (string2ll), or undefined. */
export function integerArgument(argument: Buffer | undefined): number | undefined {
  if (argument === undefined) return undefined;
  return parseRedisInteger(argument, 0, argument.length);
}

/**
 * A list or rank index (getLongFromObject): any 64-bit integer, held within ±(2^53 - 1), past
 * which no list or sorted set reaches, so the range it names is the same; undefined when none.
 */
export function indexArgument(argument: Buffer | undefined): number | undefined {
  const value = integerArgument(argument);
  if (value === undefined) return undefined;
  return Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, value));
}

/** A non-negative safe integer argument (offsets, counts, milliseconds), or undefined. */
export function countArgument(argument: Buffer | undefined): number | undefined {
  const value = integerArgument(argument);
  return value !== undefined && value >= 0 && Number.isSafeInteger(value) ? value : undefined;
}

export function offsetArgument(argument: Buffer | undefined): Offset | undefined {
  const value = countArgument(argument);
  return value === undefined ? undefined : offset(value);
}

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/** An exact signed 64-bit integer argument (INCRBY amounts), or undefined. */
export function bigIntegerArgument(argument: Buffer | undefined): bigint | undefined {
  if (argument === undefined) return undefined;
  const source = text(argument);
  if (!/^-?(0|[1-9][0-9]*)$/.test(source) || source === "-0" || source.length > 20)
    return undefined;
  const value = BigInt(source);
  return value < int64Min || value > int64Max ? undefined : value;
}

/**
 * The optional count of LPOP, RPOP, SPOP, ZPOPMIN and ZPOPMAX at `args[index]`
 * (getPositiveLongFromObjectOrReply, which gives its range text for a non-integer too). A count
 * beyond a safe integer becomes the largest one: no list or set holds more, so it means "all".
 */
export function popCount(
  args: readonly Buffer[],
  index: number,
): { count: number | undefined } | { reply: Reply } {
  if (args.length <= index) return { count: undefined };
  const count = integerArgument(args[index]);
  if (count === undefined || count < 0)
    return { reply: error("ERR value is out of range, must be positive") };
  return { count: Math.min(count, Number.MAX_SAFE_INTEGER) };
}
