/**
 * CLIENT ID | SETNAME | GETNAME | SETINFO | LIST | INFO | KILL | NO-EVICT | NO-TOUCH
 * (redis/src/networking.c clientCommand), over the node's client registry.
 */
import type { Reply } from "../reply.js";
import { bulk, error, integer, ok, verbatim } from "../reply.js";
import { helpReply, integerArgument, syntaxError, text, upper } from "./arguments.js";
import { badNameError } from "./connection.js";
import { type CommandContext, type CommandSpec, isSubscribed } from "./context.js";
import type { ClientRecord } from "./server_state.js";

const subArity = (sub: string): Reply =>
  error(`ERR wrong number of arguments for 'client|${sub}' command`);

/** One CLIENT LIST line, with Redis's fields (networking.c catClientInfoString). */
export function clientLine(record: ClientRecord, context: CommandContext): string {
  const nowMs = context.nowMs();
  const { session } = record;
  const ageSeconds = Math.floor((nowMs - record.connectedAtMs) / 1000);
  const idleSeconds = Math.floor((nowMs - record.lastInteractionAtMs) / 1000);
  const inMulti = session.transaction !== undefined;
  const blocked = context.state.blocked.isBlocked(session.clientId);
  const flags =
    `${isSubscribed(session) ? "P" : ""}${inMulti ? "x" : ""}${blocked ? "b" : ""}${session.readOnly ? "r" : ""}${session.noEvict ? "e" : ""}${session.noTouch ? "T" : ""}` ||
    "N";
  return [
    `id=${session.clientId}`,
    `addr=${record.address}`,
    `laddr=${record.localAddress}`,
    "fd=8",
    `name=${session.name ?? ""}`,
    `age=${ageSeconds}`,
    `idle=${idleSeconds}`,
    `flags=${flags}`,
    `db=0 sub=${session.channels.size} psub=${session.patterns.size} ssub=${session.shardChannels.size}`,
    `multi=${session.transaction?.commands.length ?? -1}`,
    "qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r",
    `cmd=${record.lastCommand}`,
    "user=default redir=-1",
    `resp=${session.protocol}`,
    `lib-name=${session.libraryName}`,
    `lib-ver=${session.libraryVersion}`,
  ].join(" ");
}

/** getClientTypeByName's names; a client of this listener is a pubsub one or a normal one. */
const clientTypes: readonly string[] = ["normal", "master", "replica", "slave", "pubsub"];

/** getClientType: subscribed clients are of type pubsub. */
const clientType = (record: ClientRecord): string =>
  isSubscribed(record.session) ? "pubsub" : "normal";

const clientHelp = [
  "ID",
  "    Answer the ID of this connection.",
  "GETNAME",
  "    Answer the name of this connection.",
  "SETNAME <name>",
  "    Name this connection.",
  "SETINFO (LIB-NAME|LIB-VER) <value>",
  "    Record the client library's name or version, shown by CLIENT LIST.",
  "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] | [ID <id> [<id> ...]]",
  "    Describe the connections, one line each.",
  "INFO",
  "    Describe this connection.",
  "KILL <ip:port>",
  "    Close the connection from <ip:port>.",
  "KILL <option> <value> [<option> <value> ...]",
  "    Close the connections that match every option: ID, ADDR, LADDR, TYPE, USER, SKIPME.",
  "NO-EVICT (ON|OFF)",
  "    Exempt this connection from client eviction (onelog evicts none).",
  "NO-TOUCH (ON|OFF)",
  "    Leave keys' access times alone for this connection's commands.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Unblock the client blocked in BLPOP or its kin, as if timed out or with an error.",
];

const infoText = (lines: string[]): Reply =>
  verbatim("txt", lines.map((line) => `${line}\n`).join(""));

function kill(args: readonly Buffer[], context: CommandContext): Reply {
  const { clients } = context.state;
  if (args.length === 3) {
    // The old form: CLIENT KILL addr:port.
    const address = text(args[2] as Buffer);
    const found = [...clients.values()].find((record) => record.address === address);
    if (found === undefined) return error("ERR No such client");
    killClient(found, context);
    return ok;
  }
  if (args.length % 2 !== 0) return syntaxError();
  const filters: Array<(record: ClientRecord) => boolean> = [];
  let skipMe = true;
  for (let index = 2; index < args.length; index += 2) {
    const option = upper(args[index] as Buffer);
    const value = text(args[index + 1] as Buffer);
    if (option === "ID") {
      const id = integerArgument(args[index + 1]);
      if (id === undefined || id < 1) return error("ERR client-id should be greater than 0");
      filters.push((record) => record.session.clientId === id);
    } else if (option === "ADDR") filters.push((record) => record.address === value);
    else if (option === "LADDR") filters.push((record) => record.localAddress === value);
    else if (option === "USER") filters.push(() => value === "default");
    else if (option === "TYPE") {
      const kind = value.toLowerCase();
      if (!clientTypes.includes(kind)) {
        return error(`ERR Unknown client type '${value}'`);
      }
      filters.push((record) => clientType(record) === kind);
    } else if (option === "SKIPME") {
      const answer = value.toLowerCase();
      if (answer !== "yes" && answer !== "no") return syntaxError();
      skipMe = answer === "yes";
    } else return syntaxError();
  }
  const victims = [...clients.values()].filter(
    (record) =>
      filters.every((filter) => filter(record)) &&
      !(skipMe && record.session.clientId === context.session.clientId),
  );
  for (const victim of victims) killClient(victim, context);
  return integer(victims.length);
}

