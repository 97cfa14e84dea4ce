/**
 * The peer handshake, as two small state machines over decoded frames (no sockets, so each step
 * is testable alone). Both sides prove knowledge of the cluster secret without sending it, each
 * over a fresh nonce chosen by the other side (challenge-response, as SCRAM and TLS-PSK do):
 *
 *   acceptor  -> challenge {protocol, clusterId, nodeId, nonce}
 *   connector -> hello     {protocol, clusterId, nodeId, to, nonce, proof = HMAC(secret, connector, ids, acceptor nonce)}
 *   acceptor  -> welcome   {proof = HMAC(secret, acceptor, ids, connector nonce)}
 *
 * `protocol` is the peer protocol's version: a node talks only to peers of its own version, and
 * says so, rather than misreading messages whose shape or meaning changed (version 1, which sent
 * no version, did not have chunked snapshot entries). The version is inside every HMAC too.
 *
 * Authentication is mutual: the acceptor must not take replication messages (which can truncate
 * a log) from a stranger, and the connector must not hand records (user data) to whatever process
 * has taken a peer's port. The role and both node ids are inside each HMAC, so a proof cannot be
 * replayed on another connection (fresh nonce) or reflected back as the other side's proof.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { NodeId } from "../../core/types.js";
import { assert } from "../../util/assert.js";
import { decodePayload, encodePayload } from "./codec.js";

export const handshakeNonceBytes = 32;
const proofBytes = 32;
/** Handshake frames are tiny; an unauthenticated peer may not make a node buffer more. */
export const handshakeFrameBytesMax = 4096;
/** Raised with every change to the shape or meaning of peer messages. */
export const peerProtocolVersion = 11;
const protocolLabel = `onelog-peer-v${peerProtocolVersion}`;

export interface ClusterIdentity {
  readonly clusterId: string;
  readonly nodeId: NodeId;
  readonly secret: Uint8Array;
}

export type HandshakeStep =
  | { kind: "send"; payload: Buffer }
  /** Authenticated; `payload`, when present, is the last step to send to the peer. */
  | { kind: "done"; peer: NodeId; payload?: Buffer }
  | { kind: "refused"; reason: string };

type Role = "connector" | "acceptor";

function proof(
  identity: ClusterIdentity,
  role: Role,
  from: NodeId,
  to: NodeId,
  nonce: Uint8Array,
): Buffer {
  const hmac = createHmac("sha256", identity.secret);
  hmac.update(JSON.stringify([protocolLabel, role, identity.clusterId, from, to]));
  hmac.update(nonce);
  return hmac.digest();
}

function proofMatches(given: unknown, expected: Buffer): boolean {
  return (
    given instanceof Uint8Array && given.length === proofBytes && timingSafeEqual(given, expected)
  );
}

const isNonce = (value: unknown): value is Uint8Array =>
  value instanceof Uint8Array && value.length === handshakeNonceBytes;

/** Decodes a handshake step of `kind`, or says why it is not one. */
function decodeStep(payload: Uint8Array, kind: string): Record<string, unknown> | string {
  const decoded = decodePayload(payload);
  if (decoded.kind === "malformed") return decoded.reason;
  const step = decoded.value;
  if (typeof step !== "object" || step === null) return `expected ${kind}`;
  const fields = step as Record<string, unknown>;
  return fields["kind"] === kind ? fields : `expected ${kind}, got ${String(fields["kind"])}`;
}

/** Why a peer's challenge or hello is of another protocol version, or undefined. */
function versionProblem(step: Record<string, unknown>): string | undefined {
  const version = step["protocol"] ?? 1;
  if (version === peerProtocolVersion) return undefined;
  return (
    `peer speaks protocol version ${String(version)}, this node ${peerProtocolVersion}: ` +
    "run the same onelog version on every node"
  );
}

export function checkIdentity(identity: ClusterIdentity): void {
  assert(identity.secret.length > 0, "empty cluster secret");
  assert(identity.clusterId.length > 0, "empty cluster id");
}

