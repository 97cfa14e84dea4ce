/**
 * The namespaces of a run: names that carry the prefix and the slot (so leftovers are
 * recognisable and concurrent runs differ), addresses in the slot's own /24, and a teardown that
 * removes everything the setup creates.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { netnsPlan, setupCommands, teardownCommands } from "../../src/lab/netns_plan.js";

test("a slot names its bridge, namespaces, veths and addresses", () => {
  const plan = netnsPlan(42, [1, 2, 3]);
  assert.equal(plan.bridge, "onelog42br");
  assert.equal(plan.bridgeAddress, "10.77.42.1");
  assert.deepEqual(plan.nodes[1], {
    id: 2,
    namespace: "onelog-42-n2",
    veth: "onelog42n2",
    address: "10.77.42.12",
  });
});

test("two slots share no name and no address", () => {
  const names = (slot: number) => {
    const plan = netnsPlan(slot, [1, 2, 3]);
    return [
      plan.bridge,
      plan.bridgeAddress,
      ...plan.nodes.flatMap((node) => [node.namespace, node.veth, node.address]),
    ];
  };
  const first = new Set(names(1));
  for (const name of names(11)) assert.ok(!first.has(name), `${name} in both`);
});

test("teardown deletes every link and namespace the setup adds", () => {
  const plan = netnsPlan(255, [1, 2, 3, 4, 5]);
  const added = setupCommands(plan)
    .filter((args) => args[1] === "add" && (args[0] === "link" || args[0] === "netns"))
    .map((args) => `${args[0]} ${args[2]}`);
  const deleted = teardownCommands(plan).map((args) => `${args[0]} ${args[2]}`);
  assert.deepEqual(new Set(deleted), new Set(added));
  assert.equal(added.length, 1 + 2 * 5);
});

test("slots and ids outside the plan's room are refused", () => {
  assert.throws(() => netnsPlan(256, [1]), /slot 256/);
  assert.throws(() => netnsPlan(0, [0]), /node id 0/);
});
