/**
 * The command table and dispatch: name lookup (case-insensitive), Redis's arity check and error
 * texts (redis/src/server.c processCommand), then the handler. A handler that throws is a bug;
 * the client gets `-ERR` and the connection lives on, so bad input never takes a node down.
 */
import type { Reply } from "../reply.js";
import { error } from "../reply.js";
import { arityError, text } from "./arguments.js";
import { connectionCommands } from "./connection.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { infoCommands } from "./info.js";
import { olReadCommands } from "./ol_reads.js";
import { olWriteCommands } from "./ol_writes.js";
import { stringCommands } from "./strings.js";

const table = new Map<string, CommandSpec>(
  [
    ...connectionCommands,
    ...infoCommands,
    ...stringCommands,
    ...olWriteCommands,
    ...olReadCommands,
  ].map((spec) => [spec.name, spec]),
);

export const commandNames = (): string[] => [...table.keys()];

/** How a command touches the data (CommandSpec.access); unknown commands touch none. */
export function commandAccess(args: readonly Buffer[]): "write" | "read" | undefined {
  const name = args[0] === undefined ? "" : text(args[0]).toLowerCase();
  return table.get(name)?.access;
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
  const spec = table.get(name);
  if (spec === undefined) return unknownCommand(args);
  const arityOk = spec.arity >= 0 ? args.length === spec.arity : args.length >= -spec.arity;
  if (!arityOk) return arityError(name);
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
