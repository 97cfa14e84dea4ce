/**
 * Dispatch: name lookup (case-insensitive), the password check, Redis's arity check and error
 * texts (redis/src/server.c processCommand), then the handler. A handler that throws is a bug;
 * the client gets `-ERR` and the connection lives on, so bad input never takes a node down.
 */
import type { Reply } from "../reply.js";
import { error } from "../reply.js";
import { arityAccepts, arityError, text } from "./arguments.js";
import { noAuth } from "./auth.js";
import { commandTable } from "./command_table.js";
import type { CommandContext, CommandSpec } from "./context.js";

export const commandNames = (): string[] => [...commandTable().keys()];

let byName: Map<string, CommandSpec> | undefined;

/**
 * The command `args` names, case-insensitive: found under the name as sent when it is all lower
 * or all upper case, as clients send it, else lower-cased first. Looked up once per command.
 */
export function findCommand(args: readonly Buffer[]): CommandSpec | undefined {
  const first = args[0];
  if (first === undefined) return undefined;
  if (byName === undefined) {
    byName = new Map();
    for (const spec of commandTable().values()) {
      byName.set(spec.name, spec);
      byName.set(spec.name.toUpperCase(), spec);
    }
  }
  const name = text(first);
  return byName.get(name) ?? byName.get(name.toLowerCase());
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

export type InternalErrorSink = (error: unknown, command: string) => void;

/** Runs one command (`spec`: findCommand's answer, when the caller has it); never throws or rejects. */
export function dispatch(
  args: readonly Buffer[],
  context: CommandContext,
  onInternalError: InternalErrorSink = () => {},
  spec: CommandSpec | undefined = findCommand(args),
): Reply | Promise<Reply> {
  if (args.length === 0) return error("ERR empty command");
  context.state.stats.commandsProcessed++;
  // Redis checks existence, then arity, then authentication (server.c processCommand).
  if (spec === undefined) return unknownCommand(args);
  const name = spec.name;
  if (!arityAccepts(spec.arity, args.length)) return arityError(name);
  if (!context.session.authenticated && spec.noAuth !== true) return noAuth();
  try {
    const reply = spec.handler(args, context);
    if (!(reply instanceof Promise)) return reply;
    return reply.catch((thrown: unknown) => internalError(thrown, name, onInternalError));
  } catch (thrown) {
    return internalError(thrown, name, onInternalError);
  }
}

function internalError(thrown: unknown, name: string, onInternalError: InternalErrorSink): Reply {
  onInternalError(thrown, name);
  return error(`ERR internal error in '${name}'`);
}
