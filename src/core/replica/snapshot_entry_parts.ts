/**
 * The elements of a snapshot entry's collection value, so that a chunk can carry part of an entry
 * too large for one chunk (docs/decisions/0009-chunked-snapshots.md). A part is the same entry
 * (key, version, expiry, value type) with a sub-range of the value's array: list items, hash
 * fields, set members or sorted-set entries, in the snapshot's order. A string has no elements:
 * it is one value of at most 8 MiB (`stringBytesMax`) and always travels whole.
 */
import { unreachable } from "../../util/assert.js";
import type { HashField, KvSnapshotEntry, Value } from "../state/kv_ops.js";
import type { ScoredMember } from "../state/zset_ops.js";

/** One list item, set member, hash field or sorted-set entry. */
export type SnapshotElement = string | HashField | ScoredMember;

/** The elements of a collection value in the snapshot's order; undefined for a string. */
export function elementsOf(value: Value): readonly SnapshotElement[] | undefined {
  switch (value.type) {
    case "string":
      return undefined;
    case "list":
      return value.items;
    case "hash":
      return value.fields;
    case "set":
      return value.members;
    case "zset":
      return value.entries;
    default:
      return unreachable(value);
  }
}

/**
 * `entry` with its collection value holding `elements` instead; the elements must be of the
 * value's own kind, as they are when they come from `elementsOf` of an entry of the same type.
 */
export function withElements(
  entry: KvSnapshotEntry,
  elements: readonly SnapshotElement[],
): KvSnapshotEntry {
  const value = entry.value;
  switch (value.type) {
    case "string":
      return entry;
    case "list":
      return { ...entry, value: { type: "list", items: elements as readonly string[] } };
    case "hash":
      return { ...entry, value: { type: "hash", fields: elements as readonly HashField[] } };
    case "set":
      return { ...entry, value: { type: "set", members: elements as readonly string[] } };
    case "zset":
      return { ...entry, value: { type: "zset", entries: elements as readonly ScoredMember[] } };
    default:
      return unreachable(value);
  }
}

/** Whether `part` can continue `entry`: the same key, version, expiry and value type. */
export function isPartOf(part: KvSnapshotEntry, entry: KvSnapshotEntry): boolean {
  return (
    part.key === entry.key &&
    part.version === entry.version &&
    part.expireAtMs === entry.expireAtMs &&
    part.value.type === entry.value.type &&
    elementsOf(part.value) !== undefined
  );
}
