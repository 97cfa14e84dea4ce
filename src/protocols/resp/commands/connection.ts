/**
 * Connection commands (redis/src/networking.c, server.c): PING, ECHO, HELLO, SELECT (database 0
 * only), QUIT, RESET, READONLY/READWRITE, TIME and DEBUG SLEEP. CLIENT is in client.ts, AUTH in
 * auth.ts.
 */
import type { Reply } from "../reply.js";
import { array, bulk, error, integer, map, ok, simple } from "../reply.js";
import { arityError, integerArgument, text, upper } from "./arguments.js";
import { credentialsValid, wrongPass } from "./auth.js";
import { type CommandContext, type CommandSpec, isSubscribed } from "./context.js";
import { replicationRole } from "./replication_view.js";

/** PING; a RESP2 connection with subscriptions gets `[pong, message]` (pingCommand). */
function ping(args: readonly Buffer[], context: CommandContext): Reply {
  if (args.length > 2) return arityError("ping");
  const message = args[1];
  if (context.session.protocol === 2 && isSubscribed(context.session)) {
    return array([bulk("pong"), bulk(message === undefined ? "" : Buffer.from(message))]);
  }
  return message === undefined ? simple("PONG") : bulk(Buffer.from(message));
}

const echo = (args: readonly Buffer[]): Reply => bulk(Buffer.from(args[1] as Buffer));

const badName = (name: string): boolean => /[^\x21-\x7e]/.test(name);
export const badNameError = (): Reply =>
  error("ERR Client names cannot contain spaces, newlines or special characters.");

/** `HELLO [protover [AUTH user pass] [SETNAME name]]` (redis/src/networking.c helloCommand). */
function hello(args: readonly Buffer[], context: CommandContext): Reply {
  const { session } = context;
  let protocol = session.protocol;
  let index = 1;
  if (args.length > 1) {
    const version = integerArgument(args[1]);
    if (version === undefined) {
      return error("ERR Protocol version is not an integer or out of range");
    }
    if (version !== 2 && version !== 3) return error("NOPROTO unsupported protocol version");
    protocol = version;
    index = 2;
  }
  let name: string | undefined;
  let credentials: [string, string] | undefined;
  for (; index < args.length; index++) {
    const option = upper(args[index] as Buffer);
    const remaining = args.length - index - 1;
    if (option === "AUTH" && remaining >= 2) {
      credentials = [text(args[index + 1] as Buffer), text(args[index + 2] as Buffer)];
      index += 2;
    } else if (option === "SETNAME" && remaining >= 1) {
      name = text(args[index + 1] as Buffer);
      if (badName(name)) return badNameError();
      index += 1;
    } else return error(`ERR Syntax error in HELLO option '${text(args[index] as Buffer)}'`);
  }
  if (credentials !== undefined) {
    if (!credentialsValid(context, ...credentials)) return wrongPass();
    session.authenticated = true;
  }
  if (!session.authenticated) {
    return error(
      "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
    );
  }
  session.protocol = protocol;
  if (name !== undefined) session.name = name === "" ? null : name;
  return map([
    [bulk("server"), bulk("redis")],
    [bulk("version"), bulk(context.server.version)],
    [bulk("proto"), integer(protocol)],
    [bulk("id"), integer(session.clientId)],
    [bulk("mode"), bulk("standalone")],
    [bulk("role"), bulk(replicationRole(context) === "master" ? "master" : "replica")],
    [bulk("modules"), array([])],
  ]);
}

function select(args: readonly Buffer[]): Reply {
  const index = integerArgument(args[1]);
  if (index === undefined) return error("ERR value is not an integer or out of range");
  return index === 0 ? ok : error("ERR DB index is out of range");
}

function quit(_: readonly Buffer[], context: CommandContext): Reply {
  context.session.closeAfterReply = true;
  return ok;
}

/** RESET (networking.c resetCommand): back to a fresh connection's state, answered `+RESET`. */
function reset(_: readonly Buffer[], context: CommandContext): Reply {
  const { session } = context;
  session.protocol = 2;
  session.name = null;
  session.readOnly = false;
  session.noEvict = false;
  session.noTouch = false;
  session.transaction = undefined;
  session.watched.clear();
  context.state.pubsub.forget(context.subscriber);
  session.authenticated = context.state.requirePassword === "";
  return simple("RESET");
}

function readOnlyMode(readOnly: boolean) {
  return (_: readonly Buffer[], context: CommandContext): Reply => {
    context.session.readOnly = readOnly;
    return ok;
  };
}

/** TIME: `[seconds, microseconds]` as bulk strings (server.c timeCommand). */
function time(_: readonly Buffer[], context: CommandContext): Reply {
  const nowMs = context.nowMs();
  const seconds = Math.floor(nowMs / 1000);
  const micros = Math.floor((nowMs - seconds * 1000) * 1000);
  return array([bulk(String(seconds)), bulk(String(micros))]);
}

/** DEBUG SLEEP seconds (debug.c): redis-benchmark and test suites use `DEBUG SLEEP 0`. */
async function debug(args: readonly Buffer[]): Promise<Reply> {
  const sub = upper(args[1] as Buffer);
  if (sub !== "SLEEP" || args.length !== 3) {
    return error(`ERR unknown subcommand '${text(args[1] as Buffer)}'. Try DEBUG HELP.`);
  }
  const seconds = Number(text(args[2] as Buffer));
  if (!Number.isFinite(seconds) || seconds < 0) return error("ERR value is not a valid float");
  const sleepMs = Math.min(seconds * 1000, 60_000);
  if (sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, sleepMs));
  return ok;
}

export const connectionCommands: CommandSpec[] = [
  { name: "ping", arity: -1, handler: ping },
  { name: "echo", arity: 2, handler: echo },
  { name: "hello", arity: -1, noAuth: true, handler: hello },
  { name: "select", arity: 2, handler: select },
  { name: "quit", arity: -1, noAuth: true, inTransaction: "runs", handler: quit },
  { name: "reset", arity: 1, noAuth: true, inTransaction: "runs", handler: reset },
  { name: "readonly", arity: 1, handler: readOnlyMode(true) },
  { name: "readwrite", arity: 1, handler: readOnlyMode(false) },
  { name: "time", arity: 1, handler: time },
  { name: "debug", arity: -2, handler: debug },
];
