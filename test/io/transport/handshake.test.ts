import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { nodeId } from "../../../src/core/types.js";
import { decodePayload, encodePayload } from "../../../src/io/transport/codec.js";
import {
  AcceptorHandshake,
  type ClusterIdentity,
  ConnectorHandshake,
  type HandshakeStep,
  peerProtocolVersion,
} from "../../../src/io/transport/handshake.js";

const identity = (node: number, secret = "s3cret", clusterId = "c1"): ClusterIdentity => ({
  clusterId,
  nodeId: nodeId(node),
  secret: Buffer.from(secret),
});
const knownPeers = new Set([1, 2, 3]);
const isKnown = (peer: number) => knownPeers.has(peer);

/** Runs the three steps between connector 1 and acceptor 2; returns each side's outcome. */
function run(connector: ClusterIdentity, acceptor: ClusterIdentity, expectedPeer = 2) {
  const accepting = new AcceptorHandshake(acceptor, isKnown);
  const connecting = new ConnectorHandshake(connector, nodeId(expectedPeer));
  const hello = connecting.receive(accepting.start());
  if (hello.kind !== "send") return { connector: hello, acceptor: undefined };
  const welcome: HandshakeStep = accepting.receive(hello.payload);
  if (welcome.kind !== "done" || welcome.payload === undefined) {
    return { connector: undefined, acceptor: welcome };
  }
  return { connector: connecting.receive(welcome.payload), acceptor: welcome };
}

const refusal = (step: HandshakeStep | undefined) =>
  step?.kind === "refused" ? step.reason : step?.kind;

test("nodes that share the secret authenticate each other", () => {
  const outcome = run(identity(1), identity(2));
  assert.deepEqual(outcome.connector, { kind: "done", peer: 2 });
  assert.equal(outcome.acceptor?.kind, "done");
  assert.equal(outcome.acceptor?.kind === "done" && outcome.acceptor.peer, 1);
});

test("a connector with the wrong secret is refused by the acceptor", () => {
  const outcome = run(identity(1, "guess"), identity(2));
  assert.equal(refusal(outcome.acceptor), "wrong cluster secret");
});

test("an acceptor that cannot prove the secret is refused by the connector", () => {
  const honest = new AcceptorHandshake(identity(2), isKnown);
  const connecting = new ConnectorHandshake(identity(1), nodeId(2));
  const hello = connecting.receive(honest.start()) as { payload: Buffer };
  const guessed = encodePayload({ kind: "welcome", proof: randomBytes(32) });
  assert.equal(refusal(connecting.receive(guessed)), "wrong cluster secret");
  // A welcome recorded from another session answers that session's nonce, not this one's.
  const replayed = honest.receive(hello.payload) as { payload: Buffer };
  const fresh = new AcceptorHandshake(identity(2), isKnown);
  const victim = new ConnectorHandshake(identity(1), nodeId(2));
  victim.receive(fresh.start());
  assert.equal(refusal(victim.receive(replayed.payload)), "wrong cluster secret");
});

test("wrong cluster id, unknown node and wrong address are refused with the reason", () => {
  assert.equal(refusal(run(identity(1, "s3cret", "c2"), identity(2)).connector), "cluster id c1");
  assert.equal(refusal(run(identity(9), identity(2)).acceptor), "unknown node id 9");
  assert.equal(refusal(run(identity(2), identity(2)).acceptor), "unknown node id 2");
  assert.equal(refusal(run(identity(1), identity(2), 3).connector), "answered as node 2");
});

test("a peer of another protocol version is refused by either side, naming both versions", () => {
  const reason = (version: unknown) =>
    `peer speaks protocol version ${String(version)}, this node ${peerProtocolVersion}: ` +
    "run the same onelog version on every node";
  /** `step` decoded, changed by `change`, encoded again. */
  const altered = (step: Buffer, change: (fields: Record<string, unknown>) => void) => {
    const decoded = decodePayload(step);
    assert.equal(decoded.kind, "ok");
    const fields = (decoded as { value: Record<string, unknown> }).value;
    change(fields);
    return encodePayload(fields);
  };
  for (const [label, change] of [
    [
      "a newer version",
      (fields: Record<string, unknown>) => (fields["protocol"] = peerProtocolVersion + 1),
    ],
    ["version 1, which sent none", (fields: Record<string, unknown>) => delete fields["protocol"]],
  ] as const) {
    const expected = reason(label === "a newer version" ? peerProtocolVersion + 1 : 1);
    const connecting = new ConnectorHandshake(identity(1), nodeId(2));
    const challenge = altered(new AcceptorHandshake(identity(2), isKnown).start(), change);
    assert.equal(refusal(connecting.receive(challenge)), expected, `challenge of ${label}`);
    const accepting = new AcceptorHandshake(identity(2), isKnown);
    const hello = new ConnectorHandshake(identity(1), nodeId(2)).receive(accepting.start());
    const older = altered((hello as { payload: Buffer }).payload, change);
    assert.equal(refusal(accepting.receive(older)), expected, `hello of ${label}`);
  }
});

test("a hello replayed to a new connection is refused: the nonce is fresh", () => {
  const first = new AcceptorHandshake(identity(2), isKnown);
  const hello = new ConnectorHandshake(identity(1), nodeId(2)).receive(first.start());
  assert.equal(hello.kind, "send");
  const second = new AcceptorHandshake(identity(2), isKnown);
  second.start();
  assert.equal(
    refusal(second.receive((hello as { payload: Buffer }).payload)),
    "wrong cluster secret",
  );
});

test("garbage instead of a handshake step is refused, not thrown", () => {
  const accepting = new AcceptorHandshake(identity(2), isKnown);
  accepting.start();
  assert.match(refusal(accepting.receive(Buffer.from([0xc1, 0xff]))) ?? "", /./);
  const connecting = new ConnectorHandshake(identity(1), nodeId(2));
  assert.match(refusal(connecting.receive(Buffer.from("nonsense"))) ?? "", /./);
});
