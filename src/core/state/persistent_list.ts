/**
 * A Redis list as a persistent (structurally shared) sequence, so that a write leaves the older
 * versions of the key readable (MVCC by offset, kv.ts) without copying the list. Copying the
 * array on every write made redis-benchmark's 100,000 LPUSHes onto one key quadratic.
 *
 * The items live in Immutable.js's List: a trie of 32-wide arrays with a tail, whose ends move by
 * bounds, so a push or pop at either end is amortized O(1) and touches a few small arrays, an
 * index is O(log32 n), and a range is O(log32 n + count). The red-black tree keyed by position
 * it replaces (decision 0025) made each push a new path of some twenty nodes, which outlived the
 * young generation with the list: a node pushing onto one list spent 41% in the collector.
 */
import { List } from "immutable";
import { assert } from "../../util/assert.js";

export class PersistentList {
  private constructor(private readonly items: List<string>) {}

  static of(items: readonly string[]): PersistentList {
    return new PersistentList(List(items));
  }

  static readonly empty = new PersistentList(List<string>());

  get length(): number {
    return this.items.size;
  }

  /** Pushes each element in turn on the left, so the last one given ends up first (LPUSH). */
  pushLeft(elements: readonly string[]): PersistentList {
    if (elements.length === 1) return new PersistentList(this.items.unshift(elements[0] as string));
    return new PersistentList(
      this.items.withMutations((items) => {
        for (const element of elements) items.unshift(element);
      }),
    );
  }

  /** Pushes each element in turn on the right (RPUSH). */
  pushRight(elements: readonly string[]): PersistentList {
    if (elements.length === 1) return new PersistentList(this.items.push(elements[0] as string));
    return new PersistentList(
      this.items.withMutations((items) => {
        for (const element of elements) items.push(element);
      }),
    );
  }

  /** Takes up to `count` items from the left, first item first (LPOP with a count). */
  popLeft(count: number): { taken: string[]; rest: PersistentList } {
    assert(count >= 0, () => `pop of ${count} items`);
    const end = Math.min(count, this.items.size);
    return { taken: this.slice(0, end), rest: new PersistentList(this.items.slice(end)) };
  }

  /** Takes up to `count` items from the right, last item first (RPOP with a count). */
  popRight(count: number): { taken: string[]; rest: PersistentList } {
    assert(count >= 0, () => `pop of ${count} items`);
    const start = Math.max(0, this.items.size - count);
    const taken = this.slice(start, this.items.size).reverse();
    return { taken, rest: new PersistentList(this.items.slice(0, start)) };
  }

  /** The list with the item at `index` (0 to length - 1) replaced (LSET): O(log n). */
  set(index: number, element: string): PersistentList {
    assert(index >= 0 && index < this.items.size, () => `set at ${index} of ${this.length}`);
    return new PersistentList(this.items.set(index, element));
  }

  /** The items at indexes [from, to), in order; `from` and `to` are clamped to the list. */
  slice(from: number, to: number): string[] {
    const start = Math.max(0, from);
    const end = Math.min(to, this.items.size);
    const items: string[] = [];
    for (let index = start; index < end; index++) items.push(this.items.get(index) as string);
    return items;
  }

  toArray(): string[] {
    return this.items.toArray();
  }
}
