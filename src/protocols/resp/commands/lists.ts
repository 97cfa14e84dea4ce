/**
 * List commands enough for common use (redis/src/t_list.c): LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP
 * (with COUNT) LRANGE LINDEX LPOS LTRIM LSET LREM LINSERT LLEN.
 */
import type { KvResult, ListSide } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { array, bulk, error, integer, nullReply } from "../reply.js";
import {
  indexArgument,
  integerArgument,
  notInteger,
  popCount,
  syntaxError,
  text,
  upper,
} from "./arguments.js";
import type { CommandContext, CommandSpec, HandlerReply } from "./context.js";
import { readReply, writeReply, wrongType } from "./redis_access.js";
import { countReply, okReply, stringsReply } from "./values.js";

const key = (args: readonly Buffer[]): string => text(args[1] as Buffer);

function push(side: ListSide, onlyIfExists: boolean) {
  return (args: readonly Buffer[], context: CommandContext): HandlerReply => {
    const elements = args.slice(2).map(text);
    const command = {
      kind: "push",
      key: key(args),
      side,
      elements,
      ...(onlyIfExists ? { onlyIfExists } : {}),
    } as const;
    return writeReply(context, command, countReply);
  };
}

/** LPOP key [count] (popGenericCommand): nil, one element, or an array with COUNT. */
function pop(side: ListSide, name: string) {
  return (args: readonly Buffer[], context: CommandContext): HandlerReply => {
    if (args.length > 3) return error(`ERR wrong number of arguments for '${name}' command`);
    const parsed = popCount(args, 2);
    if ("reply" in parsed) return parsed.reply;
    const { count } = parsed;
    const command = {
      kind: "pop",
      key: key(args),
      side,
      ...(count === undefined ? {} : { count }),
    } as const;
    return writeReply(context, command, count === undefined ? popOne : popCounted);
  };
}

const popOne = (result: KvResult): Reply => popReply(result, false);
const popCounted = (result: KvResult): Reply => popReply(result, true);

function popReply(result: KvResult, withCount: boolean): Reply {
  if (result.kind !== "popped" || result.elements === null) {
    // Redis answers a null array to LPOP with COUNT on a missing key (addReplyNullArray).
    return withCount ? array(null) : nullReply;
  }
  if (withCount) return array(result.elements.map((element) => bulk(element)));
  const [first] = result.elements;
  return first === undefined ? nullReply : bulk(first);
}

interface LposOptions {
  rank: number;
  /** Undefined: one match, answered as an integer; 0: every match. */
  count: number | undefined;
  /** 0: the whole list. */
  maxLength: number;
}

/** LPOS's options, checked before the key is read, in lposCommand's order and texts. */
function lposOptions(args: readonly Buffer[]): LposOptions | Reply {
  const options: LposOptions = { rank: 1, count: undefined, maxLength: 0 };
  for (let index = 3; index < args.length; index += 2) {
    const option = upper(args[index] as Buffer);
    if (index + 1 >= args.length || !["RANK", "COUNT", "MAXLEN"].includes(option)) {
      return syntaxError();
    }
    const value = integerArgument(args[index + 1]);
    if (option !== "RANK") {
      // An unreadable COUNT or MAXLEN gets the text of a negative one (lposCommand).
      if (value === undefined || value < 0) return error(`ERR ${option} can't be negative`);
      if (option === "COUNT") options.count = value;
      else options.maxLength = value;
    } else if (value === undefined) {
      return notInteger();
    } else if (value === -(2 ** 63)) {
      return error(
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
      );
    } else if (value === 0) {
      return error(
        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
      );
    } else options.rank = value;
  }
  return options;
}

/** The indexes of `element` in `items`, as LPOS finds them. */
function positions(items: readonly string[], element: string, options: LposOptions): number[] {
  const found: number[] = [];
  const wanted = options.count === undefined ? 1 : options.count;
  const fromTail = options.rank < 0;
  let skip = Math.abs(options.rank) - 1;
  const scanned =
    options.maxLength === 0 ? items.length : Math.min(options.maxLength, items.length);
  for (let step = 0; step < scanned; step++) {
    const index = fromTail ? items.length - 1 - step : step;
    if (items[index] !== element) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    found.push(index);
    if (wanted !== 0 && found.length === wanted) break;
  }
  return found;
}

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] (lposCommand). */
function lpos(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const options = lposOptions(args);
  if ("kind" in options) return options;
  const element = text(args[2] as Buffer);
  return readReply(context, { kind: "get", key: key(args) }, (result) => {
    const { value } = result;
    if (value !== null && value.type !== "list") return wrongType();
    const found = positions(value?.items ?? [], element, options);
    if (options.count !== undefined) return array(found.map((index) => integer(index)));
    return found[0] === undefined ? nullReply : integer(found[0]);
  });
}

