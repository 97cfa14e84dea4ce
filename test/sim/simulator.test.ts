import assert from "node:assert/strict";
import { test } from "node:test";
import { EventQueue } from "../../src/sim/event_queue.js";
import { runSeed } from "../../src/sim/run.js";
import { drawScenario } from "../../src/sim/scenario.js";

test("a batch of seeds passes every invariant and ends live", () => {
  let operations = 0;
  let asked = 0;
  for (let seed = 1000; seed < 1030; seed++) {
    const result = runSeed(seed);
    assert.equal(result.violation, undefined, `seed ${seed}: ${result.violation?.message}`);
    assert.ok(result.operations > 0, `seed ${seed} completed no operation`);
    operations += result.operations;
    asked += result.scenario.operationCount;
    const finals = result.history.filter((event) => event.final === true && event.type === "ok");
    assert.equal(finals.length, result.scenario.keyCount, `seed ${seed} read every key at the end`);
  }
  // Faults may leave a few operations unissued when the safety phase runs out of time.
  assert.ok(operations >= 0.9 * asked, `only ${operations} of ${asked} operations completed`);
});

test("one seed is one run: the same seed replays the same history", () => {
  const first = runSeed(77, { operationCount: 200 });
  const second = runSeed(77, { operationCount: 200 });
  assert.deepEqual(second.history, first.history);
  assert.deepEqual(second.faults, first.faults);
  assert.notDeepEqual(runSeed(78, { operationCount: 200 }).history, first.history);
});

test("scenarios draw every cluster size, both concern modes and faults", () => {
  const sizes = new Set<number>();
  const modes = new Set<string>();
  const faults = new Set<string>();
  for (let seed = 1; seed <= 200; seed++) {
    const { scenario } = drawScenario(seed);
    sizes.add(scenario.nodeCount);
    modes.add(scenario.concernMode);
    for (const fault of scenario.faults) faults.add(fault);
  }
  assert.deepEqual([...sizes].sort(), [1, 3, 5]);
  assert.deepEqual([...modes].sort(), ["mixed", "strict"]);
  assert.deepEqual([...faults].sort(), ["crash", "degrade", "partition", "pause"]);
});

test("the event queue orders by time, then by insertion", () => {
  const queue = new EventQueue<string>();
  queue.push(5, "c");
  queue.push(1, "a");
  queue.push(5, "d");
  queue.push(3, "b");
  queue.push(1, "a2");
  const order: string[] = [];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) order.push(next.event);
  assert.deepEqual(order, ["a", "a2", "b", "c", "d"]);
});

test("histories record strict concerns as majority writes and linearizable reads", () => {
  const result = runSeed(3, { operationCount: 100, concernMode: "strict" });
  const invokes = result.history.filter((event) => event.type === "invoke" && event.final !== true);
  assert.ok(invokes.length >= 100);
  for (const event of invokes) {
    assert.ok(
      event.concern?.write === "majority" || event.concern?.read === "linearizable",
      JSON.stringify(event),
    );
  }
});
