import assert from "node:assert/strict";
import { test } from "node:test";
import { selectReplicas } from "../../../src/core/concern/index.js";
import { seededRandom } from "../../../src/core/random.js";
import { nodeId } from "../../../src/core/types.js";

const candidates = [
  { node: nodeId(1), isLeader: true, stalenessMs: 0, latencyMs: 9 },
  { node: nodeId(2), isLeader: false, stalenessMs: 100, latencyMs: 1 },
  { node: nodeId(3), isLeader: false, stalenessMs: 5000, latencyMs: 5 },
];
const sorted = (ids: number[]) => [...ids].sort();

test("each read preference selects the replicas the MongoDB spec allows", () => {
  const random = seededRandom(1);
  assert.deepEqual(selectReplicas("primary", candidates, random), [1]);
  assert.deepEqual(selectReplicas("primaryPreferred", candidates, random)[0], 1);
  assert.deepEqual(sorted(selectReplicas("primaryPreferred", candidates, random)), [1, 2, 3]);
  assert.deepEqual(sorted(selectReplicas("secondary", candidates, random)), [2, 3]);
  assert.deepEqual(selectReplicas("secondaryPreferred", candidates, random).at(-1), 1);
  assert.deepEqual(selectReplicas("nearest", candidates, random), [2, 3, 1]);
});

test("maxStalenessMs excludes lagging secondaries, never the leader", () => {
  const random = seededRandom(2);
  assert.deepEqual(selectReplicas("secondary", candidates, random, 1000), [2]);
  assert.deepEqual(selectReplicas("secondaryPreferred", candidates, random, 10), [1]);
  assert.deepEqual(selectReplicas("nearest", candidates, random, 1000), [2, 1]);
});

test("no leader known: primary selects nothing, primaryPreferred falls back to secondaries", () => {
  const followers = candidates.map((candidate) => ({ ...candidate, isLeader: false }));
  const random = seededRandom(3);
  assert.deepEqual(selectReplicas("primary", followers, random), []);
  assert.deepEqual(sorted(selectReplicas("primaryPreferred", followers, random)), [1, 2, 3]);
});

test("secondaries are spread across calls", () => {
  const random = seededRandom(4);
  const firsts = new Set<number>();
  for (let round = 0; round < 50; round++)
    firsts.add(selectReplicas("secondary", candidates, random)[0] as number);
  assert.deepEqual(sorted([...firsts]), [2, 3]);
});
