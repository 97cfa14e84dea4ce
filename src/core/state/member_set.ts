/**
 * A Redis set as a persistent (structurally shared) sorted set of members, so that a write leaves
 * older versions readable (MVCC by offset, kv.ts) without copying: add, remove and membership are
 * O(log n), the member at an index O(log n). Members are kept in byte order (keys and values hold
 * one byte per char, kv_ops.ts, so code-unit order is byte order): SMEMBERS answers in that
 * order on every replica, and SPOP and SRANDMEMBER pick members by index in it, which makes a
 * seeded choice the same on every replica (set_commands.ts).
 *
 * The tree is functional-red-black-tree (persistent, with subtree counts for indexes); it allows
 * equal keys, so `add` looks a member up before inserting it.
 */
import createTree from "functional-red-black-tree";
import { assert } from "../../util/assert.js";

type Tree = createTree.Tree<string, true>;

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class MemberSet {
  private constructor(private readonly tree: Tree) {}

  static readonly empty = new MemberSet(createTree<string, true>(byteOrder));

  static of(members: Iterable<string>): MemberSet {
    let set = MemberSet.empty;
    for (const member of members) set = set.add(member);
    return set;
  }

  get size(): number {
    return this.tree.length;
  }

  has(member: string): boolean {
    return this.tree.find(member).valid;
  }

  /** The set with `member` added; this same set when it holds it already. */
  add(member: string): MemberSet {
    return this.has(member) ? this : new MemberSet(this.tree.insert(member, true));
  }

  /** The set without `member`; this same set when it does not hold it. */
  remove(member: string): MemberSet {
    const found = this.tree.find(member);
    return found.valid ? new MemberSet(found.remove()) : this;
  }

  /** The member at `index` in byte order. */
  at(index: number): string {
    assert(
      Number.isInteger(index) && index >= 0 && index < this.tree.length,
      () => `member index ${index} of ${this.tree.length}`,
    );
    return this.tree.at(index).key as string;
  }

  /**
   * Up to `count` members after `after` (from the first when undefined), in byte order, and
   * whether more follow them: O(log n + count).
   */
  after(after: string | undefined, count: number): { members: string[]; more: boolean } {
    const iterator = after === undefined ? this.tree.begin : this.tree.gt(after);
    const members: string[] = [];
    for (; members.length < count && iterator.valid; iterator.next()) {
      members.push(iterator.key as string);
    }
    return { members, more: iterator.valid };
  }

  /** Every member, in byte order. */
  toArray(): string[] {
    return this.tree.keys;
  }
}
