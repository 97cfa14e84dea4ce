/**
 * What clients send on connect and to check a connection (wire-protocols.md §2.2–2.3): PING,
 * HELLO, CLIENT SETNAME/GETNAME/ID/SETINFO, SELECT 0, COMMAND, READONLY/READWRITE and QUIT.
 */
import type { Reply } from "../reply.js";
import { array, bulk, error, integer, map, ok, simple } from "../reply.js";
import { arityError, syntaxError, text, upper } from "./arguments.js";
import type { CommandContext, CommandSpec } from "./context.js";

function ping(args: readonly Buffer[]): Reply {
  if (args.length > 2) return arityError("ping");
  const message = args[1];
  return message === undefined ? simple("PONG") : bulk(Buffer.from(message));
}

/** `HELLO [protover [AUTH user pass] [SETNAME name]]` (redis/src/networking.c helloCommand). */
function hello(args: readonly Buffer[], context: CommandContext): Reply {
  const { session } = context;
  let protocol = session.protocol;
  let index = 1;
  if (args.length > 1) {
    const version = Number(text(args[1] as Buffer));
    if (!/^-?\d+$/.test(text(args[1] as Buffer))) {
      return error("ERR Protocol version is not an integer or out of range");
    }
    if (version !== 2 && version !== 3) return error("NOPROTO unsupported protocol version");
    protocol = version;
    index = 2;
  }
  let name: string | undefined;
  for (; index < args.length; index++) {
    const option = upper(args[index] as Buffer);
    const remaining = args.length - index - 1;
    // No password is configured: any AUTH is accepted, as by Redis's default user with nopass.
    if (option === "AUTH" && remaining >= 2) index += 2;
    else if (option === "SETNAME" && remaining >= 1) {
      name = text(args[index + 1] as Buffer);
      if (/[\s]/.test(name))
        return error("ERR Client names cannot contain spaces, newlines or special characters.");
      index += 1;
    } else return error(`ERR Syntax error in HELLO option '${text(args[index] as Buffer)}'`);
  }
  session.protocol = protocol;
  if (name !== undefined) session.name = name;
  const role = context.store.topology().shards[0]?.role === "leader" ? "master" : "replica";
  return map([
    [bulk("server"), bulk("redis")],
    [bulk("version"), bulk(context.server.version)],
    [bulk("proto"), integer(protocol)],
    [bulk("id"), integer(session.clientId)],
    [bulk("mode"), bulk("standalone")],
    [bulk("role"), bulk(role)],
    [bulk("modules"), array([])],
  ]);
}

function client(args: readonly Buffer[], context: CommandContext): Reply {
  const sub = upper(args[1] as Buffer);
  switch (sub) {
    case "SETNAME": {
      if (args.length !== 3)
        return error("ERR wrong number of arguments for 'client|setname' command");
      const name = text(args[2] as Buffer);
      if (/[\s]/.test(name))
        return error("ERR Client names cannot contain spaces, newlines or special characters.");
      context.session.name = name === "" ? null : name;
      return ok;
    }
    case "GETNAME":
      return bulk(context.session.name);
    case "ID":
      return integer(context.session.clientId);
    case "SETINFO":
      return args.length === 4
        ? ok
        : error("ERR wrong number of arguments for 'client|setinfo' command");
    default:
      return error(`ERR unknown subcommand '${text(args[1] as Buffer)}'. Try CLIENT HELP.`);
  }
}

function select(args: readonly Buffer[]): Reply {
  const index = text(args[1] as Buffer);
  if (!/^-?\d+$/.test(index)) return error("ERR value is not an integer or out of range");
  return index === "0" ? ok : error("ERR DB index is out of range");
}

/** redis-cli asks for COMMAND DOCS in interactive mode; empty answers are fine (§2.3). */
function command(args: readonly Buffer[]): Reply {
  if (args.length === 1) return array([]);
  return upper(args[1] as Buffer) === "DOCS" ? map([]) : array([]);
}

function quit(_: readonly Buffer[], context: CommandContext): Reply {
  context.session.closeAfterReply = true;
  return ok;
}

const okCommand = (args: readonly Buffer[]): Reply => (args.length === 1 ? ok : syntaxError());

export const connectionCommands: CommandSpec[] = [
  { name: "ping", arity: -1, handler: ping },
  { name: "hello", arity: -1, handler: hello },
  { name: "client", arity: -2, handler: client },
  { name: "select", arity: 2, handler: select },
  { name: "command", arity: -1, handler: command },
  { name: "quit", arity: -1, handler: quit },
  { name: "readonly", arity: 1, handler: okCommand },
  { name: "readwrite", arity: 1, handler: okCommand },
];
