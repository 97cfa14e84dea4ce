/**
 * String commands (redis/src/t_string.c): GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET
 * MSET MSETNX APPEND STRLEN GETRANGE SUBSTR SETRANGE. Counters are in counters.ts.
 */
import type { KvCommand, KvQueryResultOf, KvResult } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { bulk, error, integer, nullReply, ok } from "../reply.js";
import { arityError, integerArgument, notInteger, syntaxError, text, upper } from "./arguments.js";
import type { CommandContext, CommandSpec, HandlerReply } from "./context.js";
import { absoluteExpiry, type ExpiryUnit } from "./expiry_arguments.js";
import { readReply, redisRead, redisWrite, writeReply, wrongType } from "./redis_access.js";
import { countReply, okReply, stringsReply } from "./values.js";

const key = (args: readonly Buffer[], index = 1): string => text(args[index] as Buffer);
const stringOrNull = (value: string | null): Reply => (value === null ? nullReply : bulk(value));

function get(args: readonly Buffer[], context: CommandContext): HandlerReply {
  return readReply(context, { kind: "get", key: key(args) }, getReply);
}

type GetResult = Exclude<KvQueryResultOf<"get">, { kind: "error" }>;

function getReply({ value }: GetResult, context: CommandContext): Reply {
  if (value === null) {
    context.state.stats.keyspaceMisses++;
    return nullReply;
  }
  context.state.stats.keyspaceHits++;
  return value.type === "string" ? bulk(value.data) : wrongType();
}

export type SetOptions = Pick<
  Extract<KvCommand, { kind: "set" }>,
  "condition" | "expireAtMs" | "keepTtl" | "returnOld"
>;

const expiryUnits = new Set(["EX", "PX", "EXAT", "PXAT"]);

/**
 * Parses SET's options from `start` (parseExtendedStringArgumentsOrReply): NX|XX, GET,
 * EX|PX|EXAT|PXAT|KEEPTTL, each at most once and not conflicting, else a syntax error.
 */
export function parseSetOptions(
  args: readonly Buffer[],
  start: number,
  nowMs: number,
  allowed: ReadonlySet<string>,
): SetOptions | Reply {
  const options: SetOptions = {};
  let expirySeen = false;
  for (let index = start; index < args.length; index++) {
    const word = upper(args[index] as Buffer);
    if (!allowed.has(word)) return syntaxError();
    if (word === "NX" || word === "XX") {
      if (options.condition !== undefined) return syntaxError();
      options.condition = word === "NX" ? "nx" : "xx";
    } else if (word === "GET") {
      options.returnOld = true;
    } else if (word === "KEEPTTL") {
      if (expirySeen) return syntaxError();
      expirySeen = true;
      options.keepTtl = true;
    } else {
      if (expirySeen || index + 1 >= args.length) return syntaxError();
      expirySeen = true;
      const at = absoluteExpiry(word as ExpiryUnit, args[index + 1], nowMs, "set");
      if (typeof at !== "number") return at;
      options.expireAtMs = at;
      index++;
    }
  }
  return options;
}

const setWords = new Set(["NX", "XX", "GET", "KEEPTTL", ...expiryUnits]);

/** SET's reply: OK, nil when NX/XX failed, or the old value with GET. */
function setReply(result: KvResult, returnOld: boolean): Reply {
  if (result.kind === "old") return stringOrNull(result.value);
  if (result.kind === "not_applied") {
    if (!returnOld) return nullReply;
    const current = result.current;
    if (current === null || current === undefined) return nullReply;
    return current.type === "string" ? bulk(current.data) : wrongType();
  }
  return ok;
}

const plainSetReply = (result: KvResult): Reply => setReply(result, false);

function set(args: readonly Buffer[], context: CommandContext): HandlerReply {
  if (args.length === 3) {
    // Most SETs have no option: no clock read, no options object, one shape of command.
    const command: KvCommand = { kind: "set", key: key(args), value: key(args, 2) };
    return writeReply(context, command, plainSetReply);
  }
  const options = parseSetOptions(args, 3, context.nowMs(), setWords);
  if ("kind" in options) return options;
  const command: KvCommand = { kind: "set", key: key(args), value: key(args, 2), ...options };
  return writeReply(context, command, (result) => setReply(result, options.returnOld === true));
}

function setNx(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const command: KvCommand = { kind: "set", key: key(args), value: key(args, 2), condition: "nx" };
  return writeReply(context, command, (result) => integer(result.kind === "ok" ? 1 : 0));
}

/** SETEX key seconds value / PSETEX key ms value. */
function setWithExpiry(unit: "EX" | "PX", name: string) {
  return (args: readonly Buffer[], context: CommandContext): HandlerReply => {
    const at = absoluteExpiry(unit, args[2], context.nowMs(), name);
    if (typeof at !== "number") return at;
    const command: KvCommand = { kind: "set", key: key(args), value: key(args, 3), expireAtMs: at };
    return writeReply(context, command, okReply);
  };
}

function getSet(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const command: KvCommand = { kind: "set", key: key(args), value: key(args, 2), returnOld: true };
  return writeReply(context, command, (result) => setReply(result, true));
}

const oldReply = (result: KvResult): Reply =>
  result.kind === "old" ? stringOrNull(result.value) : nullReply;

function getDel(args: readonly Buffer[], context: CommandContext): HandlerReply {
  return writeReply(context, { kind: "getDel", key: key(args) }, (result) => oldReply(result));
}

