import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { test } from "node:test";
import { nodeId } from "../../../src/core/types.js";
import { encodeFrames, FrameDecoder } from "../../../src/io/transport/framing.js";
import { ConnectorHandshake } from "../../../src/io/transport/handshake.js";
import { everyBody, message, numbered, sequences } from "./fixtures.js";
import {
  clusterId,
  clusterSecret,
  connectAll,
  socketTest,
  startNode,
  type TestNode,
  waitFor,
} from "./support.js";

const stopAll = (nodes: readonly TestNode[]) => Promise.all(nodes.map((n) => n.transport.stop()));

test(
  "three transports exchange messages, in order per sender, in both directions",
  socketTest,
  async () => {
    const nodes = [await startNode(1), await startNode(2), await startNode(3)];
    try {
      await connectAll(nodes);
      const count = 500;
      for (let sequence = 0; sequence < count; sequence++) {
        for (const from of nodes) {
          // Some in one call, some across turns: order must hold either way.
          from.transport.send(
            nodes.filter((n) => n !== from).map((to) => numbered(from.id, to.id, sequence)),
          );
        }
        if (sequence % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      for (const node of nodes) {
        await waitFor(
          () => node.inbox.length === 2 * count,
          () => `node ${node.id} got ${node.inbox.length}`,
        );
        for (const from of nodes.filter((n) => n !== node)) {
          const got = node.inbox.filter((m) => m.from === from.id);
          assert.deepEqual(sequences(got), [...Array(count).keys()], `${from.id} -> ${node.id}`);
          assert.ok(got.every((m) => m.to === node.id));
        }
        assert.equal(node.transport.sent, 2 * count);
        assert.equal(node.transport.received, 2 * count);
        assert.equal(node.transport.dropped, 0);
      }
      const kinds = everyBody.map((body) => message(1, 2, body));
      nodes[0]!.transport.send(kinds);
      await waitFor(
        () => nodes[1]!.inbox.length === 2 * count + kinds.length,
        () => "every kind",
      );
      assert.deepEqual(nodes[1]!.inbox.slice(2 * count), kinds);
    } finally {
      await stopAll(nodes);
    }
  },
);

test("messages queued in one turn leave in one write", socketTest, async () => {
  const nodes = [await startNode(1), await startNode(2)];
  try {
    await connectAll(nodes);
    const sender = nodes[0]!.transport;
    for (let i = 0; i < 200; i++) sender.send([numbered(1, 2, i)]);
    sender.send(Array.from({ length: 100 }, (_, i) => numbered(1, 2, 200 + i)));
    await waitFor(
      () => nodes[1]!.inbox.length === 300,
      () => `got ${nodes[1]!.inbox.length}`,
    );
    assert.deepEqual({ sent: sender.sent, writes: sender.writes }, { sent: 300, writes: 1 });
    sender.send([numbered(1, 2, 300)]);
    await waitFor(
      () => nodes[1]!.inbox.length === 301,
      () => `got ${nodes[1]!.inbox.length}`,
    );
    assert.deepEqual({ sent: sender.sent, writes: sender.writes }, { sent: 301, writes: 2 });
  } finally {
    await stopAll(nodes);
  }
});

test("sendNow writes within the call, after what was queued before it", socketTest, async () => {
  const nodes = [await startNode(1), await startNode(2)];
  try {
    await connectAll(nodes);
    const sender = nodes[0]!.transport;
    sender.send([numbered(1, 2, 0)]);
    sender.sendNow([numbered(1, 2, 1), numbered(1, 2, 2)]);
    // Written before this turn ends, in one write with the message queued before.
    assert.deepEqual({ sent: sender.sent, writes: sender.writes }, { sent: 3, writes: 1 });
    await waitFor(
      () => nodes[1]!.inbox.length === 3,
      () => `got ${nodes[1]!.inbox.length}`,
    );
    assert.deepEqual(sequences(nodes[1]!.inbox), [0, 1, 2]);
    // Nothing is left for the end of the turn to write.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual({ sent: sender.sent, writes: sender.writes }, { sent: 3, writes: 1 });
  } finally {
    await stopAll(nodes);
  }
});

test(
  "a peer with the wrong secret is refused, logged, and gets nothing through",
  socketTest,
  async () => {
    const honest = await startNode(2);
    const impostor = await startNode(1, { clusterSecret: "a guess" });
    try {
      const book = new Map([
        [impostor.id, impostor.transport.address()],
        [honest.id, honest.transport.address()],
      ]);
      honest.transport.setPeers(book);
      impostor.transport.setPeers(book);
      impostor.transport.send([numbered(1, 2, 0)]);
      honest.transport.send([numbered(2, 1, 0)]);
      // Two refusals on each side show that it retried and was refused again.
      const refusals = (node: TestNode) =>
        node.logger.lines.filter((l) => l.message === "peer refused").length;
      await waitFor(
        () =>
          honest.logger.warnings().filter((w) => w === "peer refused: wrong cluster secret")
            .length >= 2,
        () => `honest node logged ${honest.logger.warnings()}`,
      );
      await waitFor(
        () => refusals(impostor) >= 1,
        () => `impostor logged ${impostor.logger.warnings()}`,
      );
      assert.deepEqual(
        {
          inbox: honest.inbox,
          received: honest.transport.received,
          connected: impostor.transport.connectedPeers(),
        },
        { inbox: [], received: 0, connected: [] },
      );
      assert.deepEqual(
        { inbox: impostor.inbox, connected: honest.transport.connectedPeers() },
        { inbox: [], connected: [] },
      );
      assert.deepEqual(honest.logger.warnings().at(-1), "peer refused: wrong cluster secret");
      assert.match(honest.logger.warnings().join("\n"), /closed by the peer during the handshake/);
    } finally {
      await Promise.all([honest.transport.stop(), impostor.transport.stop()]);
    }
  },
);

/** A hand-driven peer: authenticates as node `self` over a raw socket, then writes raw frames. */
async function rawPeer(target: TestNode, self: number): Promise<Socket> {
  const socket = connect(target.transport.address());
  const decoder = new FrameDecoder();
  const handshake = new ConnectorHandshake(
    { clusterId, nodeId: nodeId(self), secret: Buffer.from(clusterSecret) },
    target.id,
  );
  await new Promise<void>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("data", (chunk: Buffer) => {
      decoder.write(chunk);
      for (let frame = decoder.read(); Buffer.isBuffer(frame); frame = decoder.read()) {
        const step = handshake.receive(frame);
        if (step.kind === "send") socket.write(encodeFrames([step.payload]));
        else if (step.kind === "done") resolve();
        else reject(new Error(step.reason));
      }
    });
  });
  return socket;
}

