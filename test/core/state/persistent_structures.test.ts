/**
 * The persistent list, member set and scored set against plain arrays: random operations must
 * answer what the array model answers, and every older version must still read as it did when
 * it was made (the versions share structure, and MVCC reads old ones).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { ScoredMember } from "../../../src/core/state/index.js";
import { MemberSet } from "../../../src/core/state/member_set.js";
import { PersistentHash } from "../../../src/core/state/persistent_hash.js";
import { PersistentList } from "../../../src/core/state/persistent_list.js";
import { ScoredSet } from "../../../src/core/state/scored_set.js";

const elementArbitrary: fc.Arbitrary<string> = fc.constantFrom("a", "b", "c", "", "\xff", "ab");

type ListStep =
  | { kind: "pushLeft" | "pushRight"; elements: string[] }
  | { kind: "popLeft" | "popRight"; count: number };

const listStepArbitrary: fc.Arbitrary<ListStep> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("pushLeft" as const, "pushRight" as const),
    elements: fc.array(elementArbitrary, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constantFrom("popLeft" as const, "popRight" as const), count: fc.nat(5) }),
);

test("a persistent list answers as an array, and its old versions stay as they were", () => {
  fc.assert(
    fc.property(
      fc.array(listStepArbitrary, { maxLength: 60 }),
      fc.nat(),
      fc.nat(),
      (steps, a, b) => {
        let list = PersistentList.empty;
        let model: string[] = [];
        const versions: Array<[PersistentList, string[]]> = [[list, model]];
        for (const step of steps) {
          if ("elements" in step) {
            const left = step.kind === "pushLeft";
            list = left ? list.pushLeft(step.elements) : list.pushRight(step.elements);
            model = left
              ? [...step.elements].reverse().concat(model)
              : [...model, ...step.elements];
          } else {
            const popped =
              step.kind === "popLeft" ? list.popLeft(step.count) : list.popRight(step.count);
            const taken =
              step.kind === "popLeft"
                ? model.slice(0, step.count)
                : model.slice(Math.max(0, model.length - step.count)).reverse();
            assert.deepEqual(popped.taken, taken);
            list = popped.rest;
            model =
              step.kind === "popLeft"
                ? model.slice(step.count)
                : model.slice(0, Math.max(0, model.length - step.count));
          }
          versions.push([list, model]);
          assert.equal(list.length, model.length);
          const [from, to] = [a % (model.length + 2), b % (model.length + 2)];
          assert.deepEqual(list.slice(from, to), model.slice(from, Math.max(from, to)));
        }
        for (const [version, items] of versions) assert.deepEqual(version.toArray(), items);
      },
    ),
  );
});

type LongListStep =
  | { kind: "pushLeft" | "pushRight"; count: number }
  | { kind: "popLeft" | "popRight"; count: number }
  | { kind: "set"; at: number };

test("a long persistent list, several levels deep, keeps every version as it was", () => {
  // Pushes and pops of hundreds of items at once build lists of thousands, past the 32-item
  // leaves and the 1,024-item first level of the trie; LSET copies a path inside it.
  const stepArbitrary: fc.Arbitrary<LongListStep> = fc.oneof(
    fc.record({
      kind: fc.constantFrom("pushLeft" as const, "pushRight" as const),
      count: fc.integer({ min: 1, max: 700 }),
    }),
    fc.record({
      kind: fc.constantFrom("popLeft" as const, "popRight" as const),
      count: fc.nat(500),
    }),
    fc.record({ kind: fc.constant("set" as const), at: fc.nat() }),
  );
  let serial = 0;
  const fresh = (count: number) => Array.from({ length: count }, () => `item ${serial++}`);
  fc.assert(
    fc.property(fc.array(stepArbitrary, { maxLength: 25 }), fc.nat(), (steps, probe) => {
      let list = PersistentList.empty;
      let model: string[] = [];
      const versions: Array<[PersistentList, string[]]> = [];
      for (const step of steps) {
        if (step.kind === "pushLeft" || step.kind === "pushRight") {
          const elements = fresh(step.count);
          const left = step.kind === "pushLeft";
          list = left ? list.pushLeft(elements) : list.pushRight(elements);
          model = left ? [...elements].reverse().concat(model) : model.concat(elements);
        } else if (step.kind === "set") {
          if (model.length === 0) continue;
          const index = step.at % model.length;
          const [element] = fresh(1) as [string];
          list = list.set(index, element);
          model = model.map((item, at) => (at === index ? element : item));
        } else {
          const left = step.kind === "popLeft";
          const popped = left ? list.popLeft(step.count) : list.popRight(step.count);
          // Where the pop cuts the model: after the items taken from the left, or before those
          // taken from the right.
          const cut = left
            ? Math.min(step.count, model.length)
            : Math.max(0, model.length - step.count);
          const taken = left ? model.slice(0, cut) : model.slice(cut).reverse();
          assert.deepEqual(popped.taken, taken);
          list = popped.rest;
          model = left ? model.slice(cut) : model.slice(0, cut);
        }
        versions.push([list, model]);
        assert.equal(list.length, model.length);
        const from = probe % (model.length + 1);
        assert.deepEqual(list.slice(from, from + 40), model.slice(from, from + 40));
      }
      for (const [version, items] of versions) assert.deepEqual(version.toArray(), items);
    }),
    { numRuns: 60 },
  );
});

type HashStep =
  | { kind: "set"; fields: number[]; onlyNew: boolean }
  | { kind: "remove"; fields: number[] };

test("a persistent hash answers as an insertion-ordered Map, and its old versions stay", () => {
  // Field numbers drawn from a range of 3,000 make hashes of hundreds to thousands of fields,
  // deep in the trie, with removals that leave the ordered map to rebuild itself.
  const fieldsArbitrary = fc.array(fc.nat(3_000), { minLength: 1, maxLength: 400 });
  const stepArbitrary: fc.Arbitrary<HashStep> = fc.oneof(
    fc.record({
      kind: fc.constant("set" as const),
      fields: fieldsArbitrary,
      onlyNew: fc.boolean(),
    }),
    fc.record({ kind: fc.constant("remove" as const), fields: fieldsArbitrary }),
  );
  let serial = 0;
  fc.assert(
    fc.property(fc.array(stepArbitrary, { maxLength: 25 }), fc.nat(3_000), (steps, probe) => {
      let hash = PersistentHash.empty;
      let model = new Map<string, string>();
      const versions: Array<[PersistentHash, Array<[string, string]>]> = [];
      for (const step of steps) {
        const names = step.fields.map((field) => `field:${field}`);
        model = new Map(model);
        if (step.kind === "set") {
          const pairs = names.map((name): [string, string] => [name, `value ${serial++}`]);
          let added = 0;
          for (const [name, value] of pairs) {
            if (!model.has(name)) added += 1;
            if (!model.has(name) || !step.onlyNew) model.set(name, value);
          }
          const result = hash.setAll(pairs, step.onlyNew);
          assert.equal(result.added, added);
          hash = result.hash;
        } else {
          let removed = 0;
          for (const name of names) if (model.delete(name)) removed += 1;
          const result = hash.removeAll(names);
          assert.equal(result.removed, removed);
          hash = result.hash;
        }
        versions.push([hash, [...model]]);
        assert.equal(hash.size, model.size);
        assert.equal(hash.get(`field:${probe}`), model.get(`field:${probe}`));
      }
      for (const [version, pairs] of versions) {
        assert.deepEqual(version.toArray(), pairs);
        assert.deepEqual(
          version.names(),
          pairs.map(([name]) => name),
        );
        assert.deepEqual(
          version.values(),
          pairs.map(([, value]) => value),
        );
        assert.deepEqual(PersistentHash.of(pairs).toArray(), pairs);
      }
    }),
    { numRuns: 60 },
  );
});

test("a member set answers as a sorted array of distinct members, old versions unchanged", () => {
  const stepArbitrary = fc.record({ add: fc.boolean(), member: elementArbitrary });
  fc.assert(
    fc.property(fc.array(stepArbitrary, { maxLength: 60 }), (steps) => {
      let set = MemberSet.empty;
      let model: string[] = [];
      const versions: Array<[MemberSet, string[]]> = [];
      for (const { add, member } of steps) {
        set = add ? set.add(member) : set.remove(member);
        model = add
          ? [...new Set([...model, member])].sort()
          : model.filter((item) => item !== member);
        versions.push([set, model]);
        assert.equal(set.size, model.length);
        assert.equal(set.has(member), add);
        for (const [index, item] of model.entries()) assert.equal(set.at(index), item);
      }
      for (const [version, members] of versions) assert.deepEqual(version.toArray(), members);
    }),
  );
});

const scoreArbitrary = fc.constantFrom(-Infinity, -1, 0, 0.5, 1, 2, Infinity);
const boundArbitrary = fc.record({ score: scoreArbitrary, exclusive: fc.boolean() });

/** Redis's order: by score, then member bytes. */
const rankOrder = (a: ScoredMember, b: ScoredMember): number =>
  a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

