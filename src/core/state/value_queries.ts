/**
 * The queries that read one key's value: GET, MGET, STRLEN, GETRANGE, the hash reads (HGET,
 * HMGET, HGETALL, HEXISTS, HLEN, HKEYS, HVALS) and the list reads (LRANGE, LLEN), after
 * redis/src/t_string.c, t_hash.c and t_list.c. Costs: O(1) to find the value (O(log v) below
 * the newest version), then O(log n) for a hash field lookup (persistent_hash.ts),
 * O(log n + answer) for LRANGE, and O(answer) to copy out; GET of a list, hash, set or sorted
 * set converts it to its plain form, O(n) (stored_value.ts).
 */
import type {
  Key,
  KvQuery,
  KvQueryResultOf,
  KvStringsResult,
  KvWrongTypeResult,
} from "./kv_ops.js";
import { PersistentHash } from "./persistent_hash.js";
import type { PersistentList } from "./persistent_list.js";
import { listRange, stringRange } from "./redis_range.js";
import { plainValue, type StoredValue } from "./stored_value.js";
import type { LiveVersion } from "./version_chain.js";

type Query<Kind extends KvQuery["kind"]> = Extract<KvQuery, { kind: Kind }>;

/** The live version of a key a query sees. */
export type LiveAt = (key: Key) => LiveVersion | undefined;

export const wrongType: KvWrongTypeResult = { kind: "error", code: "wrong_type" };

export const strings = (values: readonly (string | null)[]): KvStringsResult => ({
  kind: "strings",
  values,
});

export function get(query: Query<"get">, liveAt: LiveAt): KvQueryResultOf<"get"> {
  const version = liveAt(query.key);
  if (version === undefined) return { kind: "value", value: null };
  return { kind: "value", value: plainValue(version.value), version: version.offset };
}

export function mget(query: Query<"mget">, liveAt: LiveAt): KvQueryResultOf<"mget"> {
  // MGET answers nil for a key of another type rather than failing (mgetCommand).
  return strings(
    query.keys.map((key) => {
      const value = liveAt(key)?.value;
      return value?.type === "string" ? value.data : null;
    }),
  );
}

export function strlen(query: Query<"strlen">, liveAt: LiveAt): KvQueryResultOf<"strlen"> {
  const value = liveAt(query.key)?.value;
  if (value === undefined) return { kind: "count", count: 0 };
  if (value.type !== "string") return wrongType;
  return { kind: "count", count: value.data.length };
}

export function getRange(query: Query<"getRange">, liveAt: LiveAt): KvQueryResultOf<"getRange"> {
  const value = liveAt(query.key)?.value;
  if (value === undefined) return { kind: "string", value: "" };
  if (value.type !== "string") return wrongType;
  const span = stringRange(value.data.length, query.start, query.end);
  return { kind: "string", value: value.data.slice(span.from, Math.max(span.from, span.to)) };
}

/** The fields of a hash key: empty when absent, undefined when the key is not a hash. */
function fieldsOf(value: StoredValue | undefined): PersistentHash | undefined {
  if (value === undefined) return PersistentHash.empty;
  return value.type === "hash" ? value.fields : undefined;
}

export function hget(query: Query<"hget">, liveAt: LiveAt): KvQueryResultOf<"hget"> {
  const fields = fieldsOf(liveAt(query.key)?.value);
  if (fields === undefined) return wrongType;
  return { kind: "string", value: fields.get(query.field) ?? null };
}

export function hmget(query: Query<"hmget">, liveAt: LiveAt): KvQueryResultOf<"hmget"> {
  const fields = fieldsOf(liveAt(query.key)?.value);
  if (fields === undefined) return wrongType;
  return strings(query.fields.map((field) => fields.get(field) ?? null));
}

export function hgetall(query: Query<"hgetall">, liveAt: LiveAt): KvQueryResultOf<"hgetall"> {
  const fields = fieldsOf(liveAt(query.key)?.value);
  if (fields === undefined) return wrongType;
  return { kind: "pairs", pairs: fields.toArray() };
}

export function hexists(query: Query<"hexists">, liveAt: LiveAt): KvQueryResultOf<"hexists"> {
  const fields = fieldsOf(liveAt(query.key)?.value);
  if (fields === undefined) return wrongType;
  return { kind: "count", count: fields.get(query.field) === undefined ? 0 : 1 };
}

export function hlen(query: Query<"hlen">, liveAt: LiveAt): KvQueryResultOf<"hlen"> {
  const fields = fieldsOf(liveAt(query.key)?.value);
  if (fields === undefined) return wrongType;
  return { kind: "count", count: fields.size };
}

export function hkeys(query: Query<"hkeys">, liveAt: LiveAt): KvQueryResultOf<"hkeys"> {
  const fields = fieldsOf(liveAt(query.key)?.value);
  if (fields === undefined) return wrongType;
  return strings(fields.names());
}

export function hvals(query: Query<"hvals">, liveAt: LiveAt): KvQueryResultOf<"hvals"> {
  const fields = fieldsOf(liveAt(query.key)?.value);
  if (fields === undefined) return wrongType;
  return strings(fields.values());
}

/** The items of a list key: empty when absent, undefined when the key is not a list. */
function itemsOf(value: StoredValue | undefined): PersistentList | null | undefined {
  if (value === undefined) return null;
  return value.type === "list" ? value.items : undefined;
}

export function lrange(query: Query<"lrange">, liveAt: LiveAt): KvQueryResultOf<"lrange"> {
  const items = itemsOf(liveAt(query.key)?.value);
  if (items === undefined) return wrongType;
  if (items === null) return strings([]);
  const span = listRange(items.length, query.start, query.stop);
  return strings(items.slice(span.from, span.to));
}

export function llen(query: Query<"llen">, liveAt: LiveAt): KvQueryResultOf<"llen"> {
  const items = itemsOf(liveAt(query.key)?.value);
  if (items === undefined) return wrongType;
  return { kind: "count", count: items?.length ?? 0 };
}
