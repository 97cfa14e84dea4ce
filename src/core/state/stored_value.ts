/**
 * Values as the kv machine holds them in its versions: lists, hashes, sets and sorted sets in
 * persistent structures that successive versions of a key share (persistent_list.ts,
 * persistent_hash.ts, member_set.ts, scored_set.ts), so a write costs O(log n) and never copies
 * the aggregate, while every older version stays readable. Strings are held as their plain form
 * (kv_ops.ts Value). `plainValue` and `storedValue` convert at the machine's edges: `get`
 * queries, not-applied results, snapshots and restores.
 */
import { unreachable } from "../../util/assert.js";
import type { Value } from "./kv_ops.js";
import { MemberSet } from "./member_set.js";
import { PersistentHash } from "./persistent_hash.js";
import { PersistentList } from "./persistent_list.js";
import { ScoredSet } from "./scored_set.js";

export type StoredValue =
  | { readonly type: "string"; readonly data: string }
  | { readonly type: "list"; readonly items: PersistentList }
  | { readonly type: "hash"; readonly fields: PersistentHash }
  | { readonly type: "set"; readonly members: MemberSet }
  | { readonly type: "zset"; readonly entries: ScoredSet };

// Values are shared between versions and handed to readers, so they are frozen, but for strings:
// a string value holds only primitives, is readonly by its type, and is made on every replica for
// every SET, where freezing it (a runtime call) took 1.7% of a follower's CPU.
export const stringValue = (data: string): StoredValue => ({ type: "string", data });

export const listValue = (items: PersistentList): StoredValue =>
  Object.freeze({ type: "list", items });

export const hashValue = (fields: PersistentHash): StoredValue =>
  Object.freeze({ type: "hash", fields });

export const setValue = (members: MemberSet): StoredValue =>
  Object.freeze({ type: "set", members });

export const zsetValue = (entries: ScoredSet): StoredValue =>
  Object.freeze({ type: "zset", entries });

/** The plain form of a stored value: O(1) for strings, O(n) for the others. */
export function plainValue(value: StoredValue): Value {
  switch (value.type) {
    case "string":
      return value;
    case "hash":
      return { type: "hash", fields: value.fields.toArray() };
    case "list":
      return { type: "list", items: value.items.toArray() };
    case "set":
      return { type: "set", members: value.members.toArray() };
    case "zset":
      return { type: "zset", entries: value.entries.toArray() };
    default:
      return unreachable(value);
  }
}

/** The stored form of a plain value (a snapshot's): O(n log n) for the collections. */
export function storedValue(value: Value): StoredValue {
  switch (value.type) {
    case "string":
      return stringValue(value.data);
    case "hash":
      return hashValue(PersistentHash.of(value.fields));
    case "list":
      return listValue(PersistentList.of(value.items));
    case "set":
      return setValue(MemberSet.of(value.members));
    case "zset":
      return zsetValue(ScoredSet.of(value.entries));
    default:
      return unreachable(value);
  }
}
