/**
 * COMMAND, COMMAND COUNT | INFO | DOCS | LIST | GETKEYS | HELP (redis/src/server.c
 * commandCommand): enough for redis-cli's interactive hints and for clients that look commands
 * up. An entry is Redis's ten-element array: name, arity, flags, first key, last key, step, ACL
 * categories, tips, key specs, subcommands.
 */
import type { Reply } from "../reply.js";
import { array, bulk, error, integer, map, set, simple } from "../reply.js";
import { arityAccepts, arityError, helpReply, syntaxError, text, upper } from "./arguments.js";
import { commandTable } from "./command_table.js";
import { type CommandSpec, isRedisWrite } from "./context.js";
import { globMatch } from "./glob.js";

function flags(spec: CommandSpec): Reply[] {
  const words: string[] = [];
  if (isRedisWrite(spec)) words.push("write", "denyoom");
  else if (spec.access === "read") words.push("readonly");
  if (spec.noAuth === true) words.push("noauth");
  words.push("fast");
  return words.map(simple);
}

function entry(spec: CommandSpec): Reply {
  const [first, last, step] = spec.keys ?? [0, 0, 0];
  return array([
    bulk(spec.name),
    integer(spec.arity),
    set(flags(spec)),
    integer(first),
    integer(last),
    integer(step),
    set([]),
    array([]),
    array([]),
    array([]),
  ]);
}

function docs(spec: CommandSpec): Reply {
  const group = spec.name.startsWith("ol.")
    ? "onelog"
    : spec.access === undefined
      ? "server"
      : "generic";
  return map([
    [bulk("summary"), bulk(`${spec.name.toUpperCase()} (onelog)`)],
    [bulk("since"), bulk("1.0.0")],
    [bulk("group"), bulk(group)],
  ]);
}

/** The arity of each COMMAND subcommand (Redis's command table: `command|count` is 2, ...). */
const subcommandArity: Readonly<Record<string, number>> = {
  COUNT: 2,
  DOCS: -2,
  GETKEYS: -4,
  HELP: 2,
  INFO: -2,
  LIST: -2,
};

const commandHelp = [
  "(no subcommand)",
  "    Describe every command.",
  "COUNT",
  "    Answer how many commands there are.",
  "DOCS [<command-name> ...]",
  "    Document the commands named, or every command.",
  "GETKEYS <full-command>",
  "    Answer the keys that <full-command> names.",
  "INFO [<command-name> ...]",
  "    Describe the commands named, or every command.",
  "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
  "    Name every command, or those that match the filter.",
];

function command(args: readonly Buffer[]): Reply {
  const table = commandTable();
  if (args.length === 1) return array([...table.values()].map(entry));
  const sub = upper(args[1] as Buffer);
  const arity = subcommandArity[sub];
  if (arity === undefined) {
    return error(`ERR unknown subcommand '${text(args[1] as Buffer)}'. Try COMMAND HELP.`);
  }
  if (!arityAccepts(arity, args.length)) {
    return arityError(`command|${sub.toLowerCase()}`);
  }
  const named = args.slice(2).map((arg) => text(arg).toLowerCase());
  switch (sub) {
    case "COUNT":
      return integer(table.size);
    case "LIST":
      return list(args, table);
    case "INFO": {
      const specs = named.length === 0 ? [...table.values()] : named.map((name) => table.get(name));
      return array(specs.map((spec) => (spec === undefined ? bulk(null) : entry(spec))));
    }
    case "DOCS": {
      const specs =
        named.length === 0 ? [...table.values()] : named.flatMap((name) => table.get(name) ?? []);
      return map(specs.map((spec) => [bulk(spec.name), docs(spec)]));
    }
    case "GETKEYS":
      return getKeys(args.slice(2), table);
    default:
      // HELP, the one subcommand left in subcommandArity.
      return helpReply(args, commandHelp);
  }
}

/**
 * COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern] (commandListCommand):
 * no module is loaded and no command carries ACL categories here (COMMAND INFO shows none), so
 * those two filters match nothing.
 */
function list(args: readonly Buffer[], table: ReadonlyMap<string, CommandSpec>): Reply {
  let names = [...table.keys()];
  if (args.length > 2) {
    const filter = args.length === 5 ? upper(args[3] as Buffer) : undefined;
    if (upper(args[2] as Buffer) !== "FILTERBY" || filter === undefined) return syntaxError();
    if (filter === "PATTERN") {
      const pattern = text(args[4] as Buffer);
      names = names.filter((name) => globMatch(pattern, name, true));
    } else if (filter === "MODULE" || filter === "ACLCAT") names = [];
    else return syntaxError();
  }
  return array(names.map((name) => bulk(name)));
}

/** COMMAND GETKEYS command arg ... (getKeysSubcommandImpl): the keys by the command's key range. */
function getKeys(command: readonly Buffer[], table: ReadonlyMap<string, CommandSpec>): Reply {
  const spec = table.get(text(command[0] as Buffer).toLowerCase());
  if (spec === undefined) return error("ERR Invalid command specified");
  const [first, last, step] = spec.keys ?? [0, 0, 0];
  if (first === 0) return error("ERR The command has no key arguments");
  const given = command.length;
  if (!arityAccepts(spec.arity, given)) {
    return error("ERR Invalid number of arguments specified for command");
  }
  const end = last < 0 ? given + last : Math.min(last, given - 1);
  const keys: Reply[] = [];
  for (let index = first; index <= end; index += step) keys.push(bulk(command[index] as Buffer));
  return keys.length === 0 ? error("ERR Invalid arguments specified for command") : array(keys);
}

export const commandInfoCommands: CommandSpec[] = [
  { name: "command", arity: -1, hasSubcommands: true, handler: command },
];
