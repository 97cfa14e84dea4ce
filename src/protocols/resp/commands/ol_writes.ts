/**
 * The OL. write commands (docs/commands.md): each carries a write concern (`W`, `J`, `WTIMEOUT`)
 * and answers an array whose second element is the offset of the write, so that a client can
 * chain `OL.GET ... AFTER offset` or `OL.WAIT offset`.
 */
import type { KvCommand, KvResult, StoreWriteOutcome, WriteConcern } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { array, bulk, error, integer, ok } from "../reply.js";
import { bigIntegerArgument, notInteger, text, upper } from "./arguments.js";
import { type ExtraOption, parseWriteConcern } from "./concern_arguments.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { absoluteExpiry } from "./expiry_arguments.js";
import { kvFailure, writeFailure } from "./outcome_replies.js";
import type { SetOptions } from "./strings.js";
import { offsetReply, valueReply } from "./values.js";

type Answer = (result: KvResult) => Reply[];

/** Writes `command` and shapes a successful result as `[...answer(result), offset]`. */
async function writeWith(
  context: CommandContext,
  command: KvCommand,
  concern: Partial<WriteConcern>,
  answer: Answer,
): Promise<Reply> {
  const outcome: StoreWriteOutcome = await context.store.write(command, concern);
  if (outcome.kind !== "ok") return writeFailure(outcome, false);
  const failure = kvFailure(outcome.result);
  if (failure !== undefined) return failure;
  const [first, ...rest] = answer(outcome.result);
  return array([first ?? bulk(null), offsetReply(outcome.offset), ...rest]);
}

async function olSet(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const options: SetOptions = {};
  const nowMs = context.nowMs();
  const extra: ExtraOption = (word, all, index) => {
    if (word === "NX" || word === "XX") {
      const condition = word === "NX" ? "nx" : "xx";
      if (options.condition !== undefined && options.condition !== condition) return syntaxOnceSet;
      options.condition = condition;
      return 1;
    }
    if (word !== "PX" || options.expireAtMs !== undefined) return 0;
    if (all[index + 1] === undefined) return syntaxOnceSet;
    const at = absoluteExpiry("PX", all[index + 1], nowMs, "ol.set");
    if (typeof at !== "number") return at;
    options.expireAtMs = at;
    return 2;
  };
  const parsed = parseWriteConcern(args, 3, extra);
  if (parsed.kind === "error") return parsed.reply;
  const command: KvCommand = {
    kind: "set",
    key: text(args[1] as Buffer),
    value: text(args[2] as Buffer),
    ...options,
  };
  return writeWith(context, command, parsed.value, (result) => [
    result.kind === "not_applied" ? bulk(null) : ok,
  ]);
}

async function olCas(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  let expected: string | null | undefined;
  const extra: ExtraOption = (word, all, index) => {
    if (expected !== undefined) return word === "EXPECT" || word === "ABSENT" ? syntaxOnce : 0;
    if (word === "ABSENT") {
      expected = null;
      return 1;
    }
    const value = all[index + 1];
    if (word !== "EXPECT" || value === undefined) return 0;
    expected = text(value);
    return 2;
  };
  const parsed = parseWriteConcern(args, 3, extra);
  if (parsed.kind === "error") return parsed.reply;
  if (expected === undefined) return error("ERR OL.CAS needs EXPECT value or ABSENT");
  const command: KvCommand = {
    kind: "cas",
    key: text(args[1] as Buffer),
    expected,
    value: text(args[2] as Buffer),
  };
  return writeWith(context, command, parsed.value, (result) =>
    result.kind === "not_applied"
      ? [integer(0), valueReply(result.current)]
      : [integer(1), bulk(null)],
  );
}

const syntaxOnceSet = error("ERR syntax error");
const syntaxOnce = error("ERR EXPECT and ABSENT exclude each other");

async function olAppend(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const parsed = parseWriteConcern(args, 3);
  if (parsed.kind === "error") return parsed.reply;
  const command: KvCommand = {
    kind: "listAppend",
    key: text(args[1] as Buffer),
    element: text(args[2] as Buffer),
  };
  return writeWith(context, command, parsed.value, count);
}

async function olIncr(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  let by = 1n;
  let invalid = false;
  const extra: ExtraOption = (word, all, index) => {
    if (word !== "BY" || all[index + 1] === undefined) return 0;
    const amount = bigIntegerArgument(all[index + 1]);
    if (amount === undefined) invalid = true;
    else by = amount;
    return 2;
  };
  const parsed = parseWriteConcern(args, 2, extra);
  if (parsed.kind === "error") return parsed.reply;
  if (invalid) return notInteger();
  const command: KvCommand = { kind: "incr", key: text(args[1] as Buffer), by };
  return writeWith(context, command, parsed.value, (result) => [
    result.kind === "integer" ? integer(result.value) : bulk(null),
  ]);
}

const concernWords = new Set(["W", "J", "WTIMEOUT"]);

/** Keys run up to the first concern word; a key named W, J or WTIMEOUT needs plain DEL. */
async function olDel(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  let end = 2;
  while (end < args.length && !concernWords.has(upper(args[end] as Buffer))) end++;
  const parsed = parseWriteConcern(args, end);
  if (parsed.kind === "error") return parsed.reply;
  const keys = args.slice(1, end).map(text);
  return writeWith(context, { kind: "del", keys }, parsed.value, count);
}

const count: Answer = (result) => [integer(result.kind === "count" ? result.count : 0)];

/**
 * A transaction applies at the preset's concern as one record, so a command's own concern could
 * not hold inside one: refused between MULTI and EXEC.
 */
const refused = "refused" as const;

export const olWriteCommands: CommandSpec[] = [
  { name: "ol.set", arity: -3, access: "write", inTransaction: refused, handler: olSet },
  { name: "ol.cas", arity: -3, access: "write", inTransaction: refused, handler: olCas },
  { name: "ol.append", arity: -3, access: "write", inTransaction: refused, handler: olAppend },
  { name: "ol.incr", arity: -2, access: "write", inTransaction: refused, handler: olIncr },
  { name: "ol.del", arity: -2, access: "write", inTransaction: refused, handler: olDel },
];
