/**
 * Dispatch: name lookup (case-insensitive), the password check, Redis's arity check and error
 * texts (redis/src/server.c processCommand), then the handler. A handler that throws is a bug;
 * the client gets `-ERR` and the connection lives on, so bad input never takes a node down.
 */
import type { Reply } from "../reply.js";
import { error } from "../reply.js";
import { arityError, text } from "./arguments.js";
import { noAuth } from "./auth.js";
import { commandTable } from "./command_table.js";
import type { CommandContext } from "./context.js";

export const commandNames = (): string[] => [...commandTable().keys()];

/** How a command touches the data (CommandSpec.access); unknown commands touch none. */
export function commandAccess(args: readonly Buffer[]): "write" | "read" | undefined {
  const name = args[0] === undefined ? "" : text(args[0]).toLowerCase();
  return commandTable().get(name)?.access;
}

/**
 * The name CLIENT LIST shows in `cmd`: Redis's full name, `client|list` for a subcommand
 * (networking.c catClientInfoString, `lastcmd->fullname`).
 */
export function commandFullName(args: readonly Buffer[]): string {
  const name = args[0] === undefined ? "" : text(args[0]).toLowerCase();
  const sub = args[1];
  if (commandTable().get(name)?.hasSubcommands !== true || sub === undefined) return name;
  return `${name}|${text(sub).toLowerCase()}`;
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

export type InternalErrorSink = (error: unknown, command: string) => void;

/** Runs one command; never throws and never rejects. */
export function dispatch(
  args: readonly Buffer[],
  context: CommandContext,
  onInternalError: InternalErrorSink = () => {},
): Reply | Promise<Reply> {
  if (args.length === 0) return error("ERR empty command");
  const name = text(args[0] as Buffer).toLowerCase();
  const spec = commandTable().get(name);
  context.state.stats.commandsProcessed++;
  // Redis checks existence, then arity, then authentication (server.c processCommand).
  if (spec === undefined) return unknownCommand(args);
  const arityOk = spec.arity >= 0 ? args.length === spec.arity : args.length >= -spec.arity;
  if (!arityOk) return arityError(name);
  if (!context.session.authenticated && spec.noAuth !== true) return noAuth();
  const failed = (thrown: unknown): Reply => {
    onInternalError(thrown, name);
    return error(`ERR internal error in '${name}'`);
  };
  try {
    const reply = spec.handler(args, context);
    return reply instanceof Promise ? reply.catch(failed) : reply;
  } catch (thrown) {
    return failed(thrown);
  }
}
