/**
 * Expiry commands (redis/src/expire.c): EXPIRE PEXPIRE EXPIREAT PEXPIREAT with NX|XX|GT|LT, TTL
 * PTTL EXPIRETIME PEXPIRETIME, PERSIST. Relative times become absolute on the node that takes
 * the write, before it proposes; a time at or before now deletes the key, as in Redis.
 */
import type { ExpireCondition } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { error, integer } from "../reply.js";
import { text, upper } from "./arguments.js";
import type { CommandContext, CommandSpec, HandlerReply } from "./context.js";
import { expireCommandTime } from "./expiry_arguments.js";
import { redisRead, writeReply } from "./redis_access.js";
import { countReply } from "./values.js";

/** Redis parses the flags before the time (expireGenericCommand, parseExtendedExpireArguments). */
function parseConditions(args: readonly Buffer[]): ExpireCondition[] | Reply {
  const conditions = new Set<ExpireCondition>();
  for (const argument of args.slice(3)) {
    const word = upper(argument);
    if (word === "NX" || word === "XX" || word === "GT" || word === "LT") {
      conditions.add(word.toLowerCase() as ExpireCondition);
    } else return error(`ERR Unsupported option ${text(argument)}`);
  }
  if (conditions.has("nx") && conditions.size > 1) {
    return error("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if (conditions.has("gt") && conditions.has("lt")) {
    return error("ERR GT and LT options at the same time are not compatible");
  }
  return [...conditions];
}

function expire(name: string, unitMs: 1 | 1000, absolute: boolean) {
  return (args: readonly Buffer[], context: CommandContext): HandlerReply => {
    const conditions = parseConditions(args);
    if (!Array.isArray(conditions)) return conditions;
    const base = absolute ? 0 : context.nowMs();
    const expireAtMs = expireCommandTime(args[2] as Buffer, unitMs, base, name);
    if (typeof expireAtMs !== "number") return expireAtMs;
    const key = text(args[1] as Buffer);
    const command = {
      kind: "expire",
      key,
      expireAtMs,
      ...(conditions.length === 0 ? {} : { conditions }),
    } as const;
    return writeReply(context, command, countReply);
  };
}

type TtlShape = "ttl" | "pttl" | "expiretime" | "pexpiretime";

function ttl(shape: TtlShape) {
  return async (args: readonly Buffer[], context: CommandContext): Promise<Reply> => {
    const read = await redisRead(context, { kind: "ttl", key: text(args[1] as Buffer) });
    if (read.kind === "reply") return read.reply;
    const { remainingMs, expireAtMs } = read.result;
    if (remainingMs < 0) return integer(remainingMs);
    switch (shape) {
      case "ttl":
        return integer(Math.floor((remainingMs + 500) / 1000));
      case "pttl":
        return integer(remainingMs);
      case "expiretime":
        // Rounded, as TTL is (ttlGenericCommand: (ttl+500)/1000).
        return integer(Math.floor((expireAtMs + 500) / 1000));
      case "pexpiretime":
        return integer(expireAtMs);
    }
  };
}

function persist(args: readonly Buffer[], context: CommandContext): HandlerReply {
  return writeReply(context, { kind: "persist", key: text(args[1] as Buffer) }, countReply);
}

const one = [1, 1, 1] as const;

export const expiryCommands: CommandSpec[] = [
  { name: "expire", arity: -3, access: "write", keys: one, handler: expire("expire", 1000, false) },
  { name: "pexpire", arity: -3, access: "write", keys: one, handler: expire("pexpire", 1, false) },
  {
    name: "expireat",
    arity: -3,
    access: "write",
    keys: one,
    handler: expire("expireat", 1000, true),
  },
  {
    name: "pexpireat",
    arity: -3,
    access: "write",
    keys: one,
    handler: expire("pexpireat", 1, true),
  },
  { name: "ttl", arity: 2, access: "read", keys: one, handler: ttl("ttl") },
  { name: "pttl", arity: 2, access: "read", keys: one, handler: ttl("pttl") },
  { name: "expiretime", arity: 2, access: "read", keys: one, handler: ttl("expiretime") },
  { name: "pexpiretime", arity: 2, access: "read", keys: one, handler: ttl("pexpiretime") },
  { name: "persist", arity: 2, access: "write", keys: one, handler: persist },
];
