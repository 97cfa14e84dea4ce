/**
 * Keyspace commands (redis/src/db.c): DEL UNLINK EXISTS TOUCH TYPE RENAME RENAMENX COPY KEYS
 * SCAN RANDOMKEY DBSIZE FLUSHALL FLUSHDB. Multi-key commands work on this node's one shard;
 * CROSSSLOT arrives with cluster slots.
 */
import { randomInt } from "node:crypto";
import type { KvResult, ValueType } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { array, bulk, error, integer, simple } from "../reply.js";
import { integerArgument, notInteger, syntaxError, text, upper } from "./arguments.js";
import type { CommandContext, CommandSpec, HandlerReply } from "./context.js";
import { readReply, writeReply } from "./redis_access.js";
import { invalidCursor, scanCursor, scanOptions } from "./scan_arguments.js";
import { okReply } from "./values.js";

const count = (result: KvResult): number => (result.kind === "count" ? result.count : 0);

function del(args: readonly Buffer[], context: CommandContext): HandlerReply {
  return writeReply(context, { kind: "del", keys: args.slice(1).map(text) }, (result) =>
    integer(count(result)),
  );
}

function exists(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(context, { kind: "exists", keys: args.slice(1).map(text) }, (result) =>
    integer(result.count),
  );
}

function type(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(context, { kind: "type", key: text(args[1] as Buffer) }, (result) =>
    simple(result.type),
  );
}

function rename(nx: boolean) {
  const render = nx ? (result: KvResult) => integer(result.kind === "ok" ? 1 : 0) : okReply;
  return (args: readonly Buffer[], context: CommandContext): HandlerReply => {
    const source = text(args[1] as Buffer);
    const destination = text(args[2] as Buffer);
    return writeReply(context, { kind: "rename", source, destination, nx }, render);
  };
}

/** COPY source destination [DB 0] [REPLACE] (copyCommand). */
function copy(args: readonly Buffer[], context: CommandContext): HandlerReply {
  let replace = false;
  for (let index = 3; index < args.length; index++) {
    const word = upper(args[index] as Buffer);
    if (word === "REPLACE") replace = true;
    else if (word === "DB" && index + 1 < args.length) {
      const db = integerArgument(args[index + 1]);
      if (db === undefined) return notInteger();
      if (db !== 0) return error("ERR DB index is out of range");
      index++;
    } else return syntaxError();
  }
  const source = text(args[1] as Buffer);
  const destination = text(args[2] as Buffer);
  return writeReply(context, { kind: "copy", source, destination, replace }, (result) =>
    integer(count(result)),
  );
}

const keysReply = (keys: readonly string[]): Reply => array(keys.map((key) => bulk(key)));

function keys(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(context, { kind: "keys", pattern: text(args[1] as Buffer) }, (result) =>
    keysReply(result.keys),
  );
}

const valueTypes: readonly string[] = ["string", "list", "hash", "set", "zset"];

/** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] (scanGenericCommand). */
function scan(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const cursor = scanCursor(args[1] as Buffer);
  if (cursor === undefined) return invalidCursor();
  const options = scanOptions(args, 2, true);
  if ("kind" in options) return options;
  const { count: scanCount, pattern, type: valueType } = options;
  // Redis answers an unknown TYPE with nothing matching (7.0); so does "none" here.
  const query = {
    kind: "scan" as const,
    cursor,
    count: scanCount,
    ...(pattern === undefined || pattern === "*" ? {} : { pattern }),
    ...(valueType === undefined
      ? {}
      : { type: (valueTypes.includes(valueType) ? valueType : "none") as ValueType }),
  };
  return readReply(context, query, (result) =>
    array([bulk(result.cursor), keysReply(result.keys)]),
  );
}

function randomKey(_: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(context, { kind: "randomKey", seed: randomInt(0, 2 ** 47) }, (result) =>
    result.key === null ? bulk(null) : bulk(result.key),
  );
}

function dbSize(_: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(context, { kind: "dbSize" }, (result) => integer(result.count));
}

/** FLUSHALL / FLUSHDB [ASYNC | SYNC]: one record deletes every key. */
function flush(args: readonly Buffer[], context: CommandContext): HandlerReply {
  if (args.length > 2) return syntaxError();
  if (args.length === 2 && !["ASYNC", "SYNC"].includes(upper(args[1] as Buffer)))
    return syntaxError();
  return writeReply(context, { kind: "flushAll" }, okReply);
}

export const keyspaceCommands: CommandSpec[] = [
  { name: "del", arity: -2, access: "write", keys: [1, -1, 1], handler: del },
  { name: "unlink", arity: -2, access: "write", keys: [1, -1, 1], handler: del },
  { name: "exists", arity: -2, access: "read", keys: [1, -1, 1], handler: exists },
  { name: "touch", arity: -2, access: "read", keys: [1, -1, 1], handler: exists },
  { name: "type", arity: 2, access: "read", keys: [1, 1, 1], handler: type },
  { name: "rename", arity: 3, access: "write", keys: [1, 2, 1], handler: rename(false) },
  { name: "renamenx", arity: 3, access: "write", keys: [1, 2, 1], handler: rename(true) },
  { name: "copy", arity: -3, access: "write", keys: [1, 2, 1], handler: copy },
  { name: "keys", arity: 2, access: "read", handler: keys },
  { name: "scan", arity: -2, access: "read", handler: scan },
  { name: "randomkey", arity: 1, access: "read", handler: randomKey },
  { name: "dbsize", arity: 1, access: "read", handler: dbSize },
  { name: "flushall", arity: -1, access: "write", handler: flush },
  { name: "flushdb", arity: -1, access: "write", handler: flush },
];
