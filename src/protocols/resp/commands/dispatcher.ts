/**
 * Dispatch: name lookup (case-insensitive), the password check, Redis's arity check and error
 * texts (redis/src/server.c processCommand), then the handler. A handler that throws is a bug;
 * the client gets `-ERR` and the connection lives on, so bad input never takes a node down.
 */
import { charCodeAt } from "../../../util/string_calls.js";
import type { Reply } from "../reply.js";
import { error, simple } from "../reply.js";
import { arityAccepts, arityError, text } from "./arguments.js";
import { noAuth } from "./auth.js";
import { commandTable } from "./command_table.js";
import {
  type CommandContext,
  type CommandSpec,
  type HandlerReply,
  isRedisWrite,
  isSubscribed,
  type QueuedTransaction,
} from "./context.js";
import { DeferredReply } from "./deferred_reply.js";
import { readOnlyReplica } from "./outcome_replies.js";
import { allowedWhileSubscribed, subscribedContextError } from "./pubsub.js";
import { replicationRole } from "./replication_view.js";

export const commandNames = (): string[] => [...commandTable().keys()];

/** The specs by their name's length and lower-cased first byte: a handful in each bucket. */
let byLengthAndFirst: Map<number, CommandSpec[]> | undefined;

const bucketKey = (length: number, first: number): number => length * 256 + lowerAscii(first);
/** An ASCII letter lower-cased; any other byte as it is (no command name has one above 0x7f). */
const lowerAscii = (byte: number): number => (byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte);

function buckets(): Map<number, CommandSpec[]> {
  if (byLengthAndFirst !== undefined) return byLengthAndFirst;
  byLengthAndFirst = new Map();
  for (const spec of commandTable().values()) {
    const key = bucketKey(spec.name.length, spec.name.charCodeAt(0));
    const bucket = byLengthAndFirst.get(key);
    if (bucket === undefined) byLengthAndFirst.set(key, [spec]);
    else bucket.push(spec);
  }
  return byLengthAndFirst;
}

/**
 * The command `args` names, ASCII case-insensitive as Redis's lookup: its bytes compared with the
 * few names of its length and first letter, with no string made, since every command pays this.
 */
export function findCommand(args: readonly Buffer[]): CommandSpec | undefined {
  const first = args[0];
  if (first === undefined || first.length === 0) return undefined;
  const bucket = buckets().get(bucketKey(first.length, first[0] as number));
  if (bucket === undefined) return undefined;
  for (const spec of bucket) if (namedBy(spec.name, first)) return spec;
  return undefined;
}

function namedBy(name: string, sent: Buffer): boolean {
  for (let index = 1; index < sent.length; index++) {
    if (lowerAscii(sent[index] as number) !== charCodeAt(name, index)) return false;
  }
  return true;
}

/**
 * The name CLIENT LIST shows in `cmd`: Redis's full name, `client|list` for a subcommand
 * (networking.c catClientInfoString, `lastcmd->fullname`); unknown commands show as sent.
 */
export function commandFullName(args: readonly Buffer[], spec: CommandSpec | undefined): string {
  if (spec === undefined) return args[0] === undefined ? "" : text(args[0]).toLowerCase();
  const sub = args[1];
  if (spec.hasSubcommands !== true || sub === undefined) return spec.name;
  return `${spec.name}|${text(sub).toLowerCase()}`;
}

/** `ERR unknown command 'x', with args beginning with: 'a' 'b' ` (Redis's text, 128-char cuts). */
function unknownCommand(args: readonly Buffer[]): Reply {
  const name = text(args[0] as Buffer).slice(0, 128);
  const shown = args
    .slice(1)
    .map((arg) => `'${text(arg).slice(0, 128)}' `)
    .join("");
  return error(`ERR unknown command '${name}', with args beginning with: ${shown}`);
}