test("a scored set answers as an array sorted by score then member, old versions unchanged", () => {
  const stepArbitrary = fc.record({
    add: fc.boolean(),
    member: elementArbitrary,
    score: scoreArbitrary,
    min: boundArbitrary,
    max: boundArbitrary,
    reverse: fc.boolean(),
    skip: fc.nat(3),
    limit: fc.nat(4),
  });
  fc.assert(
    fc.property(fc.array(stepArbitrary, { maxLength: 60 }), (steps) => {
      let set = ScoredSet.empty;
      let model: ScoredMember[] = [];
      const versions: Array<[ScoredSet, ScoredMember[]]> = [];
      for (const step of steps) {
        const { member, score, min, max } = step;
        set = step.add ? set.add(member, score) : set.remove(member);
        model = model.filter(([item]) => item !== member);
        if (step.add) model = [...model, [member, score] as const].sort(rankOrder);
        versions.push([set, model]);
        assert.equal(set.size, model.length);
        assert.equal(set.score(member), step.add ? score : undefined);
        const rank = model.findIndex(([item]) => item === member);
        assert.equal(set.rank(member), rank < 0 ? undefined : rank);
        const within = model.filter(
          ([, value]) =>
            (min.exclusive ? value > min.score : value >= min.score) &&
            (max.exclusive ? value < max.score : value <= max.score),
        );
        const { from, to } = set.rankInterval(min, max);
        assert.equal(Math.max(0, to - from), within.length);
        const ordered = step.reverse ? [...within].reverse() : within;
        assert.deepEqual(
          set.entries(from, to, { reverse: step.reverse, skip: step.skip, limit: step.limit }),
          ordered.slice(step.skip, step.skip + step.limit),
        );
      }
      for (const [version, entries] of versions) assert.deepEqual(version.toArray(), entries);
    }),
  );
});