/** Resolves when the socket closes; reads (and discards) meanwhile, else a close goes unseen. */
function closedSocket(socket: Socket): Promise<unknown> {
  socket.resume();
  return new Promise((resolve) => socket.once("close", resolve));
}

test(
  "a malformed frame closes that connection with the reason logged, after what came before",
  socketTest,
  async () => {
    const node = await startNode(2);
    try {
      node.transport.setPeers(new Map([[nodeId(1), { host: "127.0.0.1", port: 1 }]]));
      const socket = await rawPeer(node, 1);
      const closed = closedSocket(socket);
      const good = numbered(1, 2, 7);
      const { encodeMessage } = await import("../../../src/io/transport/codec.js");
      socket.write(
        encodeFrames([encodeMessage(good), Buffer.from([0x92, 0x01]), encodeMessage(good)]),
      );
      await closed;
      assert.deepEqual(node.inbox, [good]);
      assert.match(node.logger.warnings().join("\n"), /peer connection closed: msgpack: /);

      const liar = await rawPeer(node, 1);
      const liarClosed = closedSocket(liar);
      liar.write(encodeFrames([encodeMessage(numbered(3, 2, 8))]));
      await liarClosed;
      assert.equal(
        node.logger.warnings().at(-1),
        "peer connection closed: message from 3 on its connection",
      );
      assert.equal(node.inbox.length, 1);
    } finally {
      await node.transport.stop();
    }
  },
);

test("an unauthenticated peer cannot make a node buffer a large frame", socketTest, async () => {
  const node = await startNode(2);
  try {
    const socket = connect(node.transport.address());
    const closed = closedSocket(socket);
    socket.on("error", () => {});
    socket.write(Buffer.from([0x00, 0x00, 0x10, 0x01]));
    await closed;
    assert.equal(
      node.logger.warnings().at(-1),
      "peer connection closed: frame_too_large: 4097 > 4096 bytes",
    );
  } finally {
    await node.transport.stop();
  }
});

const handleKinds = ["TCPServerWrap", "TCPSocketWrap", "Timeout", "Immediate"];
const openHandles = () =>
  process
    .getActiveResourcesInfo()
    .filter((kind) => handleKinds.includes(kind))
    .sort();

/** Waits up to a second for `condition`; the caller asserts what it needs afterwards. */
async function settle(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100 && !condition(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test("stop() closes every socket and timer", socketTest, async () => {
  // A closed server's handle stays listed for a few loop turns; let earlier tests' go first.
  await settle(() => openHandles().length === 0);
  const before = openHandles();
  const nodes = [await startNode(1), await startNode(2), await startNode(3)];
  await connectAll(nodes);
  // Leave work in every state: a peer that is down (a reconnect timer), delayed messages
  // (fault timers), queued messages (a flush), and a half-done inbound handshake.
  nodes[0]!.transport.setPeers(
    new Map([
      ...nodes.map((n) => [n.id, n.transport.address()] as const),
      [nodeId(4), { host: "127.0.0.1", port: 1 }],
    ]),
  );
  nodes[0]!.transport.send([numbered(1, 4, 0)]);
  nodes[1]!.transport.faults.set({ delayMs: 20_000 });
  nodes[1]!.transport.send([numbered(2, 1, 0)]);
  nodes[2]!.transport.send([numbered(3, 1, 0)]);
  const stranger = connect(nodes[2]!.transport.address());
  stranger.on("error", () => {});
  await new Promise((resolve) => stranger.once("connect", resolve));
  assert.ok(openHandles().length > before.length + 6, `open: ${openHandles()}`);
  await Promise.all(nodes.map((n) => n.transport.stop()));
  await closedSocket(stranger);
  await settle(() => openHandles().length === before.length);
  assert.deepEqual(openHandles(), before);
  assert.equal(nodes[0]!.transport.dropped, 1, "the message queued for the down peer");
});
