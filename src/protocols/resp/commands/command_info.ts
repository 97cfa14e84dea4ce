/**
 * COMMAND, COMMAND COUNT | INFO | DOCS | LIST (redis/src/server.c commandCommand): enough for
 * redis-cli's interactive hints and for clients that look commands up. An entry is Redis's
 * ten-element array: name, arity, flags, first key, last key, step, ACL categories, tips, key
 * specs, subcommands.
 */
import type { Reply } from "../reply.js";
import { array, bulk, error, integer, map, set, simple } from "../reply.js";
import { text, upper } from "./arguments.js";
import { commandTable } from "./command_table.js";
import type { CommandSpec } from "./context.js";

function flags(spec: CommandSpec): Reply[] {
  const words: string[] = [];
  if (spec.access === "write") words.push("write", "denyoom");
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

function command(args: readonly Buffer[]): Reply {
  const table = commandTable();
  if (args.length === 1) return array([...table.values()].map(entry));
  const sub = upper(args[1] as Buffer);
  const named = args.slice(2).map((arg) => text(arg).toLowerCase());
  switch (sub) {
    case "COUNT":
      return integer(table.size);
    case "LIST":
      return array([...table.keys()].map((name) => bulk(name)));
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
      return error("ERR The command has no key arguments");
    default:
      return error(`ERR unknown subcommand '${text(args[1] as Buffer)}'. Try COMMAND HELP.`);
  }
}

export const commandInfoCommands: CommandSpec[] = [
  { name: "command", arity: -1, hasSubcommands: true, handler: command },
];
