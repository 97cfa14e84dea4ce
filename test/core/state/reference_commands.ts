/**
 * The reference model's commands: each applied to a plain Map of the keys held, written from
 * the Redis command reference (https://redis.io/docs/latest/commands/) without sharing code with
 * src/core/state. Expired values stay in the Map until a command deletes them; `visible`
 * decides.
 */

import type { Key, KvCommand, KvResult, Value } from "../../../src/core/state/index.js";
import { incrementLongDouble, readLongDouble } from "../../../src/core/state/long_double.js";
import { applyCollection } from "./reference_collections.js";
import { answer } from "./reference_queries.js";

export type Stored = { value: Value; expireAtMs: number | undefined; writtenAt: number };
export type State = Map<Key, Stored>;

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

export function visible(stored: Stored | undefined, nowMs: number): Stored | undefined {
  if (stored === undefined) return undefined;
  return stored.expireAtMs !== undefined && stored.expireAtMs <= nowMs ? undefined : stored;
}

/** Redis reads an integer only in its canonical decimal form, which BigInt writes back. */
export function redisInteger(text: string): bigint | undefined {
  let value: bigint;
  try {
    value = BigInt(text);
  } catch {
    return undefined;
  }
  return value.toString() === text && value >= int64Min && value <= int64Max ? value : undefined;
}

/**
 * INCRBYFLOAT's arithmetic, from long_double.ts: its exactness against Redis's own answers is
 * tested there (redis_helpers.test.ts); the model checks what the kv machine does around it.
 */
function incrementFloat(text: string | undefined, by: string): KvResult {
  const base = readLongDouble(text ?? "0");
  const increment = readLongDouble(by);
  if (base === undefined || increment === undefined) return error("not_float");
  const value = incrementLongDouble(base, increment);
  return value === undefined ? error("nan_or_infinity") : { kind: "float", value };
}

const error = (code: Extract<KvResult, { kind: "error" }>["code"]): KvResult => ({
  kind: "error",
  code,
});
const count = (value: number): KvResult => ({ kind: "count", count: value });

