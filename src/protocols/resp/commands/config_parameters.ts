/**
 * The CONFIG parameters the face knows, with Redis's defaults, bounds and value checks
 * (redis/src/config.c standardConfig table, numericParseString, memtoull,
 * setConfigSaveOption), so that CONFIG SET answers what Redis answers. Values are stored as
 * CONFIG GET shows them: memory in bytes, yes/no and enum names in lower case.
 */
import { unreachable } from "../../../util/assert.js";

/** The bounds of Redis's integer configs (INT_MAX, UINT_MAX, LLONG_MAX), exact. */
const intMax = 2_147_483_647n;
const uintMax = 4_294_967_295n;
const longMax = 9_223_372_036_854_775_807n;

type Kind =
  | { kind: "integer"; min: bigint; max: bigint }
  | { kind: "memory" }
  | { kind: "boolean" }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "save" }
  | { kind: "string" };

export interface Parameter {
  readonly default: string;
  /** CONFIG SET may change it. */
  readonly mutable: boolean;
  readonly type: Kind;
  readonly alias?: string;
}

const integer = (min: bigint, max: bigint): Kind => ({ kind: "integer", min, max });
const text: Kind = { kind: "string" };
const boolean: Kind = { kind: "boolean" };

export const parameters: Record<string, Parameter> = {
  requirepass: { default: "", mutable: true, type: text },
  "min-replicas-to-write": {
    default: "0",
    mutable: true,
    type: integer(0n, intMax),
    alias: "min-slaves-to-write",
  },
  "min-replicas-max-lag": {
    default: "10",
    mutable: true,
    type: integer(0n, intMax),
    alias: "min-slaves-max-lag",
  },
  save: { default: "", mutable: true, type: { kind: "save" } },
  appendonly: { default: "no", mutable: false, type: boolean },
  appendfsync: {
    default: "no",
    mutable: false,
    type: { kind: "enum", values: ["always", "everysec", "no"] },
  },
  maxmemory: { default: "0", mutable: true, type: { kind: "memory" } },
  "maxmemory-policy": {
    default: "noeviction",
    mutable: true,
    type: {
      kind: "enum",
      values: [
        "volatile-lru",
        "volatile-lfu",
        "volatile-random",
        "volatile-ttl",
        "allkeys-lru",
        "allkeys-lfu",
        "allkeys-random",
        "noeviction",
      ],
    },
  },
  databases: { default: "1", mutable: false, type: integer(1n, intMax) },
  port: { default: "6379", mutable: false, type: integer(0n, 65_535n) },
  bind: { default: "127.0.0.1", mutable: false, type: text },
  dir: { default: ".", mutable: false, type: text },
  timeout: { default: "0", mutable: true, type: integer(0n, intMax) },
  "tcp-keepalive": { default: "300", mutable: true, type: integer(0n, intMax) },
  maxclients: { default: "10000", mutable: true, type: integer(1n, uintMax) },
  "replica-read-only": { default: "yes", mutable: false, type: boolean, alias: "slave-read-only" },
  "replica-serve-stale-data": {
    default: "yes",
    mutable: false,
    type: boolean,
    alias: "slave-serve-stale-data",
  },
  "cluster-enabled": { default: "no", mutable: false, type: boolean },
  "notify-keyspace-events": { default: "", mutable: true, type: text },
  hz: { default: "10", mutable: true, type: integer(0n, intMax) },
  // Redis: 1..INT_MAX seconds (config.c); a replica silent this long is dropped.
  "repl-timeout": { default: "60", mutable: true, type: integer(1n, intMax) },
  "proto-max-bulk-len": { default: "536870912", mutable: false, type: { kind: "memory" } },
  "client-query-buffer-limit": {
    default: "1073741824",
    mutable: false,
    type: { kind: "memory" },
  },
  "busy-reply-threshold": {
    default: "5000",
    mutable: true,
    type: integer(0n, longMax),
    alias: "lua-time-limit",
  },
  "slowlog-log-slower-than": { default: "10000", mutable: true, type: integer(-1n, longMax) },
  "slowlog-max-len": { default: "128", mutable: true, type: integer(0n, longMax) },
  "latency-tracking": { default: "no", mutable: true, type: boolean },
  "protected-mode": { default: "no", mutable: false, type: boolean },
};

/** Redis's string2ll text: an optional `-`, no `+`, spaces or leading zeros. */
const strictInteger = /^(0|-?[1-9][0-9]*)$/;

/** memtoull's units: a plain count of bytes, or k/m/g (powers of 1000) and kb/mb/gb (of 1024). */
const memoryUnits: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 ** 2,
  mb: 1024 ** 2,
  g: 1000 ** 3,
  gb: 1024 ** 3,
};

/** The value as CONFIG GET will show it, or the reason Redis gives for refusing it. */
export type Checked = { kind: "ok"; value: string } | { kind: "invalid"; reason: string };

export function checkValue(parameter: Parameter, value: string): Checked {
  const type = parameter.type;
  switch (type.kind) {
    case "string":
      return { kind: "ok", value };
    case "integer": {
      if (!strictInteger.test(value)) {
        return { kind: "invalid", reason: "argument couldn't be parsed into an integer" };
      }
      const number = BigInt(value);
      if (number < type.min || number > type.max) {
        return {
          kind: "invalid",
          reason: `argument must be between ${type.min} and ${type.max} inclusive`,
        };
      }
      return { kind: "ok", value };
    }
    case "memory": {
      const match = /^(0|[1-9][0-9]*)([a-z]*)$/i.exec(value);
      const unit = memoryUnits[match?.[2]?.toLowerCase() ?? "?"];
      if (match === null || unit === undefined) {
        return { kind: "invalid", reason: "argument must be a memory value" };
      }
      return { kind: "ok", value: String(Number(match[1]) * unit) };
    }
    case "boolean": {
      const lower = value.toLowerCase();
      return lower === "yes" || lower === "no"
        ? { kind: "ok", value: lower }
        : { kind: "invalid", reason: "argument must be 'yes' or 'no'" };
    }
    case "enum": {
      const lower = value.toLowerCase();
      return type.values.includes(lower)
        ? { kind: "ok", value: lower }
        : {
            kind: "invalid",
            reason: `argument(s) must be one of the following: ${type.values.join(", ")}`,
          };
    }
    case "save":
      return saveValid(value)
        ? { kind: "ok", value }
        : { kind: "invalid", reason: "Invalid save parameters" };
    default:
      return unreachable(type);
  }
}

/** `seconds changes [seconds changes ...]`, seconds at least 1 (setConfigSaveOption). */
function saveValid(value: string): boolean {
  if (value === "") return true;
  const numbers = value.split(" ");
  if (numbers.length % 2 !== 0) return false;
  return numbers.every(
    (number, index) => /^[+-]?[0-9]+$/.test(number) && Number(number) >= (index % 2 === 0 ? 1 : 0),
  );
}