/**
 * Runs one command (`spec`: findCommand's answer, when the caller has it), or queues it between
 * MULTI and EXEC (transactions.ts); never throws or rejects.
 */
export function dispatch(
  args: readonly Buffer[],
  context: CommandContext,
  spec: CommandSpec | undefined = findCommand(args),
): Reply | Promise<Reply> {
  const answered = dispatchUnguarded(args, context, spec);
  const reply = answered instanceof DeferredReply ? answered.promise() : answered;
  if (!(reply instanceof Promise)) return reply;
  return reply.catch((thrown: unknown) => internalError(thrown, spec?.name ?? "", context));
}

/**
 * `dispatch` for the connection, the hot path: a write may answer through a DeferredReply, and
 * a promise or deferred reply whose reply could not be made fails (rejects, or calls `failed`):
 * the caller answers that with `internalError`, in the reaction it has anyway.
 */
export function dispatchUnguarded(
  args: readonly Buffer[],
  context: CommandContext,
  spec: CommandSpec | undefined,
): HandlerReply {
  if (args.length === 0) return error("ERR empty command");
  context.state.stats.commandsProcessed++;
  // Redis checks existence, then arity, then authentication (server.c processCommand); each
  // refusal inside MULTI also dooms the transaction (rejectCommand's flagTransaction).
  if (spec === undefined) return refused(context, unknownCommand(args));
  const name = spec.name;
  if (!arityAccepts(spec.arity, args.length)) return refused(context, arityError(name), spec);
  if (!context.session.authenticated && spec.noAuth !== true) {
    return refused(context, noAuth(), spec);
  }
  const { session } = context;
  if (session.protocol === 2 && isSubscribed(session) && !allowedWhileSubscribed.has(name)) {
    // Redis refuses a write on a replica first (server.c processCommand).
    const readOnly = isRedisWrite(spec) && replicationRole(context) !== "master";
    return refused(
      context,
      readOnly ? readOnlyReplica : subscribedContextError(commandFullName(args, spec)),
      spec,
    );
  }
  const { transaction } = session;
  if (transaction !== undefined && !transaction.running && spec.inTransaction !== "runs") {
    return queue(args, context, spec, transaction);
  }
  try {
    return spec.handler(args, context);
  } catch (thrown) {
    return internalError(thrown, name, context);
  }
}

/**
 * A refused command; a refused EXEC also discards the transaction and its watched keys, and
 * says so (multi.c execCommandAbort: Redis's text without the `ERR` code).
 */
function refused(context: CommandContext, reply: Reply, spec?: CommandSpec): Reply {
  const { session } = context;
  if (session.transaction !== undefined) session.transaction.failed = true;
  if (spec?.name !== "exec" || reply.kind !== "error") return reply;
  session.transaction = undefined;
  session.watched.clear();
  const reason = reply.message.startsWith("ERR ") ? reply.message.slice(4) : reply.message;
  return error(`EXECABORT Transaction discarded because of: ${reason}`);
}

const queued: Reply = Object.freeze(simple("QUEUED"));

/** Queues a command for EXEC, or refuses it as Redis's processCommand would at once. */
function queue(
  args: readonly Buffer[],
  context: CommandContext,
  spec: CommandSpec,
  transaction: QueuedTransaction,
): Reply {
  if (spec.inTransaction === "refused") {
    return refused(context, error("ERR Command not allowed inside a transaction"));
  }
  if (isRedisWrite(spec) && replicationRole(context) !== "master") {
    return refused(context, readOnlyReplica);
  }
  // Copied: the arguments may be views of the connection's read buffer, reused once read.
  transaction.commands.push({
    spec,
    args: args.map((argument) => Buffer.from(argument)),
  });
  return queued;
}

/** A handler that threw: reported, and answered `-ERR internal error in '<name>'`. */
export function internalError(thrown: unknown, name: string, context: CommandContext): Reply {
  context.onInternalError?.(thrown, name);
  return error(`ERR internal error in '${name}'`);
}
