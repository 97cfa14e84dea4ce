/**
 * CONFIG GET / SET / RESETSTAT / REWRITE (https://redis.io/docs/latest/commands/config-get/) for
 * the parameters clients and tools ask for: redis-benchmark reads `save` and `appendonly`
 * (wire-protocols.md §2.2); `requirepass`, `min-replicas-to-write` and `min-replicas-max-lag` take
 * effect; the rest are reported with Redis's defaults (or onelog's fixed facts) and the mutable
 * ones are stored. CONFIG GET answers flat name/value pairs in RESP2 and a map in RESP3.
 */
import type { Reply } from "../reply.js";
import { bulk, error, map, ok } from "../reply.js";
import { arityError, text, upper } from "./arguments.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { globMatch } from "./glob.js";

interface Parameter {
  readonly default: string;
  /** CONFIG SET may change it. */
  readonly mutable: boolean;
  readonly integer?: boolean;
  readonly alias?: string;
}

const parameters: Record<string, Parameter> = {
  requirepass: { default: "", mutable: true },
  "min-replicas-to-write": {
    default: "0",
    mutable: true,
    integer: true,
    alias: "min-slaves-to-write",
  },
  "min-replicas-max-lag": {
    default: "10",
    mutable: true,
    integer: true,
    alias: "min-slaves-max-lag",
  },
  save: { default: "", mutable: true },
  appendonly: { default: "no", mutable: false },
  appendfsync: { default: "no", mutable: false },
  maxmemory: { default: "0", mutable: true, integer: true },
  "maxmemory-policy": { default: "noeviction", mutable: true },
  databases: { default: "1", mutable: false, integer: true },
  port: { default: "6379", mutable: false, integer: true },
  bind: { default: "127.0.0.1", mutable: false },
  dir: { default: ".", mutable: false },
  timeout: { default: "0", mutable: true, integer: true },
  "tcp-keepalive": { default: "300", mutable: true, integer: true },
  maxclients: { default: "10000", mutable: true, integer: true },
  "replica-read-only": { default: "yes", mutable: false, alias: "slave-read-only" },
  "replica-serve-stale-data": { default: "yes", mutable: false, alias: "slave-serve-stale-data" },
  "cluster-enabled": { default: "no", mutable: false },
  "notify-keyspace-events": { default: "", mutable: true },
  hz: { default: "10", mutable: true, integer: true },
  "proto-max-bulk-len": { default: "536870912", mutable: false, integer: true },
  "client-query-buffer-limit": { default: "1073741824", mutable: false, integer: true },
  "busy-reply-threshold": {
    default: "5000",
    mutable: true,
    integer: true,
    alias: "lua-time-limit",
  },
  "slowlog-log-slower-than": { default: "10000", mutable: true, integer: true },
  "slowlog-max-len": { default: "128", mutable: true, integer: true },
  "latency-tracking": { default: "no", mutable: true },
  "protected-mode": { default: "no", mutable: false },
};

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

/** `CONFIG SET name value [name value ...]`: all or nothing (redis/src/config.c configSetCommand). */
function configSet(args: readonly Buffer[], context: CommandContext): Reply {
  if (args.length < 4 || args.length % 2 !== 0) return arityError("config|set");
  const changes: Array<[string, string]> = [];
  for (let index = 2; index < args.length; index += 2) {
    const given = text(args[index] as Buffer).toLowerCase();
    const name = canonical(given);
    const value = text(args[index + 1] as Buffer);
    const parameter = parameters[name];
    if (parameter === undefined) {
      return error(`ERR Unknown option or number of arguments for CONFIG SET - '${given}'`);
    }
    if (!parameter.mutable) {
      return error(
        `ERR CONFIG SET failed (possibly related to argument '${given}') - can't set immutable config`,
      );
    }
    if (parameter.integer === true && !/^-?\d+$/.test(value)) {
      return error(
        `ERR CONFIG SET failed (possibly related to argument '${given}') - argument couldn't be parsed into an integer`,
      );
    }
    changes.push([name, value]);
  }
  for (const [name, value] of changes) context.state.settings.set(name, value);
  return ok;
}

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
    case "REWRITE":
      return error("ERR The server is running without a config file");
    default:
      return error(`ERR unknown subcommand '${text(args[1] as Buffer)}'. Try CONFIG HELP.`);
  }
}

export const configCommands: CommandSpec[] = [{ name: "config", arity: -2, handler: config }];
