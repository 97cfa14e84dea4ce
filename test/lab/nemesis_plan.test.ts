/** The nemesis schedule is a function of its seed, and its partitions cut what they say. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseNemesisKinds, planNemesis } from "../../src/lab/nemesis_plan.js";
import { linkFaults, partitionCuts } from "../../src/lab/partitions.js";

const options = {
  kinds: ["kill", "pause", "partition", "latency", "loss"] as const,
  durationMs: 60_000,
  nodeCount: 3,
};

test("one seed gives one schedule; another seed another", () => {
  const first = planNemesis({ ...options, seed: 7 });
  assert.deepEqual(planNemesis({ ...options, seed: 7 }), first);
  assert.notDeepEqual(planNemesis({ ...options, seed: 8 }), first);
  assert.ok(first.length >= 10, `${first.length} faults in 60 s`);
});

test("faults come one at a time, inside the run, with only the kinds asked for", () => {
  for (let seed = 1; seed <= 50; seed++) {
    const plan = planNemesis({ ...options, kinds: ["kill", "partition"], seed });
    let freeAtMs = 0;
    for (const fault of plan) {
      assert.ok(fault.atMs >= freeAtMs, `seed ${seed}: fault ${fault.index} overlaps`);
      assert.ok(fault.atMs + fault.durationMs <= options.durationMs, `seed ${seed}: past the end`);
      assert.ok(["kill", "partition"].includes(fault.fault.kind));
      freeAtMs = fault.atMs + fault.durationMs;
    }
  }
  assert.deepEqual(planNemesis({ ...options, kinds: [], seed: 1 }), []);
});

test("partition shapes cut the links they name", () => {
  const order = [2, 1, 3];
  assert.deepEqual(partitionCuts("isolate-leader", order, 3), [
    [3, 2],
    [2, 3],
    [3, 1],
    [1, 3],
  ]);
  assert.deepEqual(partitionCuts("asymmetric", order, 1), [
    [1, 2],
    [1, 3],
  ]);
  // The bridge (node 1, in the middle of the order) hears both sides.
  assert.deepEqual(partitionCuts("bridge", order, undefined), [
    [2, 3],
    [3, 2],
  ]);
  const five = partitionCuts("majority-minority", [5, 4, 3, 2, 1], undefined);
  assert.equal(five.length, 2 * 2 * 3);
  const faults = linkFaults([1, 2, 3], partitionCuts("asymmetric", order, 1));
  assert.deepEqual(faults.get(1), { blockedTo: [2, 3], blockedFrom: [] });
  assert.deepEqual(faults.get(2), { blockedTo: [], blockedFrom: [1] });
});

test("nemesis names parse, unknown ones are an error", () => {
  assert.deepEqual(parseNemesisKinds("kill,pause,partition"), ["kill", "pause", "partition"]);
  assert.deepEqual(parseNemesisKinds("none"), []);
  assert.equal(typeof parseNemesisKinds("kill,flood"), "string");
});
