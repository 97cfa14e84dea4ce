/**
 * What each kv command answers and writes, given the state it applies to: the dispatch to each
 * family's file (string_commands.ts, keyspace_commands.ts, hash_commands.ts, list_commands.ts,
 * set_commands.ts, zset_commands.ts).
 * Pure functions of the newest versions and the record's `nowMs`; semantics follow the Redis
 * command reference, https://redis.io/docs/latest/commands/, and are restated in kv_ops.ts.
 */
import { unreachable } from "../../util/assert.js";
import { type CommandState, type Effect, live, unchanged } from "./command_effects.js";
import { hdel, hincrBy, hincrByFloat, hset } from "./hash_commands.js";
import { copy, del, expire, flushAll, persist, rename } from "./keyspace_commands.js";
import type { KvCommand, StepCommand } from "./kv_ops.js";
import {
  linsert,
  listAppend,
  lmove,
  lmpop,
  lrem,
  lset,
  ltrim,
  pop,
  push,
} from "./list_commands.js";
import { sadd, setStore, smove, spop, srem } from "./set_commands.js";
import {
  append,
  compareAndSet,
  getDel,
  getEx,
  incr,
  incrByFloat,
  mset,
  set,
  setRange,
} from "./string_commands.js";
import { zadd, zmpop, zpop, zrem, zremRange } from "./zset_commands.js";

export type { CommandState, Effect, Write } from "./command_effects.js";

/** What `command` answers and writes; EXEC is transaction.ts's. */
export function execute(command: StepCommand, state: CommandState, nowMs: number): Effect {
  switch (command.kind) {
    case "del":
      return del(command, state, nowMs);
    case "mset":
    case "msetNx":
      return mset(command, state, nowMs);
    case "rename":
      return rename(command, state, nowMs);
    case "copy":
      return copy(command, state, nowMs);
    case "lmpop":
      return lmpop(command, state, nowMs);
    case "lmove":
      return lmove(command, state, nowMs);
    case "zmpop":
      return zmpop(command, state, nowMs);
    case "setStore":
      return setStore(command, state, nowMs);
    case "smove":
      return smove(command, state, nowMs);
    case "expire":
      return expire(command, state, nowMs);
    case "persist":
      return persist(command, state, nowMs);
    case "flushAll":
      return flushAll(state);
    case "publish":
      // What a replica's subscribers receive is its own (KvStateMachine delivers); no state changes.
      return unchanged({ kind: "count", count: 0 });
    default:
      return executeOnKey(command, live(state.newest(command.key), nowMs), nowMs);
  }
}

type SingleKeyCommand = Exclude<
  Extract<KvCommand, { key: string }>,
  { kind: "expire" | "persist" }
>;

function executeOnKey(
  command: SingleKeyCommand,
  current: ReturnType<typeof live>,
  nowMs: number,
): Effect {
  switch (command.kind) {
    case "set":
      return set(command, current);
    case "incr":
      return incr(command, current);
    case "append":
      return append(command, current);
    case "cas":
      return compareAndSet(command, current);
    case "setRange":
      return setRange(command, current);
    case "incrByFloat":
      return incrByFloat(command, current);
    case "getDel":
      return getDel(command, current);
    case "getEx":
      return getEx(command, current, nowMs);
    case "hset":
      return hset(command, current);
    case "hdel":
      return hdel(command, current);
    case "hincrBy":
      return hincrBy(command, current);
    case "hincrByFloat":
      return hincrByFloat(command, current);
    case "listAppend":
      return listAppend(command, current);
    case "push":
      return push(command, current);
    case "pop":
      return pop(command, current);
    case "ltrim":
      return ltrim(command, current);
    case "lset":
      return lset(command, current);
    case "lrem":
      return lrem(command, current);
    case "linsert":
      return linsert(command, current);
    case "sadd":
      return sadd(command, current);
    case "srem":
      return srem(command, current);
    case "spop":
      return spop(command, current);
    case "zadd":
      return zadd(command, current);
    case "zrem":
      return zrem(command, current);
    case "zpop":
      return zpop(command, current);
    case "zremRange":
      return zremRange(command, current);
    default:
      return unreachable(command);
  }
}