/** CLIENT LIST [TYPE type | ID id ...] (clientCommand in networking.c). */
function list(args: readonly Buffer[], context: CommandContext): Reply {
  const { clients } = context.state;
  const option = args.length > 2 ? upper(args[2] as Buffer) : undefined;
  let records: ClientRecord[];
  if (args.length === 2) records = [...clients.values()];
  else if (args.length === 4 && option === "TYPE") {
    const type = text(args[3] as Buffer);
    if (!clientTypes.includes(type.toLowerCase()))
      return error(`ERR Unknown client type '${type}'`);
    const kind = type.toLowerCase();
    records = [...clients.values()].filter((record) => clientType(record) === kind);
  } else if (args.length > 3 && option === "ID") {
    records = [];
    for (const argument of args.slice(3)) {
      const id = integerArgument(argument);
      if (id === undefined) return error("ERR Invalid client ID");
      const found = clients.get(id);
      if (found !== undefined) records.push(found);
    }
  } else return syntaxError();
  return infoText(records.map((record) => clientLine(record, context)));
}

/** CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when the client was blocked (clientCommand). */
function unblock(args: readonly Buffer[], context: CommandContext): Reply {
  const id = integerArgument(args[2]);
  if (id === undefined) return error("ERR value is not an integer or out of range");
  const how = args[3] === undefined ? "TIMEOUT" : upper(args[3]);
  if (how !== "TIMEOUT" && how !== "ERROR") {
    return error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
  }
  const done = context.state.blocked.unblock(id, how === "TIMEOUT" ? "timeout" : "error");
  return integer(done ? 1 : 0);
}

/** Killing the caller itself closes it after this reply, as Redis does (CLIENT_CLOSE_AFTER_REPLY). */
function killClient(record: ClientRecord, context: CommandContext): void {
  if (record.session.clientId === context.session.clientId) context.session.closeAfterReply = true;
  else record.kill();
}

function onOff(args: readonly Buffer[], apply: (on: boolean) => void): Reply {
  const value = upper(args[2] as Buffer);
  if (value !== "ON" && value !== "OFF") return syntaxError();
  apply(value === "ON");
  return ok;
}

function client(args: readonly Buffer[], context: CommandContext): Reply {
  const sub = upper(args[1] as Buffer);
  const lower = sub.toLowerCase();
  const { session } = context;
  switch (sub) {
    case "SETNAME": {
      if (args.length !== 3) return subArity(lower);
      const name = text(args[2] as Buffer);
      if (/[^\x21-\x7e]/.test(name)) return badNameError();
      session.name = name === "" ? null : name;
      return ok;
    }
    case "GETNAME":
      return args.length === 2 ? bulk(session.name) : subArity(lower);
    case "ID":
      return args.length === 2 ? integer(session.clientId) : subArity(lower);
    case "SETINFO": {
      if (args.length !== 4) return subArity(lower);
      const attribute = upper(args[2] as Buffer);
      const value = text(args[3] as Buffer);
      if (/[^\x21-\x7e]/.test(value)) {
        return error(
          `ERR ${attribute.toLowerCase()} cannot contain spaces, newlines or special characters.`,
        );
      }
      if (attribute === "LIB-NAME") session.libraryName = value;
      else if (attribute === "LIB-VER") session.libraryVersion = value;
      else return error(`ERR Unrecognized option '${text(args[2] as Buffer)}'`);
      return ok;
    }
    case "LIST":
      return list(args, context);
    case "INFO": {
      if (args.length !== 2) return subArity(lower);
      const own = context.state.clients.get(session.clientId);
      return infoText(own === undefined ? [] : [clientLine(own, context)]);
    }
    case "KILL":
      return args.length < 3 ? subArity(lower) : kill(args, context);
    case "NO-EVICT":
      return args.length === 3
        ? onOff(args, (on) => {
            session.noEvict = on;
          })
        : subArity(lower);
    case "NO-TOUCH":
      return args.length === 3
        ? onOff(args, (on) => {
            session.noTouch = on;
          })
        : subArity(lower);
    case "UNBLOCK":
      return args.length === 3 || args.length === 4 ? unblock(args, context) : subArity(lower);
    case "HELP":
      return helpReply(args, clientHelp);
    default:
      return error(`ERR unknown subcommand '${text(args[1] as Buffer)}'. Try CLIENT HELP.`);
  }
}

export const clientCommands: CommandSpec[] = [
  { name: "client", arity: -2, hasSubcommands: true, handler: client },
];