/** The accepting side: sends the challenge, checks the hello, answers with its own proof. */
export class AcceptorHandshake {
  private readonly nonce = randomBytes(handshakeNonceBytes);
  private finished = false;

  constructor(
    private readonly identity: ClusterIdentity,
    private readonly isKnownPeer: (peer: NodeId) => boolean,
  ) {}

  start(): Buffer {
    const { clusterId, nodeId } = this.identity;
    const protocol = peerProtocolVersion;
    return encodePayload({ kind: "challenge", protocol, clusterId, nodeId, nonce: this.nonce });
  }

  receive(payload: Uint8Array): HandshakeStep {
    assert(!this.finished, "acceptor handshake step after the end");
    this.finished = true;
    const hello = decodeStep(payload, "hello");
    if (typeof hello === "string") return { kind: "refused", reason: hello };
    const version = versionProblem(hello);
    if (version !== undefined) return { kind: "refused", reason: version };
    const { clusterId, nodeId: self } = this.identity;
    if (hello["clusterId"] !== clusterId)
      return { kind: "refused", reason: `cluster id ${String(hello["clusterId"])}` };
    const peer = hello["nodeId"] as NodeId;
    if (!Number.isSafeInteger(peer) || peer === self || !this.isKnownPeer(peer))
      return { kind: "refused", reason: `unknown node id ${String(hello["nodeId"])}` };
    if (hello["to"] !== self)
      return { kind: "refused", reason: `addressed to node ${String(hello["to"])}` };
    if (!proofMatches(hello["proof"], proof(this.identity, "connector", peer, self, this.nonce)))
      return { kind: "refused", reason: "wrong cluster secret" };
    if (!isNonce(hello["nonce"])) return { kind: "refused", reason: "bad nonce" };
    const answer = proof(this.identity, "acceptor", self, peer, hello["nonce"]);
    return { kind: "done", peer, payload: encodePayload({ kind: "welcome", proof: answer }) };
  }
}

/** The connecting side: answers the challenge, then checks the acceptor's proof. */
export class ConnectorHandshake {
  private readonly nonce = randomBytes(handshakeNonceBytes);
  private state: "challenge" | "welcome" | "finished" = "challenge";

  constructor(
    private readonly identity: ClusterIdentity,
    private readonly expectedPeer: NodeId,
  ) {}

  receive(payload: Uint8Array): HandshakeStep {
    const { clusterId, nodeId: self } = this.identity;
    const peer = this.expectedPeer;
    switch (this.state) {
      case "challenge": {
        this.state = "welcome";
        const challenge = decodeStep(payload, "challenge");
        if (typeof challenge === "string") return { kind: "refused", reason: challenge };
        const version = versionProblem(challenge);
        if (version !== undefined) return { kind: "refused", reason: version };
        if (challenge["clusterId"] !== clusterId)
          return { kind: "refused", reason: `cluster id ${String(challenge["clusterId"])}` };
        if (challenge["nodeId"] !== peer)
          return { kind: "refused", reason: `answered as node ${String(challenge["nodeId"])}` };
        if (!isNonce(challenge["nonce"])) return { kind: "refused", reason: "bad nonce" };
        const answer = proof(this.identity, "connector", self, peer, challenge["nonce"]);
        return {
          kind: "send",
          payload: encodePayload({
            kind: "hello",
            protocol: peerProtocolVersion,
            clusterId,
            nodeId: self,
            to: peer,
            nonce: this.nonce,
            proof: answer,
          }),
        };
      }
      case "welcome": {
        this.state = "finished";
        const welcome = decodeStep(payload, "welcome");
        if (typeof welcome === "string") return { kind: "refused", reason: welcome };
        if (
          !proofMatches(welcome["proof"], proof(this.identity, "acceptor", peer, self, this.nonce))
        )
          return { kind: "refused", reason: "wrong cluster secret" };
        return { kind: "done", peer };
      }
      case "finished":
        assert(false, "connector handshake step after the end");
    }
  }
}
