/**
 * The reference model's queries over a replayed Map, written from the Redis command reference
 * without sharing code with src/core/state. KEYS and SCAN patterns are turned into regular
 * expressions (the generators use `*`, `?` and simple sets only); the SCAN cursor is the
 * decimal of 0x01 followed by the last key's bytes, as kv_ops.ts documents.
 */
import type { Key, KvQuery, KvQueryResult, ScannedMember } from "../../../src/core/state/index.js";
import { offset } from "../../../src/core/types.js";
import { answerCollection, isCollectionQuery } from "./reference_collections.js";
import { type State, visible } from "./reference_commands.js";

const wrongType = { kind: "error", code: "wrong_type" } as const;

function globRegExp(pattern: string): RegExp {
  let source = "";
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === "*") source += "[^]*";
    else if (char === "?") source += "[^]";
    else if (char === "[") {
      const end = pattern.indexOf("]", index);
      source += `[${pattern.slice(index + 1, end)}]`;
      index = end;
    } else source += char.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

const encodeCursor = (key: Key): string =>
  BigInt(
    `0x01${[...key].map((char) => char.charCodeAt(0).toString(16).padStart(2, "0")).join("")}`,
  ).toString();

function decodeCursor(cursor: string): Key | undefined {
  if (cursor === "0") return undefined;
  const hex = BigInt(cursor).toString(16);
  const bytes = hex.length % 2 === 0 ? hex : `0${hex}`;
  return (bytes.slice(2).match(/../g) ?? [])
    .map((pair) => String.fromCharCode(Number.parseInt(pair, 16)))
    .join("");
}