function lrange(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const start = integerArgument(args[2]);
  const stop = integerArgument(args[3]);
  if (start === undefined || stop === undefined) return notInteger();
  return readReply(context, { kind: "lrange", key: key(args), start, stop }, (result) =>
    stringsReply(result.values),
  );
}

/** LTRIM key start stop (ltrimCommand): the indexes first, then the key (absent: OK). */
function ltrim(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const start = indexArgument(args[2]);
  const stop = indexArgument(args[3]);
  if (start === undefined || stop === undefined) return notInteger();
  const command = { kind: "ltrim" as const, key: key(args), start, stop };
  return writeReply(context, command, okReply);
}

/**
 * LINDEX key index (lindexCommand): LRANGE index index, which counts from the end alike. Redis
 * looks the key up and checks its type before it reads the index, so a bad index on a missing
 * key is nil, and on a hash WRONGTYPE.
 */
function lindex(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const at = indexArgument(args[2]);
  if (at === undefined) {
    return readReply(context, { kind: "llen", key: key(args) }, (result) =>
      result.count === 0 ? nullReply : notInteger(),
    );
  }
  return readReply(context, { kind: "lrange", key: key(args), start: at, stop: at }, (result) => {
    const [value] = result.values;
    return value === undefined || value === null ? nullReply : bulk(value);
  });
}

/**
 * LSET key index element (lsetCommand): Redis looks the key up and checks its type before it
 * reads the index, so a bad index is answered after a read of the key's type, with no record.
 */
function lset(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const index = indexArgument(args[2]);
  if (index === undefined) {
    return readReply(context, { kind: "type", key: key(args) }, (result) => {
      if (result.type === "none") return error("ERR no such key");
      return result.type === "list" ? notInteger() : wrongType();
    });
  }
  const command = {
    kind: "lset" as const,
    key: key(args),
    index,
    element: text(args[3] as Buffer),
  };
  return writeReply(context, command, okReply);
}

/** LREM key count element (lremCommand): the count first, then the key. */
function lrem(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const count = indexArgument(args[2]);
  if (count === undefined) return notInteger();
  const command = {
    kind: "lrem" as const,
    key: key(args),
    count,
    element: text(args[3] as Buffer),
  };
  return writeReply(context, command, countReply);
}

/** LINSERT key BEFORE|AFTER pivot element (linsertCommand): the word first, then the key. */
function linsert(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const where = upper(args[2] as Buffer);
  if (where !== "BEFORE" && where !== "AFTER") return syntaxError();
  const command = {
    kind: "linsert" as const,
    key: key(args),
    after: where === "AFTER",
    pivot: text(args[3] as Buffer),
    element: text(args[4] as Buffer),
  };
  return writeReply(context, command, countReply);
}

function llen(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(context, { kind: "llen", key: key(args) }, (result) => integer(result.count));
}

const one = [1, 1, 1] as const;

export const listCommands: CommandSpec[] = [
  { name: "lpush", arity: -3, access: "write", keys: one, handler: push("left", false) },
  { name: "rpush", arity: -3, access: "write", keys: one, handler: push("right", false) },
  { name: "lpushx", arity: -3, access: "write", keys: one, handler: push("left", true) },
  { name: "rpushx", arity: -3, access: "write", keys: one, handler: push("right", true) },
  { name: "lpop", arity: -2, access: "write", keys: one, handler: pop("left", "lpop") },
  { name: "rpop", arity: -2, access: "write", keys: one, handler: pop("right", "rpop") },
  { name: "lrange", arity: 4, access: "read", keys: one, handler: lrange },
  { name: "llen", arity: 2, access: "read", keys: one, handler: llen },
  { name: "lindex", arity: 3, access: "read", keys: one, handler: lindex },
  { name: "lpos", arity: -3, access: "read", keys: one, handler: lpos },
  { name: "ltrim", arity: 4, access: "write", keys: one, handler: ltrim },
  { name: "lset", arity: 4, access: "write", keys: one, handler: lset },
  { name: "lrem", arity: 4, access: "write", keys: one, handler: lrem },
  { name: "linsert", arity: 5, access: "write", keys: one, handler: linsert },
];
