/**
 * Set algebra (redis/src/t_set.c): SINTER, SUNION, SDIFF and SINTERCARD, each one `sets` read of
 * every key at one state; SINTERSTORE, SUNIONSTORE, SDIFFSTORE and SMOVE, each one record. A
 * key that holds another type is WRONGTYPE, wherever it stands among the keys; an absent key is
 * an empty set. Members are answered in byte order, as SMEMBERS answers them.
 */
import { combineSets, type SetAlgebra } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { bulk, error, integer, set } from "../reply.js";
import { integerArgument, syntaxError, text, upper } from "./arguments.js";
import type { CommandContext, CommandSpec, HandlerReply } from "./context.js";
import { readReply, writeReply } from "./redis_access.js";
import { countReply } from "./values.js";

/** Reads the sets at `keys` at one state and answers `render` of them. */
function overSets(
  context: CommandContext,
  keys: readonly string[],
  render: (sets: readonly (readonly string[])[]) => Reply,
): Reply | Promise<Reply> {
  return readReply(context, { kind: "sets", keys }, (result) => render(result.sets));
}

/** SINTER / SUNION / SDIFF key [key ...]. */
function algebra(operation: SetAlgebra) {
  return (args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> =>
    overSets(context, args.slice(1).map(text), (sets) =>
      set(combineSets(operation, sets).map((member) => bulk(member))),
    );
}

/** SINTERSTORE / SUNIONSTORE / SDIFFSTORE destination key [key ...]: the result's size. */
function store(op: SetAlgebra) {
  return (args: readonly Buffer[], context: CommandContext): HandlerReply => {
    const [destination, ...keys] = args.slice(1).map(text) as [string, ...string[]];
    return writeReply(context, { kind: "setStore", op, destination, keys }, countReply);
  };
}

/** SMOVE source destination member: 1 when the member moved (smoveCommand). */
function smove(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const [source, destination, member] = args.slice(1).map(text) as [string, string, string];
  return writeReply(context, { kind: "smove", source, destination, member }, countReply);
}

/** SINTERCARD numkeys key [key ...] [LIMIT limit] (sinterCardCommand): 0 means no limit. */
function sintercard(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const numKeys = integerArgument(args[1]);
  if (numKeys === undefined || numKeys < 1) return error("ERR numkeys should be greater than 0");
  if (numKeys > args.length - 2) {
    return error("ERR Number of keys can't be greater than number of args");
  }
  let limit = 0;
  for (let index = 2 + numKeys; index < args.length; index += 2) {
    if (upper(args[index] as Buffer) !== "LIMIT" || index + 1 >= args.length) return syntaxError();
    const value = integerArgument(args[index + 1]);
    if (value === undefined || value < 0) return error("ERR LIMIT can't be negative");
    limit = value;
  }
  const keys = args.slice(2, 2 + numKeys).map(text);
  return overSets(context, keys, (sets) => {
    const size = combineSets("inter", sets).length;
    return integer(limit === 0 ? size : Math.min(size, limit));
  });
}

const read = "read" as const;
const write = "write" as const;

export const setAlgebraCommands: CommandSpec[] = [
  { name: "sinter", arity: -2, access: read, keys: [1, -1, 1], handler: algebra("inter") },
  { name: "sunion", arity: -2, access: read, keys: [1, -1, 1], handler: algebra("union") },
  { name: "sdiff", arity: -2, access: read, keys: [1, -1, 1], handler: algebra("diff") },
  { name: "sintercard", arity: -3, access: read, handler: sintercard },
  { name: "sinterstore", arity: -3, access: write, keys: [1, -1, 1], handler: store("inter") },
  { name: "sunionstore", arity: -3, access: write, keys: [1, -1, 1], handler: store("union") },
  { name: "sdiffstore", arity: -3, access: write, keys: [1, -1, 1], handler: store("diff") },
  { name: "smove", arity: 4, access: write, keys: [1, 2, 1], handler: smove },
];
