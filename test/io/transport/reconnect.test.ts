import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";
import { nodeId } from "../../../src/core/types.js";
import { numbered, sequences } from "./fixtures.js";
import { connectAll, socketTest, startNode, waitFor } from "./support.js";

/** A loopback port that nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const address = server.address();
  assert.ok(typeof address === "object" && address !== null);
  await new Promise((resolve) => server.close(resolve));
  return address.port;
}

test(
  "after the remote stops and starts again, messages sent after reconnection arrive",
  socketTest,
  async () => {
    const first = await startNode(1);
    let second = await startNode(2);
    try {
      await connectAll([first, second]);
      first.transport.send([numbered(1, 2, 0)]);
      await waitFor(
        () => second.inbox.length === 1,
        () => "first message",
      );
      const { port } = second.transport.address();
      await second.transport.stop();
      await waitFor(
        () => first.transport.connectedPeers().length === 0,
        () => "node 1 to notice that node 2 is gone",
      );
      second = await startNode(2, { listen: { port } });
      second.transport.setPeers(new Map([[first.id, first.transport.address()]]));
      await waitFor(
        () => first.transport.connectedPeers().length === 1,
        () => "node 1 to reconnect",
      );
      first.transport.send([numbered(1, 2, 1), numbered(1, 2, 2)]);
      await waitFor(
        () => second.inbox.length === 2,
        () => `got ${sequences(second.inbox)}`,
      );
      assert.deepEqual(sequences(second.inbox), [1, 2]);
      assert.ok(
        first.logger.lines.some((l) => l.message === "peer connection lost, reconnecting"),
        "the loss is logged",
      );
    } finally {
      await Promise.all([first.transport.stop(), second.transport.stop()]);
    }
  },
);

test(
  "while a peer is down its queue keeps the newest messages and counts the drops",
  socketTest,
  async () => {
    const port = await freePort();
    const sender = await startNode(1, { sendQueueMessagesMax: 4 });
    let receiver: Awaited<ReturnType<typeof startNode>> | undefined;
    try {
      sender.transport.setPeers(new Map([[nodeId(2), { host: "127.0.0.1", port }]]));
      sender.transport.send(Array.from({ length: 6 }, (_, i) => numbered(1, 2, i)));
      // Across turns and while reconnect attempts fail: the bound holds all along.
      await new Promise((resolve) => setTimeout(resolve, 30));
      sender.transport.send([numbered(1, 2, 6), numbered(1, 2, 7), numbered(1, 2, 8)]);
      assert.deepEqual(
        { dropped: sender.transport.dropped, queued: sender.transport.queuedMessages(nodeId(2)) },
        { dropped: 5, queued: 4 },
      );
      receiver = await startNode(2, { listen: { port } });
      receiver.transport.setPeers(new Map([[sender.id, sender.transport.address()]]));
      const inbox = receiver.inbox;
      await waitFor(
        () => inbox.length === 4,
        () => `got ${sequences(inbox)}`,
      );
      assert.deepEqual(sequences(inbox), [5, 6, 7, 8]);
      assert.equal(sender.transport.sent, 4);
    } finally {
      await Promise.all([sender.transport.stop(), receiver?.transport.stop()]);
    }
  },
);
