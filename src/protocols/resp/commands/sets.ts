/**
 * Set commands (redis/src/t_set.c): SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP
 * SRANDMEMBER. SMEMBERS and SPOP with a count answer a set (`~` in RESP3), SRANDMEMBER with a
 * count an array, as Redis 7 does. SPOP and SRANDMEMBER carry a seed this face draws, so that
 * every replica picks the same members (set_ops.ts in the core).
 */
import { randomInt } from "node:crypto";
import type { KvResult } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { array, bulk, error, integer, nullReply, set } from "../reply.js";
import { integerArgument, notInteger, popCount, syntaxError, text } from "./arguments.js";
import type { CommandContext, CommandSpec, HandlerReply } from "./context.js";
import { readReply, redisRead, writeReply } from "./redis_access.js";
import { countReply, stringsReply } from "./values.js";

const key = (args: readonly Buffer[]): string => text(args[1] as Buffer);
const members = (args: readonly Buffer[]): string[] => args.slice(2).map(text);

/**
 * SRANDMEMBER with a negative count repeats members, so its answer is not bounded by the set:
 * onelog refuses more draws than this, where Redis relies on the client's output buffer limit.
 */
export const randomDrawsMax = 1_000_000;

/** A seed for the core's seeded draw (a 32-bit unsigned integer, core/random.ts). */
const drawSeed = (): number => randomInt(0, 2 ** 32);

/** Members as a RESP3 set (an array in RESP2), as addReplySetLen answers. */
const membersReply = (values: readonly (string | null)[]): Reply =>
  set(values.map((value) => bulk(value)));

function change(kind: "sadd" | "srem") {
  return (args: readonly Buffer[], context: CommandContext): HandlerReply =>
    writeReply(context, { kind, key: key(args), members: members(args) }, countReply);
}

function smembers(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(context, { kind: "smembers", key: key(args) }, (result) =>
    membersReply(result.values),
  );
}

function sismember(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const member = text(args[2] as Buffer);
  return readReply(context, { kind: "sismember", key: key(args), member }, (result) =>
    integer(result.count),
  );
}

function smismember(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(
    context,
    {
      kind: "smismember",
      key: key(args),
      members: members(args),
    },
    (result) => array(result.counts.map(integer)),
  );
}

function scard(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(context, { kind: "scard", key: key(args) }, (result) => integer(result.count));
}

/** SPOP key [count] (spopCommand, spopWithCountCommand). */
function spop(args: readonly Buffer[], context: CommandContext): HandlerReply {
  if (args.length > 3) return syntaxError();
  const parsed = popCount(args, 2);
  if ("reply" in parsed) return parsed.reply;
  const { count } = parsed;
  const command = {
    kind: "spop",
    key: key(args),
    ...(count === undefined ? {} : { count }),
    seed: drawSeed(),
  } as const;
  return writeReply(context, command, count === undefined ? spopOne : spopCounted);
}

const popped = (result: KvResult): readonly string[] =>
  (result.kind === "popped" ? result.elements : null) ?? [];
const spopCounted = (result: KvResult): Reply => membersReply(popped(result));

function spopOne(result: KvResult): Reply {
  const [first] = popped(result);
  return first === undefined ? nullReply : bulk(first);
}

/** SRANDMEMBER key [count] (srandmemberCommand, srandmemberWithCountCommand). */
async function srandmember(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  if (args.length > 3) return syntaxError();
  let count: number | undefined;
  if (args.length === 3) {
    count = integerArgument(args[2]);
    if (count === undefined) return notInteger();
    if (count < -randomDrawsMax) {
      return error(
        `ERR value is out of range, value must between -${randomDrawsMax} and 9223372036854775807`,
      );
    }
  }
  const read = await redisRead(context, {
    kind: "srandmember",
    key: key(args),
    ...(count === undefined ? {} : { count: Math.min(count, Number.MAX_SAFE_INTEGER) }),
    seed: drawSeed(),
  });
  if (read.kind === "reply") return read.reply;
  if (count !== undefined) return stringsReply(read.result.values);
  const [first] = read.result.values;
  return first === undefined || first === null ? nullReply : bulk(first);
}

const one = [1, 1, 1] as const;

export const setCommands: CommandSpec[] = [
  { name: "sadd", arity: -3, access: "write", keys: one, handler: change("sadd") },
  { name: "srem", arity: -3, access: "write", keys: one, handler: change("srem") },
  { name: "smembers", arity: 2, access: "read", keys: one, handler: smembers },
  { name: "sismember", arity: 3, access: "read", keys: one, handler: sismember },
  { name: "smismember", arity: -3, access: "read", keys: one, handler: smismember },
  { name: "scard", arity: 2, access: "read", keys: one, handler: scard },
  { name: "spop", arity: -2, access: "write", keys: one, handler: spop },
  { name: "srandmember", arity: -2, access: "read", keys: one, handler: srandmember },
];
