/**
 * The plain Redis string commands, at the shard's preset defaults (docs/commands.md): GET, SET
 * with NX|XX and EX|PX, DEL and INCR. A write on a follower answers as a Redis replica does
 * (`-READONLY`); a read the node cannot serve names the leader (`-NOTLEADER`).
 */
import type { KvCommand } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { bulk, error, integer, nullReply, ok } from "../reply.js";
import { integerArgument, syntaxError, text, upper } from "./arguments.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { kvFailure, readFailure, writeFailure } from "./outcome_replies.js";
import { valueReply } from "./values.js";

async function get(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const outcome = await context.store.read({ kind: "get", key: text(args[1] as Buffer) }, {});
  if (outcome.kind !== "ok") return readFailure(outcome);
  const { value } = outcome.result;
  if (value?.type === "list") return wrongType;
  return valueReply(value);
}

export type SetOptions = Pick<Extract<KvCommand, { kind: "set" }>, "condition" | "expireAtMs">;

/** Parses SET's `NX|XX` and `EX s|PX ms` (redis/src/t_string.c parseExtendedStringArgumentsOrReply). */
export function parseSetOption(
  word: string,
  args: readonly Buffer[],
  index: number,
  options: SetOptions,
  nowMs: number,
  allowed: readonly string[],
): number | Reply {
  if (!allowed.includes(word)) return 0;
  if (word === "NX" || word === "XX") {
    const condition = word === "NX" ? "nx" : "xx";
    if (options.condition !== undefined && options.condition !== condition) return syntaxError();
    options.condition = condition;
    return 1;
  }
  if (options.expireAtMs !== undefined) return syntaxError();
  const amount = integerArgument(args[index + 1]);
  if (args[index + 1] === undefined) return syntaxError();
  if (amount === undefined) return error("ERR value is not an integer or out of range");
  const ms = word === "EX" ? amount * 1000 : amount;
  if (amount <= 0 || !Number.isSafeInteger(nowMs + ms)) {
    return error("ERR invalid expire time in 'set' command");
  }
  options.expireAtMs = nowMs + ms;
  return 2;
}

async function set(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const options: SetOptions = {};
  const nowMs = context.nowMs();
  for (let index = 3; index < args.length; ) {
    const taken = parseSetOption(upper(args[index] as Buffer), args, index, options, nowMs, [
      "NX",
      "XX",
      "EX",
      "PX",
    ]);
    if (typeof taken !== "number") return taken;
    if (taken === 0) return syntaxError();
    index += taken;
  }
  const command: KvCommand = {
    kind: "set",
    key: text(args[1] as Buffer),
    value: text(args[2] as Buffer),
    ...options,
  };
  const outcome = await context.store.write(command, {});
  if (outcome.kind !== "ok") return writeFailure(outcome, true);
  if (outcome.result.kind === "not_applied") return nullReply;
  return kvFailure(outcome.result) ?? ok;
}

async function del(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const keys = args.slice(1).map(text);
  const outcome = await context.store.write({ kind: "del", keys }, {});
  if (outcome.kind !== "ok") return writeFailure(outcome, true);
  return outcome.result.kind === "count" ? integer(outcome.result.count) : integer(0);
}

async function incr(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const command: KvCommand = { kind: "incr", key: text(args[1] as Buffer), by: 1n };
  const outcome = await context.store.write(command, {});
  if (outcome.kind !== "ok") return writeFailure(outcome, true);
  const { result } = outcome;
  return kvFailure(result) ?? (result.kind === "integer" ? integer(result.value) : bulk(null));
}

const wrongType = error("WRONGTYPE Operation against a key holding the wrong kind of value");

export const stringCommands: CommandSpec[] = [
  { name: "get", arity: 2, access: "read", handler: get },
  { name: "set", arity: -3, access: "write", handler: set },
  { name: "del", arity: -2, access: "write", handler: del },
  { name: "incr", arity: 2, access: "write", handler: incr },
];