export function applyTo(state: State, command: KvCommand, nowMs: number, at: number): KvResult {
  const get = (key: Key) => visible(state.get(key), nowMs);
  const put = (key: Key, value: Value, expireAtMs: number | undefined) =>
    state.set(key, { value, expireAtMs, writtenAt: at });
  switch (command.kind) {
    case "del": {
      let deleted = 0;
      for (const key of command.keys) {
        if (!state.has(key)) continue;
        if (get(key)) deleted += 1;
        state.delete(key);
      }
      return count(deleted);
    }
    case "flushAll":
      state.clear();
      return { kind: "ok" };
    case "mset":
    case "msetNx": {
      if (command.kind === "msetNx" && command.pairs.some(([key]) => get(key))) return count(0);
      for (const [key, value] of command.pairs)
        put(key, { type: "string", data: value }, undefined);
      return command.kind === "mset" ? { kind: "ok" } : count(1);
    }
    case "rename": {
      const source = get(command.source);
      if (!source) return error("no_such_key");
      if (command.source === command.destination) {
        return command.nx ? { kind: "not_applied" } : { kind: "ok" };
      }
      if (command.nx && get(command.destination)) return { kind: "not_applied" };
      state.delete(command.source);
      put(command.destination, source.value, source.expireAtMs);
      return { kind: "ok" };
    }
    case "copy": {
      if (command.source === command.destination) return error("same_object");
      const source = get(command.source);
      if (!source || (get(command.destination) && !command.replace)) return count(0);
      put(command.destination, source.value, source.expireAtMs);
      return count(1);
    }
    case "expire": {
      const current = get(command.key);
      if (!current) return count(0);
      const old = current.expireAtMs ?? Infinity;
      const conditions = command.conditions ?? [];
      if (conditions.includes("nx") && current.expireAtMs !== undefined) return count(0);
      if (conditions.includes("xx") && current.expireAtMs === undefined) return count(0);
      if (conditions.includes("gt") && !(command.expireAtMs > old && old !== Infinity))
        return count(0);
      if (conditions.includes("lt") && !(command.expireAtMs < old)) return count(0);
      if (command.expireAtMs <= nowMs) state.delete(command.key);
      else put(command.key, current.value, command.expireAtMs);
      return count(1);
    }
    case "persist": {
      const current = get(command.key);
      if (current?.expireAtMs === undefined) return count(0);
      put(command.key, current.value, undefined);
      return count(1);
    }
    case "lmpop":
    case "zmpop": {
      const key = command.keys.find((candidate) => get(candidate) !== undefined);
      if (key === undefined) return { kind: "popped", elements: null };
      if (get(key)?.value.type !== (command.kind === "lmpop" ? "list" : "zset")) {
        return error("wrong_type");
      }
      const wanted = command.count;
      if (command.kind === "lmpop") {
        const result = applyTo(
          state,
          { kind: "pop", key, side: command.side, count: wanted },
          nowMs,
          at,
        );
        return result.kind === "popped" && result.elements !== null
          ? { kind: "poppedFrom", key, elements: result.elements }
          : result;
      }
      const result = applyTo(
        state,
        { kind: "zpop", key, side: command.side, count: wanted },
        nowMs,
        at,
      );
      return result.kind === "scored"
        ? { kind: "zpoppedFrom", key, entries: result.entries }
        : result;
    }
    case "setStore": {
      const values = command.keys.map((key) => get(key)?.value);
      if (values.some((value) => value !== undefined && value.type !== "set")) {
        return error("wrong_type");
      }
      const sets = values.map((value) => (value?.type === "set" ? value.members : []));
      const [first = [], ...rest] = sets;
      let members: string[];
      if (command.op === "union") members = [...new Set(sets.flat())].sort();
      else if (command.op === "inter") {
        members = first.filter((member) => rest.every((other) => other.includes(member)));
      } else members = first.filter((member) => !rest.some((other) => other.includes(member)));
      // An empty result deletes a live destination; an expired one stays, as other deletes leave it.
      if (members.length > 0) put(command.destination, { type: "set", members }, undefined);
      else if (get(command.destination)) state.delete(command.destination);
      return count(members.length);
    }
    case "smove": {
      const source = get(command.source);
      if (!source) return count(0);
      const destination = get(command.destination);
      if (source.value.type !== "set" || (destination && destination.value.type !== "set")) {
        return error("wrong_type");
      }
      const members = source.value.members.filter((member) => member !== command.member);
      if (members.length === source.value.members.length) return count(0);
      if (command.source === command.destination) return count(1);
      if (members.length === 0) state.delete(command.source);
      else put(command.source, { type: "set", members }, source.expireAtMs);
      const into = destination?.value.type === "set" ? destination.value.members : [];
      const added = [...new Set([...into, command.member])].sort();
      put(command.destination, { type: "set", members: added }, destination?.expireAtMs);
      return count(1);
    }
    case "lmove": {
      const source = get(command.source);
      if (!source) return { kind: "popped", elements: null };
      if (source.value.type !== "list") return error("wrong_type");
      const destination = get(command.destination);
      if (destination && destination.value.type !== "list") return error("wrong_type");
      const items = [...source.value.items];
      const element = (command.from === "left" ? items.shift() : items.pop()) as string;
      if (items.length === 0) state.delete(command.source);
      else put(command.source, { type: "list", items }, source.expireAtMs);
      const same = command.source === command.destination;
      const target = same
        ? items
        : destination?.value.type === "list"
          ? [...destination.value.items]
          : [];
      if (command.to === "left") target.unshift(element);
      else target.push(element);
      const ttl = same ? source.expireAtMs : destination?.expireAtMs;
      put(command.destination, { type: "list", items: target }, ttl);
      return { kind: "popped", elements: [element] };
    }
    case "publish":
      // No subscribers in the model, nor in a state machine built without a delivery hook.
      return count(0);
    case "exec":
      // The model applies one command at a time anyway: a transaction is its steps in order.
      // WATCH needs tombstone versions, which the model does not keep (transaction.test.ts).
      if (command.watched !== undefined) throw new Error("the model does not check WATCH");
      return {
        kind: "transaction",
        results: command.steps.map((step) =>
          "write" in step ? applyTo(state, step.write, nowMs, at) : answer(state, step.read, nowMs),
        ),
      };
    default:
      return applyToKey(command, get(command.key), state, nowMs, put);
  }
}

type Put = (key: Key, value: Value, expireAtMs: number | undefined) => void;

