/**
 * CONFIG GET / SET / RESETSTAT / REWRITE (https://redis.io/docs/latest/commands/config-get/) for
 * the parameters clients and tools ask for: redis-benchmark reads `save` and `appendonly`
 * (wire-protocols.md §2.2); `requirepass`, `min-replicas-to-write` and `min-replicas-max-lag` take
 * effect; the rest are reported with Redis's defaults (or onelog's fixed facts) and the mutable
 * ones are stored. CONFIG GET answers flat name/value pairs in RESP2 and a map in RESP3.
 */
import type { Reply } from "../reply.js";
import { bulk, error, map, ok } from "../reply.js";
import { arityError, helpReply, syntaxError, text, upper } from "./arguments.js";
import { checkValue, type Parameter, parameters } from "./config_parameters.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { globMatch } from "./glob.js";

const aliases = new Map(
  Object.entries(parameters).flatMap(([name, parameter]) =>
    parameter.alias === undefined ? [] : [[parameter.alias, name] as const],
  ),
);

const canonical = (name: string): string => aliases.get(name) ?? name;

function current(context: CommandContext, name: string): string {
  return context.state.settings.get(name) ?? parameters[name]?.default ?? "";
}

function configGet(args: readonly Buffer[], context: CommandContext): Reply {
  if (args.length < 3) return arityError("config|get");
  const found = new Map<string, string>();
  for (const argument of args.slice(2)) {
    const pattern = text(argument).toLowerCase();
    for (const [name, parameter] of Object.entries(parameters)) {
      const names = parameter.alias === undefined ? [name] : [name, parameter.alias];
      for (const shown of names) {
        if (globMatch(pattern, shown, true)) found.set(shown, current(context, name));
      }
    }
  }
  return map([...found].map(([name, value]) => [bulk(name), bulk(value)]));
}

const setFailed = (given: string, reason: string): Reply =>
  error(`ERR CONFIG SET failed (possibly related to argument '${given}') - ${reason}`);

/**
 * `CONFIG SET name value [name value ...]`, all or nothing, checking every name before any
 * value, as redis/src/config.c configSetCommand does.
 */
function configSet(args: readonly Buffer[], context: CommandContext): Reply {
  if (args.length < 4) return arityError("config|set");
  if (args.length % 2 !== 0) return syntaxError();
  const named: Array<{ given: string; name: string; parameter: Parameter; value: string }> = [];
  for (let index = 2; index < args.length; index += 2) {
    const given = text(args[index] as Buffer).toLowerCase();
    const name = canonical(given);
    const parameter = parameters[name];
    if (parameter === undefined) {
      return error(`ERR Unknown option or number of arguments for CONFIG SET - '${given}'`);
    }
    if (!parameter.mutable) return setFailed(given, "can't set immutable config");
    if (named.some((earlier) => earlier.name === name)) {
      return setFailed(given, "duplicate parameter");
    }
    named.push({ given, name, parameter, value: text(args[index + 1] as Buffer) });
  }
  const changes: Array<[string, string]> = [];
  for (const { given, name, parameter, value } of named) {
    const checked = checkValue(parameter, value);
    if (checked.kind === "invalid") return setFailed(given, checked.reason);
    changes.push([name, checked.value]);
  }
  for (const [name, value] of changes) context.state.settings.set(name, value);
  return ok;
}

const configHelp = [
  "GET <pattern> [<pattern> ...]",
  "    Answer the parameters whose names match a glob-style <pattern>, with their values.",
  "SET <parameter> <value> [<parameter> <value> ...]",
  "    Change parameters, all or none.",
  "RESETSTAT",
  "    Zero the counters INFO stats reports.",
];

function config(args: readonly Buffer[], context: CommandContext): Reply {
  const sub = upper(args[1] as Buffer);
  switch (sub) {
    case "GET":
      return configGet(args, context);
    case "SET":
      return configSet(args, context);
    case "RESETSTAT":
      if (args.length !== 2) return arityError("config|resetstat");
      context.state.resetStats();
      return ok;
    case "HELP":
      return helpReply(args, configHelp);
    case "REWRITE":
      if (args.length !== 2) return arityError("config|rewrite");
      return error("ERR The server is running without a config file");
    default:
      return error(`ERR unknown subcommand '${text(args[1] as Buffer)}'. Try CONFIG HELP.`);
  }
}

export const configCommands: CommandSpec[] = [
  { name: "config", arity: -2, hasSubcommands: true, handler: config },
];
