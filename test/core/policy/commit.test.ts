import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type CommitView,
  type MemberProgress,
  majorityCommit,
} from "../../../src/core/policy/index.js";
import { type NodeId, nodeId, type Offset, offset } from "../../../src/core/types.js";

/** The rule as Raft states it, by brute force: the highest offset whose record is of the
 * leader's epoch and that a majority holds (Raft §5.3–5.4.2). */
function naiveMajorityCommit(view: CommitView): Offset {
  let best = view.commit;
  for (let candidate = view.commit + 1; candidate <= 10_000; candidate++) {
    const holders = view.members.filter((member) => {
      const progress = view.progress.get(member);
      const held =
        progress === undefined ? 0 : view.requireDurable ? progress.durableOffset : progress.leo;
      return held >= candidate;
    }).length;
    if (holders * 2 > view.members.length && candidate - 1 >= view.epochStartOffset)
      best = offset(candidate);
    if (holders === 0) break;
  }
  return best;
}

const viewArbitrary = fc
  .integer({ min: 1, max: 7 })
  .chain((memberCount) =>
    fc.record({
      memberCount: fc.constant(memberCount),
      progress: fc.array(
        fc.option(
          fc
            .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }))
            .map(([leo, durable]) => ({
              leo: offset(leo),
              durableOffset: offset(Math.min(leo, durable)),
            })),
        ),
        { minLength: memberCount, maxLength: memberCount },
      ),
      requireDurable: fc.boolean(),
      epochStartOffset: fc.integer({ min: 0, max: 40 }),
      commit: fc.integer({ min: 0, max: 40 }),
    }),
  )
  .map(({ memberCount, progress, requireDurable, epochStartOffset, commit }): CommitView => {
    const members = Array.from({ length: memberCount }, (_, index) => nodeId(index + 1));
    const map = new Map<NodeId, MemberProgress>();
    progress.forEach((entry, index) => {
      if (entry !== null) map.set(nodeId(index + 1), entry);
    });
    return {
      members,
      progress: map,
      requireDurable,
      epochStartOffset: offset(epochStartOffset),
      commit: offset(commit),
    };
  });

test("majority commit agrees with the brute-force Raft rule", () => {
  fc.assert(
    fc.property(viewArbitrary, (view) => {
      assert.equal(majorityCommit(view), naiveMajorityCommit(view));
    }),
    { numRuns: 2000 },
  );
});

test("majority commit never moves back and never passes what a majority holds", () => {
  fc.assert(
    fc.property(viewArbitrary, (view) => {
      const next = majorityCommit(view);
      assert.ok(next >= view.commit);
      if (next > view.commit) {
        const holders = view.members.filter((m) => {
          const p = view.progress.get(m);
          return p !== undefined && (view.requireDurable ? p.durableOffset : p.leo) >= next;
        });
        assert.ok(holders.length * 2 > view.members.length);
      }
    }),
    { numRuns: 2000 },
  );
});

test("majority commit, table", () => {
  const view = (
    leos: number[],
    epochStart: number,
    commit = 0,
    durable?: number[],
  ): CommitView => ({
    members: leos.map((_, index) => nodeId(index + 1)),
    progress: new Map(
      leos.map((leo, index) => [
        nodeId(index + 1),
        { leo: offset(leo), durableOffset: offset(durable?.[index] ?? leo) },
      ]),
    ),
    requireDurable: durable !== undefined,
    epochStartOffset: offset(epochStart),
    commit: offset(commit),
  });
  assert.equal(majorityCommit(view([5, 5, 0], 0)), 5, "two of three hold 5");
  assert.equal(majorityCommit(view([5, 3, 0], 0)), 3, "the median");
  assert.equal(
    majorityCommit(view([5, 3, 0], 3)),
    0,
    "a majority holds only records older than the epoch (Figure 8)",
  );
  assert.equal(
    majorityCommit(view([5, 5, 0], 4)),
    5,
    "the majority holds the epoch's first record at 4",
  );
  assert.equal(
    majorityCommit(view([5, 5, 5], 5, 2)),
    2,
    "nothing of the leader's epoch is held: commit stays",
  );
  assert.equal(
    majorityCommit(view([6, 6, 0], 5, 2)),
    6,
    "the epoch's first record commits everything before it",
  );
  assert.equal(majorityCommit(view([6, 6, 6], 0, 0, [6, 1, 1])), 1, "durable copies only");
  assert.equal(majorityCommit(view([9, 9, 9, 0, 0], 0, 0)), 9, "three of five");
  assert.equal(
    majorityCommit(view([9, 9, 0, 0], 0, 4)),
    4,
    "two of four is no majority; commit stays",
  );
});
