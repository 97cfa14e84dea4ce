/**
 * Hash commands enough for common use (redis/src/t_hash.c): HSET HMSET HSETNX HGET HMGET HGETALL
 * HDEL HEXISTS HSTRLEN HINCRBY HINCRBYFLOAT HLEN HKEYS HVALS. HGETALL answers a map in RESP3 and flat pairs in RESP2.
 */
import { type KvResult, readLongDouble } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { bulk, error, integer, map, nullReply } from "../reply.js";
import { arityError, bigIntegerArgument, notInteger, text } from "./arguments.js";
import type { CommandContext, CommandSpec, HandlerReply } from "./context.js";
import { readReply, redisRead, writeReply } from "./redis_access.js";
import { okReply, stringsReply } from "./values.js";

const key = (args: readonly Buffer[]): string => text(args[1] as Buffer);
const count = (result: KvResult): number => (result.kind === "count" ? result.count : 0);

function hset(name: "hset" | "hmset") {
  const render = name === "hmset" ? okReply : (result: KvResult) => integer(count(result));
  return (args: readonly Buffer[], context: CommandContext): HandlerReply => {
    if (args.length % 2 !== 0) return arityError(name);
    const pairs: Array<[string, string]> = [];
    for (let index = 2; index < args.length; index += 2) {
      pairs.push([text(args[index] as Buffer), text(args[index + 1] as Buffer)]);
    }
    return writeReply(context, { kind: "hset", key: key(args), pairs }, render);
  };
}

/** HSETNX key field value: 1 when the field was set, 0 when it existed (hsetnxCommand). */
function hsetnx(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const pairs: Array<[string, string]> = [[text(args[2] as Buffer), text(args[3] as Buffer)]];
  return writeReply(context, { kind: "hset", key: key(args), pairs, onlyNew: true }, (result) =>
    integer(count(result)),
  );
}

/** HGET, or HSTRLEN (`length`): the field's value, or its length in bytes (0 when absent). */
function hget(length: boolean) {
  return (args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> =>
    readReply(
      context,
      { kind: "hget", key: key(args), field: text(args[2] as Buffer) },
      (result) => {
        if (length) return integer(result.value?.length ?? 0);
        return result.value === null ? nullReply : bulk(result.value);
      },
    );
}

function hmget(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const fields = args.slice(2).map(text);
  return readReply(context, { kind: "hmget", key: key(args), fields }, (result) =>
    stringsReply(result.values),
  );
}

function hgetall(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(context, { kind: "hgetall", key: key(args) }, (result) =>
    map(result.pairs.map(([field, value]) => [bulk(field), bulk(value)])),
  );
}

function hdel(args: readonly Buffer[], context: CommandContext): HandlerReply {
  return writeReply(
    context,
    {
      kind: "hdel",
      key: key(args),
      fields: args.slice(2).map(text),
    },
    (result) => integer(count(result)),
  );
}

function hexists(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(
    context,
    {
      kind: "hexists",
      key: key(args),
      field: text(args[2] as Buffer),
    },
    (result) => integer(result.count),
  );
}

function hincrBy(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const by = bigIntegerArgument(args[3]);
  if (by === undefined) return notInteger();
  return writeReply(
    context,
    {
      kind: "hincrBy",
      key: key(args),
      field: text(args[2] as Buffer),
      by,
    },
    (result) => (result.kind === "integer" ? integer(result.value) : nullReply),
  );
}

/** HINCRBYFLOAT (hincrbyfloatCommand): the increment is checked before the key, as in Redis. */
function hincrByFloat(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const by = text(args[3] as Buffer);
  const read = readLongDouble(by);
  if (read === undefined) return error("ERR value is not a valid float");
  if (typeof read === "string") return error("ERR value is NaN or Infinity");
  const command = {
    kind: "hincrByFloat" as const,
    key: key(args),
    field: text(args[2] as Buffer),
    by,
  };
  return writeReply(context, command, (result) =>
    result.kind === "float" ? bulk(result.value) : nullReply,
  );
}

function hlen(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(context, { kind: "hlen", key: key(args) }, (result) => integer(result.count));
}

function listing(kind: "hkeys" | "hvals") {
  return async (args: readonly Buffer[], context: CommandContext): Promise<Reply> => {
    const read = await redisRead(context, { kind, key: key(args) });
    return read.kind === "reply" ? read.reply : stringsReply(read.result.values);
  };
}

const one = [1, 1, 1] as const;

export const hashCommands: CommandSpec[] = [
  { name: "hset", arity: -4, access: "write", keys: one, handler: hset("hset") },
  { name: "hmset", arity: -4, access: "write", keys: one, handler: hset("hmset") },
  { name: "hsetnx", arity: 4, access: "write", keys: one, handler: hsetnx },
  { name: "hget", arity: 3, access: "read", keys: one, handler: hget(false) },
  { name: "hstrlen", arity: 3, access: "read", keys: one, handler: hget(true) },
  { name: "hmget", arity: -3, access: "read", keys: one, handler: hmget },
  { name: "hgetall", arity: 2, access: "read", keys: one, handler: hgetall },
  { name: "hdel", arity: -3, access: "write", keys: one, handler: hdel },
  { name: "hexists", arity: 3, access: "read", keys: one, handler: hexists },
  { name: "hincrby", arity: 4, access: "write", keys: one, handler: hincrBy },
  { name: "hincrbyfloat", arity: 4, access: "write", keys: one, handler: hincrByFloat },
  { name: "hlen", arity: 2, access: "read", keys: one, handler: hlen },
  { name: "hkeys", arity: 2, access: "read", keys: one, handler: listing("hkeys") },
  { name: "hvals", arity: 2, access: "read", keys: one, handler: listing("hvals") },
];
