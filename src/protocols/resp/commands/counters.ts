/** INCR INCRBY DECR DECRBY INCRBYFLOAT (redis/src/t_string.c incrDecrCommand, incrbyfloatCommand). */
import type { KvResult } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { bulk, error, integer } from "../reply.js";
import { bigIntegerArgument, notInteger, text } from "./arguments.js";
import type { CommandContext, CommandSpec, HandlerReply } from "./context.js";
import { writeReply } from "./redis_access.js";

const integerReply = (result: KvResult): Reply =>
  result.kind === "integer" ? integer(result.value) : bulk(null);

function incrementBy(context: CommandContext, key: string, by: bigint): HandlerReply {
  return writeReply(context, { kind: "incr", key, by }, integerReply);
}

const int64Min = -(2n ** 63n);

function counter(sign: 1n | -1n, amountGiven: boolean) {
  return (args: readonly Buffer[], context: CommandContext): HandlerReply => {
    const amount = amountGiven ? bigIntegerArgument(args[2]) : 1n;
    if (amount === undefined) return notInteger();
    // DECRBY of the smallest 64-bit integer cannot be negated (decrbyCommand).
    if (sign === -1n && amount === int64Min) {
      return error("ERR decrement would overflow");
    }
    return incrementBy(context, text(args[1] as Buffer), sign * amount);
  };
}

/**
 * The kv machine reads the increment (long_double.ts) after the key's type and value, in
 * incrbyfloatCommand's order: a list with a bad increment is WRONGTYPE.
 */
function incrByFloat(args: readonly Buffer[], context: CommandContext): HandlerReply {
  const command = {
    kind: "incrByFloat" as const,
    key: text(args[1] as Buffer),
    by: text(args[2] as Buffer),
  };
  return writeReply(context, command, (result) =>
    result.kind === "float" ? bulk(result.value) : bulk(null),
  );
}

export const counterCommands: CommandSpec[] = [
  { name: "incr", arity: 2, access: "write", keys: [1, 1, 1], handler: counter(1n, false) },
  { name: "decr", arity: 2, access: "write", keys: [1, 1, 1], handler: counter(-1n, false) },
  { name: "incrby", arity: 3, access: "write", keys: [1, 1, 1], handler: counter(1n, true) },
  { name: "decrby", arity: 3, access: "write", keys: [1, 1, 1], handler: counter(-1n, true) },
  { name: "incrbyfloat", arity: 3, access: "write", keys: [1, 1, 1], handler: incrByFloat },
];
