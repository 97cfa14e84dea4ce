import assert from "node:assert/strict";
import { test } from "node:test";
import type { Message } from "../../../src/core/replica/index.js";
import { nodeId } from "../../../src/core/types.js";
import { numbered, sequences } from "./fixtures.js";
import { connectAll, socketTest, startNode, type TestNode, waitFor } from "./support.js";

/** Random draws a test scripts: each call takes the next, 0.5 once the script runs out. */
function scriptedRandom(): { random: () => number; draws: number[] } {
  const draws: number[] = [];
  return { random: () => draws.shift() ?? 0.5, draws };
}

async function withCluster(
  size: number,
  body: (nodes: TestNode[], draws: number[]) => Promise<void>,
): Promise<void> {
  const scripted = scriptedRandom();
  const nodes: TestNode[] = [];
  for (let id = 1; id <= size; id++) nodes.push(await startNode(id, { random: scripted.random }));
  try {
    await connectAll(nodes);
    await body(nodes, scripted.draws);
  } finally {
    await Promise.all(nodes.map((n) => n.transport.stop()));
  }
}

const from = (inbox: readonly Message[], sender: number) =>
  sequences(inbox.filter((m) => m.from === sender));

test("faults are off by default", socketTest, () => {
  return withCluster(2, async ([first]) => {
    assert.equal(first!.transport.faults.active, false);
    assert.deepEqual(first!.transport.faults.settings, {
      blockedTo: [],
      blockedFrom: [],
      lossRate: 0,
      delayMs: 0,
      delayJitterMs: 0,
    });
  });
});

test("blockedTo drops messages to that peer at send, until cleared", socketTest, () =>
  withCluster(3, async ([first, second, third]) => {
    first!.transport.faults.set({ blockedTo: [nodeId(2)] });
    first!.transport.send([numbered(1, 2, 0), numbered(1, 3, 0)]);
    await waitFor(
      () => third!.inbox.length === 1,
      () => "the unblocked peer",
    );
    first!.transport.faults.clear();
    first!.transport.send([numbered(1, 2, 1)]);
    await waitFor(
      () => second!.inbox.length === 1,
      () => `got ${sequences(second!.inbox)}`,
    );
    assert.deepEqual(from(second!.inbox, 1), [1]);
    assert.equal(first!.transport.faultDropped, 1);
  }),
);

test("blockedFrom drops what arrives from that peer, and only from it", socketTest, () =>
  withCluster(3, async ([first, second, third]) => {
    second!.transport.faults.set({ blockedFrom: [nodeId(1)] });
    first!.transport.send([numbered(1, 2, 0)]);
    third!.transport.send([numbered(3, 2, 0)]);
    await waitFor(
      () => second!.transport.faultDropped === 1,
      () => "the blocked message",
    );
    await waitFor(
      () => second!.inbox.length === 1,
      () => "the other peer's message",
    );
    assert.deepEqual(
      { fromFirst: from(second!.inbox, 1), fromThird: from(second!.inbox, 3) },
      { fromFirst: [], fromThird: [0] },
    );
    assert.equal(first!.transport.sent, 1, "the sender did send it");
  }),
);

test("loss drops exactly the messages whose draw falls below the rate", socketTest, () =>
  withCluster(2, async ([first, second], draws) => {
    first!.transport.faults.set({ lossRate: 0.5 });
    draws.push(0.1, 0.9, 0.4, 0.6, 0.2, 0.8);
    first!.transport.send(Array.from({ length: 6 }, (_, i) => numbered(1, 2, i)));
    await waitFor(
      () => second!.inbox.length === 3,
      () => `got ${sequences(second!.inbox)}`,
    );
    assert.deepEqual(sequences(second!.inbox), [1, 3, 5]);
    assert.equal(first!.transport.faultDropped, 3);
  }),
);

test("a delay holds messages for at least delayMs and keeps their order", socketTest, () =>
  withCluster(2, async ([first, second]) => {
    const delayMs = 150;
    first!.transport.faults.set({ delayMs });
    const startedMs = performance.now();
    for (let i = 0; i < 10; i++) {
      first!.transport.send([numbered(1, 2, i)]);
      if (i % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(second!.inbox.length, 0, "nothing arrives before the delay");
    await waitFor(
      () => second!.inbox.length === 10,
      () => `got ${sequences(second!.inbox)}`,
    );
    const elapsedMs = performance.now() - startedMs;
    // Node may fire a timer up to a millisecond early.
    assert.ok(elapsedMs >= delayMs - 2, `arrived after ${elapsedMs} ms`);
    assert.deepEqual(sequences(second!.inbox), [...Array(10).keys()]);
  }),
);

test("jitter draws a delay per message and so may reorder", socketTest, () =>
  withCluster(2, async ([first, second], draws) => {
    first!.transport.faults.set({ delayMs: 0, delayJitterMs: 100 });
    draws.push(0.9, 0.05);
    first!.transport.send([numbered(1, 2, 0), numbered(1, 2, 1)]);
    await waitFor(
      () => second!.inbox.length === 2,
      () => `got ${sequences(second!.inbox)}`,
    );
    assert.deepEqual(sequences(second!.inbox), [1, 0]);
  }),
);
