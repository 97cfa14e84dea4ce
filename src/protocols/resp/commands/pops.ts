/**
 * Pops from the first of several keys and moves between lists, and their blocking forms
 * (redis/src/t_list.c, t_zset.c, blocked.c): LMPOP ZMPOP LMOVE RPOPLPUSH, and BLPOP BRPOP BLMPOP
 * BZPOPMIN BZPOPMAX BZMPOP BLMOVE BRPOPLPUSH. Each try is one write record (`lmpop`, `zmpop`,
 * `lmove`); a blocking command that finds nothing waits on its keys (blocked_clients.ts) until a
 * record writes one of them, or answers a null array when its timeout passes. Inside EXEC a
 * blocking command tries once, as Redis's do.
 */
import type { Key, KvCommand, KvResult, ListSide } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { array, bulk, double, error, nullReply } from "../reply.js";
import { integerArgument, syntaxError, text, upper } from "./arguments.js";
import type { TryOutcome } from "./blocked_clients.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { redisWrite } from "./redis_access.js";
import { replicationRole } from "./replication_view.js";
import type { Parsed } from "./zset_arguments.js";

const refuse = <T>(reply: Reply): Parsed<T> => ({ ok: false, reply });

/** The longest timeout, in milliseconds (Redis: LLONG_MAX). */
const timeoutMsMax = 2 ** 63;
/** What strtold reads here: decimal, hexadecimal integers, and infinities. */
const float = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^0x[0-9a-f]+$|^[+-]?inf(inity)?$/i;

/** A timeout in seconds, possibly fractional (getTimeoutFromObjectOrReply); 0 waits for ever. */
function timeoutArgument(argument: Buffer): Parsed<number> {
  const written = text(argument);
  if (!float.test(written)) return refuse(error("ERR timeout is not a float or out of range"));
  const infinite = /inf/i.test(written);
  const seconds = infinite ? (written.startsWith("-") ? -1 : 1) * Infinity : Number(written);
  const ms = Math.ceil(seconds * 1000);
  if (ms > timeoutMsMax) return refuse(error("ERR timeout is out of range"));
  if (ms < 0) return refuse(error("ERR timeout is negative"));
  return { ok: true, value: ms };
}

/** How pops of one type are asked for and answered: lists (LEFT/RIGHT) or sorted sets (MIN/MAX). */
interface PopFamily<Side> {
  side(argument: Buffer | undefined): Side | undefined;
  command(keys: Key[], side: Side, count: number): KvCommand;
  /** LMPOP's `[key, [elements]]`, ZMPOP's `[key, [[member, score], ...]]`. */
  multiReply(result: KvResult): Reply | undefined;
  /** BLPOP's `[key, element]`, BZPOPMIN's `[key, member, score]`. */
  singleReply(result: KvResult): Reply | undefined;
}

const lists: PopFamily<ListSide> = {
  side: (argument) => {
    const word = argument === undefined ? "" : upper(argument);
    return word === "LEFT" ? "left" : word === "RIGHT" ? "right" : undefined;
  },
  command: (keys, side, count) => ({ kind: "lmpop", keys, side, count }),
  multiReply: (result) =>
    result.kind === "poppedFrom"
      ? array([bulk(result.key), array(result.elements.map((each) => bulk(each)))])
      : undefined,
  singleReply: (result) =>
    result.kind === "poppedFrom"
      ? array([bulk(result.key), bulk(result.elements[0] as string)])
      : undefined,
};

const sortedSets: PopFamily<"min" | "max"> = {
  side: (argument) => {
    const word = argument === undefined ? "" : upper(argument);
    return word === "MIN" ? "min" : word === "MAX" ? "max" : undefined;
  },
  command: (keys, side, count) => ({ kind: "zmpop", keys, side, count }),
  multiReply: (result) => {
    if (result.kind !== "zpoppedFrom") return undefined;
    const entries = result.entries.map(([member, score]) => array([bulk(member), double(score)]));
    return array([bulk(result.key), array(entries)]);
  },
  singleReply: (result) => {
    if (result.kind !== "zpoppedFrom") return undefined;
    const [member, score] = result.entries[0] as readonly [string, number];
    return array([bulk(result.key), bulk(member), double(score)]);
  },
};