/** GETEX key [EX s | PX ms | EXAT ts | PXAT ts | PERSIST] (getexCommand). */
async function getEx(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const command: Extract<KvCommand, { kind: "getEx" }> = { kind: "getEx", key: key(args) };
  // Redis looks the key up and checks its type before it reads the expiry's value (getexCommand
  // in t_string.c): a missing key answers nil even to `EX 0`, a list WRONGTYPE.
  let badExpiry: Reply | undefined;
  for (let index = 2; index < args.length; index++) {
    const word = upper(args[index] as Buffer);
    const given =
      command.expireAtMs !== undefined || command.persist === true || badExpiry !== undefined;
    if (word === "PERSIST" && !given) command.persist = true;
    else if (expiryUnits.has(word) && !given && index + 1 < args.length) {
      const at = absoluteExpiry(word as ExpiryUnit, args[index + 1], context.nowMs(), "getex");
      if (typeof at === "number") command.expireAtMs = at;
      else badExpiry = at;
      index++;
    } else return syntaxError();
  }
  // A plain GETEX writes nothing: read it, so it costs no record (and works on a replica).
  if (badExpiry !== undefined || (command.expireAtMs === undefined && command.persist !== true)) {
    const read = await redisRead(context, { kind: "get", key: command.key });
    if (read.kind === "reply") return read.reply;
    const { value } = read.result;
    if (value === null) return nullReply;
    if (value.type !== "string") return wrongType();
    return badExpiry ?? bulk(value.data);
  }
  const written = await redisWrite(context, command);
  return written.kind === "reply" ? written.reply : oldReply(written.result);
}

function mget(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const query = { kind: "mget", keys: args.slice(1).map(text) } as const;
  return readReply(context, query, (result) => stringsReply(result.values));
}

function pairsOf(args: readonly Buffer[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let index = 1; index + 1 < args.length; index += 2)
    pairs.push([key(args, index), key(args, index + 1)]);
  return pairs;
}

function mset(args: readonly Buffer[], context: CommandContext): HandlerReply {
  if (args.length % 2 === 0) return arityError("mset");
  return writeReply(context, { kind: "mset", pairs: pairsOf(args) }, okReply);
}

function msetNx(args: readonly Buffer[], context: CommandContext): HandlerReply {
  if (args.length % 2 === 0) return arityError("msetnx");
  return writeReply(context, { kind: "msetNx", pairs: pairsOf(args) }, countReply);
}

function append(args: readonly Buffer[], context: CommandContext): HandlerReply {
  return writeReply(
    context,
    {
      kind: "append",
      key: key(args),
      value: key(args, 2),
    },
    (result) => countReply(result),
  );
}

function strlen(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  return readReply(context, { kind: "strlen", key: key(args) }, (result) => integer(result.count));
}

function getRange(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const start = integerArgument(args[2]);
  const end = integerArgument(args[3]);
  if (start === undefined || end === undefined) return notInteger();
  return readReply(context, { kind: "getRange", key: key(args), start, end }, (result) =>
    bulk(result.value ?? ""),
  );
}

/** SETRANGE key offset value (setrangeCommand): offsets past 512 MiB are refused up front. */
function setRange(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const offsetBytes = integerArgument(args[2]);
  if (offsetBytes === undefined) return notInteger();
  if (offsetBytes < 0) return error("ERR offset is out of range");
  const value = key(args, 3);
  // Setting nothing answers the length (or WRONGTYPE) before any size check (setrangeCommand),
  // whatever the offset: the record carries offset 0, from which the same answer follows.
  const at = value.length === 0 ? 0 : offsetBytes;
  if (at + value.length > 512 * 1024 * 1024) {
    // Redis looks at the key's type first: a key of another type is WRONGTYPE, not too long.
    const tooLong = error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    return readReply(context, { kind: "type", key: key(args) }, (result) =>
      result.type === "none" || result.type === "string" ? tooLong : wrongType(),
    );
  }
  const command = { kind: "setRange", key: key(args), offsetBytes: at, value } as const;
  return writeReply(context, command, (result) => countReply(result));
}

export const stringCommands: CommandSpec[] = [
  { name: "get", arity: 2, access: "read", keys: [1, 1, 1], handler: get },
  { name: "set", arity: -3, access: "write", keys: [1, 1, 1], handler: set },
  { name: "setnx", arity: 3, access: "write", keys: [1, 1, 1], handler: setNx },
  {
    name: "setex",
    arity: 4,
    access: "write",
    keys: [1, 1, 1],
    handler: setWithExpiry("EX", "setex"),
  },
  {
    name: "psetex",
    arity: 4,
    access: "write",
    keys: [1, 1, 1],
    handler: setWithExpiry("PX", "psetex"),
  },
  { name: "getset", arity: 3, access: "write", keys: [1, 1, 1], handler: getSet },
  { name: "getdel", arity: 2, access: "write", keys: [1, 1, 1], handler: getDel },
  { name: "getex", arity: -2, access: "write", keys: [1, 1, 1], handler: getEx },
  { name: "mget", arity: -2, access: "read", keys: [1, -1, 1], handler: mget },
  { name: "mset", arity: -3, access: "write", keys: [1, -1, 2], handler: mset },
  { name: "msetnx", arity: -3, access: "write", keys: [1, -1, 2], handler: msetNx },
  { name: "append", arity: 3, access: "write", keys: [1, 1, 1], handler: append },
  { name: "strlen", arity: 2, access: "read", keys: [1, 1, 1], handler: strlen },
  { name: "getrange", arity: 4, access: "read", keys: [1, 1, 1], handler: getRange },
  { name: "substr", arity: 4, access: "read", keys: [1, 1, 1], handler: getRange },
  { name: "setrange", arity: 4, access: "write", keys: [1, 1, 1], handler: setRange },
];