export function answer(state: State, query: KvQuery, nowMs: number): KvQueryResult {
  if (query.kind === "multi") {
    if (query.watched !== undefined) throw new Error("the model does not check WATCH");
    return {
      kind: "transaction",
      results: query.queries.map((step) => answer(state, step, nowMs)),
    };
  }
  if (query.kind === "watch") throw new Error("the model keeps no tombstones to version");
  const present = [...state.keys()].filter((key) => visible(state.get(key), nowMs)).sort();
  if (query.kind === "exists") {
    return { kind: "count", count: query.keys.filter((key) => present.includes(key)).length };
  }
  if (query.kind === "mget") {
    return {
      kind: "strings",
      values: query.keys.map((key) => {
        const value = visible(state.get(key), nowMs)?.value;
        return value?.type === "string" ? value.data : null;
      }),
    };
  }
  if (query.kind === "sets") {
    const values = query.keys.map((key) => visible(state.get(key), nowMs)?.value);
    if (values.some((value) => value !== undefined && value.type !== "set")) {
      return { kind: "error", code: "wrong_type" };
    }
    const members = values.map((value) => (value?.type === "set" ? [...value.members] : []));
    return { kind: "sets", sets: members };
  }
  if (query.kind === "keys") {
    const pattern = globRegExp(query.pattern);
    return { kind: "keys", keys: present.filter((key) => pattern.test(key)) };
  }
  if (query.kind === "dbSize") return { kind: "count", count: present.length };
  if (query.kind === "keyCounts") {
    // Redis counts a key until it is deleted, expired or not.
    const held = [...state.values()];
    const expires = held.filter((stored) => stored.expireAtMs !== undefined).length;
    return { kind: "keyCounts", keys: held.length, expires };
  }
  if (query.kind === "randomKey") {
    return {
      kind: "key",
      key: present.length === 0 ? null : present[query.seed % present.length]!,
    };
  }
  if (query.kind === "expiredKeys") {
    const expired = [...state.keys()].filter((key) => !visible(state.get(key), nowMs)).sort();
    return { kind: "keys", keys: expired.slice(0, query.limit) };
  }
  if (query.kind === "scan") {
    const after = decodeCursor(query.cursor);
    const rest = present.filter((key) => after === undefined || key > after);
    const page = rest.slice(0, query.count);
    const pattern = query.pattern === undefined ? undefined : globRegExp(query.pattern);
    return {
      kind: "scan",
      cursor: rest.length > query.count ? encodeCursor(page.at(-1)!) : "0",
      keys: page.filter(
        (key) =>
          (pattern === undefined || pattern.test(key)) &&
          (query.type === undefined || state.get(key)!.value.type === query.type),
      ),
    };
  }
  const stored = visible(state.get(query.key), nowMs);
  const value = stored?.value;
  if (isCollectionQuery(query)) return answerCollection(query, value);
  switch (query.kind) {
    case "get":
      return stored === undefined
        ? { kind: "value", value: null }
        : { kind: "value", value: stored.value, version: offset(stored.writtenAt) };
    case "type":
      return { kind: "type", type: value?.type ?? "none" };
    case "ttl":
      if (stored === undefined) return { kind: "ttl", remainingMs: -2, expireAtMs: -2 };
      if (stored.expireAtMs === undefined) return { kind: "ttl", remainingMs: -1, expireAtMs: -1 };
      return { kind: "ttl", remainingMs: stored.expireAtMs - nowMs, expireAtMs: stored.expireAtMs };
    case "memberScan": {
      if (value === undefined) return { kind: "memberScan", cursor: "0", items: [] };
      if (value.type !== query.type) return wrongType;
      let items: ScannedMember[] = [];
      if (value.type === "hash") items = value.fields.map(([field, text]) => [field, text]);
      if (value.type === "set") items = value.members.map((member) => [member]);
      if (value.type === "zset") items = value.entries.map(([member, score]) => [member, score]);
      const pattern = query.pattern === undefined ? undefined : globRegExp(query.pattern);
      const keep = (item: ScannedMember) => pattern === undefined || pattern.test(item[0]);
      // Redis answers a listpack-sized value whole, whatever COUNT says.
      if (items.length <= 128)
        return { kind: "memberScan", cursor: "0", items: items.filter(keep) };
      const after = decodeCursor(query.cursor);
      const rest = [...items]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .filter(([member]) => after === undefined || member > after);
      const page = rest.slice(0, query.count);
      const cursor = rest.length > query.count ? encodeCursor(page.at(-1)![0]) : "0";
      return { kind: "memberScan", cursor, items: page.filter(keep) };
    }
    case "strlen":
    case "getRange": {
      if (value !== undefined && value.type !== "string") return wrongType;
      const data = value?.data ?? "";
      if (query.kind === "strlen") return { kind: "count", count: data.length };
      return { kind: "string", value: substring(data, query.start, query.end) };
    }
    case "lrange":
    case "llen": {
      if (value !== undefined && value.type !== "list") return wrongType;
      const items = value?.items ?? [];
      if (query.kind === "llen") return { kind: "count", count: items.length };
      return { kind: "strings", values: listSlice(items, query.start, query.stop) };
    }
    default: {
      if (value !== undefined && value.type !== "hash") return wrongType;
      const fields = value?.fields ?? [];
      const lookup = (field: string) => fields.find((pair) => pair[0] === field)?.[1] ?? null;
      switch (query.kind) {
        case "hget":
          return { kind: "string", value: lookup(query.field) };
        case "hmget":
          return { kind: "strings", values: query.fields.map(lookup) };
        case "hgetall":
          return { kind: "pairs", pairs: fields };
        case "hexists":
          return { kind: "count", count: lookup(query.field) === null ? 0 : 1 };
        case "hlen":
          return { kind: "count", count: fields.length };
        case "hkeys":
          return { kind: "strings", values: fields.map((pair) => pair[0]) };
        case "hvals":
          return { kind: "strings", values: fields.map((pair) => pair[1]) };
      }
    }
  }
}

/** GETRANGE per the Redis documentation's examples: inclusive ends, negatives from the end. */
function substring(data: string, start: number, end: number): string {
  if (start < 0 && end < 0 && start > end) return "";
  const from = Math.max(0, start < 0 ? data.length + start : start);
  const to = Math.min(data.length - 1, Math.max(0, end < 0 ? data.length + end : end));
  return from > to ? "" : data.slice(from, to + 1);
}

/** LRANGE: inclusive ends, negatives from the end, out-of-range ends clamped. */
function listSlice(items: readonly string[], start: number, stop: number): string[] {
  const from = Math.max(0, start < 0 ? items.length + start : start);
  const to = Math.min(items.length - 1, stop < 0 ? items.length + stop : stop);
  const result: string[] = [];
  for (let index = from; index <= to; index++) result.push(items[index]!);
  return result;
}