/**
 * `numkeys key [key ...] side [COUNT count]` from `at`, in lmpopGenericCommand's order of checks:
 * the keys, the side, then COUNT (at most once).
 */
function parseMultiPop<Side>(
  args: readonly Buffer[],
  at: number,
  family: PopFamily<Side>,
): Parsed<{ keys: Key[]; command: KvCommand }> {
  const numKeys = integerArgument(args[at]);
  if (numKeys === undefined || numKeys < 1) {
    return refuse(error("ERR numkeys should be greater than 0"));
  }
  if (numKeys > args.length - at - 1) return refuse(syntaxError());
  const keys = args.slice(at + 1, at + 1 + numKeys).map(text);
  const sideAt = at + 1 + numKeys;
  const side = family.side(args[sideAt]);
  if (side === undefined) return refuse(syntaxError());
  let count: number | undefined;
  for (let index = sideAt + 1; index < args.length; index += 2) {
    const repeated = count !== undefined || index + 1 >= args.length;
    if (upper(args[index] as Buffer) !== "COUNT" || repeated) return refuse(syntaxError());
    const value = integerArgument(args[index + 1]);
    if (value === undefined || value < 1) {
      return refuse(error("ERR count should be greater than 0"));
    }
    count = Math.min(value, Number.MAX_SAFE_INTEGER);
  }
  return { ok: true, value: { keys, command: family.command(keys, side, count ?? 1) } };
}

/** LMOVE's answer: the element moved, or undefined when the source was absent. */
function moveReply(result: KvResult): Reply | undefined {
  if (result.kind !== "popped" || result.elements === null) return undefined;
  return bulk(result.elements[0] as string);
}

/** Writes `command` once: its reply, or `empty` when it popped nothing. */
async function tryOnce(
  context: CommandContext,
  command: KvCommand,
  render: (result: KvResult) => Reply | undefined,
): Promise<TryOutcome<Reply>> {
  const written = await redisWrite(context, command);
  if (written.kind === "reply") return { kind: "done", reply: written.reply };
  const reply = render(written.result);
  return reply === undefined ? { kind: "empty" } : { kind: "done", reply };
}

/** Writes `command` once; `nothing` when it popped nothing. */
function popOnce(
  context: CommandContext,
  command: KvCommand,
  render: (result: KvResult) => Reply | undefined,
  nothing: Reply,
): Promise<Reply> {
  const attempt = tryOnce(context, command, render);
  return attempt.then((outcome) => (outcome.kind === "done" ? outcome.reply : nothing));
}

/** Redis's timeout reply for every blocking pop and move (addReplyNullArray). */
const timedOut = array(null);
const unblockedByError = error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
const unblockedByRoleChange = error(
  "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)",
);

/** Tries `command` until it pops something or `timeoutMs` passes (once inside EXEC). */
function blockingTry(
  context: CommandContext,
  keys: readonly Key[],
  timeoutMs: number,
  command: KvCommand,
  render: (result: KvResult) => Reply | undefined,
): Promise<Reply> {
  if (context.denyBlocking === true) return popOnce(context, command, render, timedOut);
  const request = {
    clientId: context.session.clientId,
    keys,
    timeoutMs,
    attempt: () => tryOnce(context, command, render),
    timedOut,
    unblockedByError,
    served: () => replicationRole(context) === "master",
    unblockedByRoleChange,
  };
  return context.state.blocked.block(request, timedOut);
}

