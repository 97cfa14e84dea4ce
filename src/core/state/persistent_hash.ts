/**
 * A Redis hash as a persistent (structurally shared) map, so that a write leaves the older
 * versions of the key readable (MVCC by offset, kv.ts) without copying the fields. Copying them
 * on every write made each HSET, and each HGET's scan, O(fields): 20,000 HSETs of new fields onto
 * one key took over two minutes.
 *
 * The fields live in Immutable.js's OrderedMap: a hash array mapped trie from field to value plus
 * a trie of the fields in insertion order, so a field is found, set or removed in O(log32 n)
 * (amortized: a map whose removed fields outnumber the others is rebuilt), and the fields read
 * in insertion order, as Redis answers a small (listpack) hash. Decision 0025.
 */
import { OrderedMap } from "immutable";
import type { HashField } from "./kv_ops.js";

export class PersistentHash {
  private constructor(private readonly fields: OrderedMap<string, string>) {}

  static of(fields: readonly HashField[]): PersistentHash {
    return PersistentHash.empty.setAll(fields, false).hash;
  }

  static readonly empty = new PersistentHash(OrderedMap<string, string>());

  get size(): number {
    return this.fields.size;
  }

  get(field: string): string | undefined {
    return this.fields.get(field);
  }

  /**
   * Sets each pair in turn: an existing field keeps its place, a new one goes last. With
   * `onlyNew`, an existing field keeps its value too (HSETNX). Answers how many fields were new.
   */
  setAll(pairs: readonly HashField[], onlyNew: boolean): { hash: PersistentHash; added: number } {
    let added = 0;
    const fields = this.fields.withMutations((map) => {
      for (const [field, value] of pairs) {
        const known = map.has(field);
        if (!known) added += 1;
        if (!known || !onlyNew) map.set(field, value);
      }
    });
    return { hash: new PersistentHash(fields), added };
  }

  /** Removes each field given; answers how many were there. */
  removeAll(names: readonly string[]): { hash: PersistentHash; removed: number } {
    let removed = 0;
    const fields = this.fields.withMutations((map) => {
      for (const name of names) {
        if (!map.has(name)) continue;
        removed += 1;
        map.delete(name);
      }
    });
    return { hash: new PersistentHash(fields), removed };
  }

  /**
   * Up to `count` fields after `after` (from the first when undefined) in byte order of their
   * names, with their values, and whether more follow them. The names in byte order are sorted
   * once per version of the hash (O(n log n)) and remembered while the version lives; each call
   * is then O(log n + count log n).
   */
  after(after: string | undefined, count: number): { pairs: HashField[]; more: boolean } {
    const sorted = sortedNames(this);
    let start = 0;
    if (after !== undefined) {
      // The first name above `after`: binary search over the names in byte order.
      let end = sorted.length;
      while (start < end) {
        const middle = (start + end) >>> 1;
        if ((sorted[middle] as string) <= after) start = middle + 1;
        else end = middle;
      }
    }
    const names = sorted.slice(start, start + count);
    const pairs = names.map((name): HashField => [name, this.fields.get(name) as string]);
    return { pairs, more: start + names.length < sorted.length };
  }

  /** The fields and their values in insertion order. */
  toArray(): HashField[] {
    const pairs: HashField[] = [];
    for (const [field, value] of this.fields) pairs.push([field, value]);
    return pairs;
  }

  names(): string[] {
    return [...this.fields.keys()];
  }

  values(): string[] {
    return [...this.fields.values()];
  }
}

/**
 * The field names of each hash version in byte order (code-unit order, as names hold one byte
 * per char), kept while the version lives: a walk of HSCAN calls over a hash that does not change
 * sorts it once, where sorting on every call made a walk quadratic.
 */
const namesInByteOrder = new WeakMap<PersistentHash, readonly string[]>();

function sortedNames(hash: PersistentHash): readonly string[] {
  let names = namesInByteOrder.get(hash);
  if (names === undefined) {
    names = hash.names().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    namesInByteOrder.set(hash, names);
  }
  return names;
}
