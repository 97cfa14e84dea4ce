/**
 * A Redis list as a persistent (structurally shared) sequence, so that a write leaves the older
 * versions of the key readable (MVCC by offset, kv.ts) without copying the list: each push or pop
 * is O(log n), and a read of `count` items from index `from` is O(log n + count). Copying the
 * array on every write made redis-benchmark's 100,000 LPUSHes onto one key quadratic.
 *
 * The items live in a persistent red-black tree with order statistics (functional-red-black-tree,
 * which returns a new tree from every insert or remove and shares the rest), keyed by a position
 * number: a push on the left takes the first position minus one, a push on the right the last
 * plus one, so the key order is the list order. Positions are integers that move by one a push;
 * they stay exact far beyond any list a replica can hold (2^53).
 */
import createTree from "functional-red-black-tree";
import { assert } from "../../util/assert.js";

type Tree<Key, Item> = createTree.Tree<Key, Item>;

export class PersistentList {
  private constructor(private readonly tree: Tree<number, string>) {}

  static of(items: readonly string[]): PersistentList {
    return PersistentList.empty.pushRight(items);
  }

  static readonly empty = new PersistentList(createTree<number, string>((a, b) => a - b));

  get length(): number {
    return this.tree.length;
  }

  /** Pushes each element in turn on the left, so the last one given ends up first (LPUSH). */
  pushLeft(elements: readonly string[]): PersistentList {
    let tree = this.tree;
    let position = tree.length === 0 ? 0 : (tree.begin.key as number);
    for (const element of elements) {
      position -= 1;
      tree = tree.insert(position, element);
    }
    return new PersistentList(tree);
  }

  /** Pushes each element in turn on the right (RPUSH). */
  pushRight(elements: readonly string[]): PersistentList {
    let tree = this.tree;
    let position = tree.length === 0 ? 0 : (tree.end.key as number);
    for (const element of elements) {
      position += 1;
      tree = tree.insert(position, element);
    }
    return new PersistentList(tree);
  }

  /** Takes up to `count` items from the left, first item first (LPOP with a count). */
  popLeft(count: number): { taken: string[]; rest: PersistentList } {
    return this.pop(count, (tree) => tree.begin);
  }

  /** Takes up to `count` items from the right, last item first (RPOP with a count). */
  popRight(count: number): { taken: string[]; rest: PersistentList } {
    return this.pop(count, (tree) => tree.end);
  }

  private pop(
    count: number,
    endOf: (tree: Tree<number, string>) => createTree.Iterator<number, string>,
  ): { taken: string[]; rest: PersistentList } {
    assert(count >= 0, () => `pop of ${count} items`);
    let tree = this.tree;
    const taken: string[] = [];
    while (taken.length < count && tree.length > 0) {
      const item = endOf(tree);
      taken.push(item.value as string);
      tree = item.remove();
    }
    return { taken, rest: new PersistentList(tree) };
  }

  /** The list with the item at `index` (0 to length - 1) replaced (LSET): O(log n). */
  set(index: number, element: string): PersistentList {
    assert(index >= 0 && index < this.tree.length, () => `set at ${index} of ${this.length}`);
    return new PersistentList(this.tree.at(index).update(element));
  }

  /** The items at indexes [from, to), in order; `from` and `to` are clamped to the list. */
  slice(from: number, to: number): string[] {
    const items: string[] = [];
    if (from >= to || from >= this.tree.length) return items;
    const iterator = this.tree.at(Math.max(0, from));
    for (let index = Math.max(0, from); index < to && iterator.valid; index++) {
      items.push(iterator.value as string);
      iterator.next();
    }
    return items;
  }

  toArray(): string[] {
    return this.tree.values;
  }
}