/** LMPOP / ZMPOP numkeys key [key ...] side [COUNT count]. */
function multiPop<Side>(family: PopFamily<Side>) {
  return (args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> => {
    const parsed = parseMultiPop(args, 1, family);
    if (!parsed.ok) return parsed.reply;
    return popOnce(context, parsed.value.command, family.multiReply, array(null));
  };
}

/** BLMPOP / BZMPOP timeout numkeys key [key ...] side [COUNT count]. */
function blockingMultiPop<Side>(family: PopFamily<Side>) {
  return (args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> => {
    const parsed = parseMultiPop(args, 2, family);
    if (!parsed.ok) return parsed.reply;
    const timeout = timeoutArgument(args[1] as Buffer);
    if (!timeout.ok) return timeout.reply;
    const { keys, command } = parsed.value;
    return blockingTry(context, keys, timeout.value, command, family.multiReply);
  };
}

/** BLPOP / BRPOP / BZPOPMIN / BZPOPMAX key [key ...] timeout. */
function blockingPop<Side>(family: PopFamily<Side>, side: Side) {
  return (args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> => {
    const timeout = timeoutArgument(args[args.length - 1] as Buffer);
    if (!timeout.ok) return timeout.reply;
    const keys = args.slice(1, -1).map(text);
    const command = family.command(keys, side, 1);
    return blockingTry(context, keys, timeout.value, command, family.singleReply);
  };
}

/** `source destination` and, from `sidesAt`, `wherefrom whereto` (or RPOPLPUSH's fixed sides). */
function parseMove(args: readonly Buffer[], sidesAt: number | undefined): Parsed<KvCommand> {
  const from = sidesAt === undefined ? "right" : lists.side(args[sidesAt]);
  const to = sidesAt === undefined ? "left" : lists.side(args[sidesAt + 1]);
  if (from === undefined || to === undefined) return refuse(syntaxError());
  const source = text(args[1] as Buffer);
  const destination = text(args[2] as Buffer);
  return { ok: true, value: { kind: "lmove", source, destination, from, to } };
}

/** LMOVE source destination wherefrom whereto; RPOPLPUSH source destination. */
function move(sidesAt: number | undefined) {
  return (args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> => {
    const parsed = parseMove(args, sidesAt);
    if (!parsed.ok) return parsed.reply;
    return popOnce(context, parsed.value, moveReply, nullReply);
  };
}

/** BLMOVE source destination wherefrom whereto timeout; BRPOPLPUSH source destination timeout. */
function blockingMove(sidesAt: number | undefined) {
  return (args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> => {
    const parsed = parseMove(args, sidesAt);
    if (!parsed.ok) return parsed.reply;
    const timeout = timeoutArgument(args[args.length - 1] as Buffer);
    if (!timeout.ok) return timeout.reply;
    const source = text(args[1] as Buffer);
    return blockingTry(context, [source], timeout.value, parsed.value, moveReply);
  };
}

const write = "write" as const;

export const popCommands: CommandSpec[] = [
  { name: "lmpop", arity: -4, access: write, handler: multiPop(lists) },
  { name: "zmpop", arity: -4, access: write, handler: multiPop(sortedSets) },
  { name: "lmove", arity: 5, access: write, keys: [1, 2, 1], handler: move(3) },
  { name: "rpoplpush", arity: 3, access: write, keys: [1, 2, 1], handler: move(undefined) },
  {
    name: "blpop",
    arity: -3,
    access: write,
    blocks: true,
    keys: [1, -2, 1],
    handler: blockingPop(lists, "left"),
  },
  {
    name: "brpop",
    arity: -3,
    access: write,
    blocks: true,
    keys: [1, -2, 1],
    handler: blockingPop(lists, "right"),
  },
  {
    name: "bzpopmin",
    arity: -3,
    access: write,
    blocks: true,
    keys: [1, -2, 1],
    handler: blockingPop(sortedSets, "min"),
  },
  {
    name: "bzpopmax",
    arity: -3,
    access: write,
    blocks: true,
    keys: [1, -2, 1],
    handler: blockingPop(sortedSets, "max"),
  },
  { name: "blmpop", arity: -5, access: write, blocks: true, handler: blockingMultiPop(lists) },
  { name: "bzmpop", arity: -5, access: write, blocks: true, handler: blockingMultiPop(sortedSets) },
  {
    name: "blmove",
    arity: 6,
    access: write,
    blocks: true,
    keys: [1, 2, 1],
    handler: blockingMove(3),
  },
  {
    name: "brpoplpush",
    arity: 4,
    access: write,
    blocks: true,
    keys: [1, 2, 1],
    handler: blockingMove(undefined),
  },
];