function applyToKey(
  command: Exclude<
    KvCommand,
    {
      kind:
        | "del"
        | "flushAll"
        | "mset"
        | "msetNx"
        | "rename"
        | "copy"
        | "expire"
        | "persist"
        | "publish"
        | "lmpop"
        | "zmpop"
        | "lmove"
        | "setStore"
        | "smove"
        | "exec";
    }
  >,
  current: Stored | undefined,
  state: State,
  nowMs: number,
  put: Put,
): KvResult {
  const key = command.key;
  const type = current?.value.type;
  const ttl = current?.expireAtMs;
  const text = current?.value.type === "string" ? current.value.data : undefined;
  const items = current?.value.type === "list" ? [...current.value.items] : [];
  const fields =
    current?.value.type === "hash"
      ? current.value.fields.map(([f, v]) => [f, v] as [string, string])
      : [];
  const putString = (data: string, expireAtMs: number | undefined) =>
    put(key, { type: "string", data }, expireAtMs);
  const notString = type !== undefined && type !== "string";
  switch (command.kind) {
    case "set": {
      if (command.returnOld && notString) return error("wrong_type");
      if (command.condition === "nx" && current)
        return { kind: "not_applied", current: current.value };
      if (command.condition === "xx" && !current) return { kind: "not_applied", current: null };
      putString(command.value, command.keepTtl ? ttl : command.expireAtMs);
      return command.returnOld ? { kind: "old", value: text ?? null } : { kind: "ok" };
    }
    case "incr": {
      if (notString) return error("wrong_type");
      const base = text === undefined ? 0n : redisInteger(text);
      if (base === undefined) return error("not_integer");
      const sum = base + command.by;
      if (sum < int64Min || sum > int64Max) return error("overflow");
      putString(sum.toString(), ttl);
      return { kind: "integer", value: sum };
    }
    case "incrByFloat": {
      if (notString) return error("wrong_type");
      const result = incrementFloat(text, command.by);
      if (result.kind === "float") putString(result.value, ttl);
      return result;
    }
    case "append": {
      if (notString) return error("wrong_type");
      putString((text ?? "") + command.value, ttl);
      return count((text ?? "").length + command.value.length);
    }
    case "setRange": {
      if (notString) return error("wrong_type");
      const old = text ?? "";
      if (command.value === "") return count(old.length);
      let data = old;
      while (data.length < command.offsetBytes) data += "\x00";
      data =
        data.slice(0, command.offsetBytes) +
        command.value +
        data.slice(command.offsetBytes + command.value.length);
      putString(data, ttl);
      return count(data.length);
    }
    case "cas": {
      const equal =
        command.expected === null ? !current : text !== undefined && text === command.expected;
      if (!equal) return { kind: "not_applied", current: current ? current.value : null };
      putString(command.value, undefined);
      return { kind: "ok" };
    }
    case "getDel":
      if (notString) return error("wrong_type");
      if (text !== undefined) state.delete(key);
      return { kind: "old", value: text ?? null };
    case "getEx":
      if (notString) return error("wrong_type");
      if (text === undefined) return { kind: "old", value: null };
      if (command.expireAtMs !== undefined && command.expireAtMs <= nowMs) state.delete(key);
      else if (command.expireAtMs !== undefined) putString(text, command.expireAtMs);
      else if (command.persist && ttl !== undefined) putString(text, undefined);
      return { kind: "old", value: text };
    case "listAppend":
    case "push": {
      if (type !== undefined && type !== "list") return error("wrong_type");
      if (command.kind === "push" && command.onlyIfExists && !current) return count(0);
      const pushed = command.kind === "listAppend" ? [command.element] : command.elements;
      for (const element of pushed) {
        if (command.kind === "push" && command.side === "left") items.unshift(element);
        else items.push(element);
      }
      put(key, { type: "list", items }, ttl);
      return count(items.length);
    }
    case "pop": {
      if (!current) return { kind: "popped", elements: null };
      if (type !== "list") return error("wrong_type");
      const elements: string[] = [];
      for (let index = 0; index < (command.count ?? 1) && items.length > 0; index++) {
        elements.push((command.side === "left" ? items.shift() : items.pop())!);
      }
      if (items.length === 0) state.delete(key);
      else if (elements.length > 0) put(key, { type: "list", items }, ttl);
      return { kind: "popped", elements };
    }
    case "ltrim": {
      if (!current) return { kind: "ok" };
      if (type !== "list") return error("wrong_type");
      // ltrimCommand's own arithmetic, written out rather than through LRANGE's helper.
      let start = command.start < 0 ? items.length + command.start : command.start;
      let stop = command.stop < 0 ? items.length + command.stop : command.stop;
      if (start < 0) start = 0;
      if (start > stop || start >= items.length) [start, stop] = [items.length, items.length - 1];
      else if (stop >= items.length) stop = items.length - 1;
      const kept = items.slice(start, stop + 1);
      if (kept.length === 0) state.delete(key);
      else if (kept.length < items.length) put(key, { type: "list", items: kept }, ttl);
      return { kind: "ok" };
    }
    case "lset": {
      if (!current) return error("no_such_key");
      if (type !== "list") return error("wrong_type");
      const index = command.index < 0 ? items.length + command.index : command.index;
      if (index < 0 || index >= items.length) return error("index_out_of_range");
      items[index] = command.element;
      put(key, { type: "list", items }, ttl);
      return { kind: "ok" };
    }
    case "lrem": {
      if (!current) return count(0);
      if (type !== "list") return error("wrong_type");
      // Walk from the head (count >= 0) or the tail (count < 0), deleting matches as found.
      const wanted = command.count === 0 ? items.length : Math.abs(command.count);
      const order = [...items.keys()];
      if (command.count < 0) order.reverse();
      const doomed = new Set<number>();
      for (const index of order) {
        if (doomed.size < wanted && items[index] === command.element) doomed.add(index);
      }
      const kept = items.filter((_, index) => !doomed.has(index));
      if (kept.length === 0) state.delete(key);
      else if (doomed.size > 0) put(key, { type: "list", items: kept }, ttl);
      return count(doomed.size);
    }
    case "linsert": {
      if (!current) return count(0);
      if (type !== "list") return error("wrong_type");
      const at = items.indexOf(command.pivot);
      if (at === -1) return count(-1);
      items.splice(at + (command.after ? 1 : 0), 0, command.element);
      put(key, { type: "list", items }, ttl);
      return count(items.length);
    }
    case "hset": {
      if (type !== undefined && type !== "hash") return error("wrong_type");
      let added = 0;
      for (const [field, value] of command.pairs) {
        const existing = fields.find((pair) => pair[0] === field);
        if (existing) {
          if (!command.onlyNew) existing[1] = value;
        } else {
          fields.push([field, value]);
          added += 1;
        }
      }
      if (command.onlyNew && added === 0) return count(0);
      put(key, { type: "hash", fields }, ttl);
      return count(added);
    }
    case "hdel": {
      if (!current) return count(0);
      if (type !== "hash") return error("wrong_type");
      const kept = fields.filter(([field]) => !command.fields.includes(field));
      if (kept.length === 0) state.delete(key);
      else if (kept.length < fields.length) put(key, { type: "hash", fields: kept }, ttl);
      return count(fields.length - kept.length);
    }
    case "hincrBy": {
      if (type !== undefined && type !== "hash") return error("wrong_type");
      const existing = fields.find((pair) => pair[0] === command.field);
      const base = existing === undefined ? 0n : redisInteger(existing[1]);
      if (base === undefined) return error("hash_not_integer");
      const sum = base + command.by;
      if (sum < int64Min || sum > int64Max) return error("overflow");
      if (existing) existing[1] = sum.toString();
      else fields.push([command.field, sum.toString()]);
      put(key, { type: "hash", fields }, ttl);
      return { kind: "integer", value: sum };
    }
    case "hincrByFloat": {
      // The increment first, then the type (hincrbyfloatCommand); then the field, as INCRBYFLOAT.
      const increment = readLongDouble(command.by);
      if (increment === undefined) return error("not_float");
      if (typeof increment === "string") return error("nan_or_infinity");
      if (type !== undefined && type !== "hash") return error("wrong_type");
      const existing = fields.find((pair) => pair[0] === command.field);
      if (existing !== undefined && readLongDouble(existing[1]) === undefined) {
        return error("hash_not_float");
      }
      const result = incrementFloat(existing?.[1], command.by);
      if (result.kind !== "float") return result;
      if (existing) existing[1] = result.value;
      else fields.push([command.field, result.value]);
      put(key, { type: "hash", fields }, ttl);
      return result;
    }
    default: {
      const outcome = applyCollection(command, current?.value);
      if (outcome.write === null) state.delete(key);
      else if (outcome.write !== undefined) put(key, outcome.write, ttl);
      return outcome.result;
    }
  }
}
