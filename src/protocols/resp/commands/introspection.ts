/**
 * OBJECT and MEMORY USAGE (redis/src/object.c), which tools such as `redis-cli --memkeys` and
 * RedisInsight ask of each key. onelog keeps its own representations, so these answer as Redis
 * 7.4 would for the value as it stands:
 * - OBJECT ENCODING follows Redis's size rules (a canonical 64-bit integer string is `int`, one
 *   of at most 44 bytes `embstr`; a hash or sorted set of at most 128 entries of at most 64 bytes
 *   `listpack`; a set of at most 512 integers `intset`, of at most 128 short members `listpack`;
 *   a list of at most 8 KiB `listpack`), not Redis's history: Redis never converts a grown value
 *   back, onelog answers by the current size.
 * - OBJECT REFCOUNT is 1, or Redis's shared-object count for the integers 0 to 9999; IDLETIME is
 *   0 (onelog tracks no access times); FREQ is Redis's error under its default eviction policy.
 * - MEMORY USAGE is an estimate (key, elements and a fixed overhead each), not an allocator's
 *   count.
 */
import type { Value } from "../../../api/index.js";
import { parseRedisInteger } from "../parse_integer.js";
import type { Reply } from "../reply.js";
import { bulk, error, integer, nullReply } from "../reply.js";
import { arityError, helpReply, integerArgument, syntaxError, text, upper } from "./arguments.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { readReply } from "./redis_access.js";

/** Redis's small-value bounds (hash-/zset-max-listpack-entries, -value, set-max-intset-entries). */
const listpackEntries = 128;
const listpackValueBytes = 64;
const intsetEntries = 512;
/** list-max-listpack-size -2: 8 KiB. */
const listListpackBytes = 8 * 1024;
/** Redis's OBJ_SHARED_REFCOUNT, the count of its shared integers 0 to 9999. */
const sharedRefcount = 2_147_483_647;

const isInteger = (data: string): boolean =>
  data.length <= 20 && parseRedisInteger(Buffer.from(data, "latin1"), 0, data.length) !== undefined;

/** At most `listpackEntries` entries, each of whose strings fits a listpack entry. */
const fitsListpack = (entries: number, strings: readonly string[]): boolean =>
  entries <= listpackEntries && strings.every((each) => each.length <= listpackValueBytes);

export function encodingOf(value: Value): string {
  switch (value.type) {
    case "string":
      if (isInteger(value.data)) return "int";
      return value.data.length <= 44 ? "embstr" : "raw";
    case "list": {
      const bytes = value.items.reduce((sum, item) => sum + item.length + 2, 0);
      return bytes <= listListpackBytes ? "listpack" : "quicklist";
    }
    case "hash":
      return fitsListpack(value.fields.length, value.fields.flat()) ? "listpack" : "hashtable";
    case "set":
      if (value.members.length <= intsetEntries && value.members.every(isInteger)) return "intset";
      return fitsListpack(value.members.length, value.members) ? "listpack" : "hashtable";
    case "zset": {
      const members = value.entries.map(([member]) => member);
      return fitsListpack(members.length, members) ? "listpack" : "skiplist";
    }
  }
}

function refcountOf(value: Value): number {
  if (value.type !== "string" || !isInteger(value.data)) return 1;
  const number = Number(value.data);
  return number >= 0 && number < 10_000 ? sharedRefcount : 1;
}

/** Bytes: the key, each element with 16 of overhead, and 48 for the key's entry and object. */
function estimatedBytes(key: string, value: Value): number {
  const elements: readonly string[] =
    value.type === "string"
      ? [value.data]
      : value.type === "list"
        ? value.items
        : value.type === "hash"
          ? value.fields.flat()
          : value.type === "set"
            ? value.members
            : value.entries.map(([member]) => `${member}12345678`);
  return 48 + key.length + elements.reduce((sum, element) => sum + element.length + 16, 0);
}

/** Reads the key's value; `render` answers for a present one, nil for an absent one. */
function ofValue(
  context: CommandContext,
  key: string,
  render: (value: Value) => Reply,
): Reply | Promise<Reply> {
  return readReply(context, { kind: "get", key }, (result) =>
    result.value === null ? nullReply : render(result.value),
  );
}

const objectHelp = [
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
];

const noLfu = error(
  "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
);

/** OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP (objectCommand). */
function object(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const sub = upper(args[1] as Buffer);
  if (sub === "HELP") return helpReply(args, objectHelp);
  if (!["ENCODING", "REFCOUNT", "IDLETIME", "FREQ"].includes(sub)) {
    return error(`ERR unknown subcommand '${text(args[1] as Buffer)}'. Try OBJECT HELP.`);
  }
  if (args.length !== 3) return arityError(`object|${sub.toLowerCase()}`);
  return ofValue(context, text(args[2] as Buffer), (value) => {
    if (sub === "ENCODING") return bulk(encodingOf(value));
    if (sub === "REFCOUNT") return integer(refcountOf(value));
    return sub === "IDLETIME" ? integer(0) : noLfu;
  });
}

const memoryHelp = [
  "USAGE <key> [SAMPLES <count>]",
  "    Return memory in bytes used by <key> and its value. Nested values are",
  "    sampled up to <count> times (default: 5, 0 means sample all).",
];

/** MEMORY USAGE key [SAMPLES count] | HELP (memoryCommand): every element is counted. */
function memory(args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> {
  const sub = upper(args[1] as Buffer);
  if (sub === "HELP") return helpReply(args, memoryHelp);
  if (sub !== "USAGE") {
    return error(`ERR unknown subcommand '${text(args[1] as Buffer)}'. Try MEMORY HELP.`);
  }
  if (args.length < 3) return arityError("memory|usage");
  for (let index = 3; index < args.length; index += 2) {
    if (upper(args[index] as Buffer) !== "SAMPLES" || index + 1 >= args.length) {
      return syntaxError();
    }
    const samples = integerArgument(args[index + 1]);
    if (samples === undefined) return error("ERR value is not an integer or out of range");
    if (samples < 0) return syntaxError();
  }
  const key = text(args[2] as Buffer);
  return ofValue(context, key, (value) => integer(estimatedBytes(key, value)));
}

export const introspectionCommands: CommandSpec[] = [
  { name: "object", arity: -2, access: "read", hasSubcommands: true, handler: object },
  { name: "memory", arity: -2, access: "read", hasSubcommands: true, handler: memory },
];
