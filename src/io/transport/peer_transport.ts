/**
 * The TCP transport between the nodes of a cluster. Each node keeps one outbound connection per
 * peer for what it sends and accepts the peers' connections for what it receives; both ends of
 * every connection authenticate with the cluster secret (see handshake.ts). Delivery is best
 * effort: messages may be lost (queue overflow, reconnects, injected faults) but arrive in order
 * per connection and are never corrupted, which is what the replication protocol assumes of a
 * link (DESIGN.md §4; the simulator's network makes the same promise).
 */
import { createServer, type Server, type Socket } from "node:net";
import type { Message } from "../../core/replica/index.js";
import type { NodeId } from "../../core/types.js";
import { assert } from "../../util/assert.js";
import { TransportFaults } from "./faults.js";
import { type ClusterIdentity, checkIdentity } from "./handshake.js";
import { InboundConnection } from "./inbound_connection.js";
import type { TransportLogger } from "./logger.js";
import {
  OutboundPeer,
  type OutboundWrite,
  type PeerAddress,
  type TransportCounters,
} from "./outbound_peer.js";

export interface PeerTransportOptions {
  readonly clusterId: string;
  readonly nodeId: NodeId;
  /** The shared cluster secret; it never leaves the node, only proofs of it do. */
  readonly clusterSecret: string | Uint8Array;
  /** Where to listen; the host defaults to 127.0.0.1 (DESIGN.md §12), port 0 picks a free one. */
  readonly listen: { readonly host?: string; readonly port: number };
  /** The other nodes and their listeners; an entry for this node itself is ignored. */
  readonly peers: ReadonlyMap<NodeId, PeerAddress>;
  readonly logger: TransportLogger;
  /** Draws in [0, 1) for backoff jitter and injected loss; Math.random unless a test seeds it. */
  readonly random?: () => number;
  readonly sendQueueMessagesMax?: number;
  readonly socketBufferBytesMax?: number;
  readonly reconnectDelayMsMin?: number;
  readonly reconnectDelayMsMax?: number;
  readonly handshakeTimeoutMs?: number;
}

export const transportDefaults = {
  sendQueueMessagesMax: 4096,
  socketBufferBytesMax: 8 * 1024 * 1024,
  reconnectDelayMsMin: 50,
  reconnectDelayMsMax: 2000,
  handshakeTimeoutMs: 5000,
} as const;

export type MessageHandler = (message: Message) => void;

export class PeerTransport {
  /** Lab faults, changed at run time; all off by default. */
  readonly faults: TransportFaults;
  private readonly identity: ClusterIdentity;
  private readonly random: () => number;
  private readonly counters: TransportCounters = {
    sent: 0,
    writes: 0,
    received: 0,
    dropped: 0,
    faultDropped: 0,
  };
  private peerAddresses: ReadonlyMap<NodeId, PeerAddress> = new Map();
  private readonly outbound = new Map<NodeId, OutboundPeer>();
  private readonly inbound = new Set<InboundConnection>();
  private readonly delayTimers = new Set<NodeJS.Timeout>();
  private server: Server | undefined;
  private handler: MessageHandler | undefined;
  private state: "new" | "started" | "stopped" = "new";

  constructor(private readonly options: PeerTransportOptions) {
    const secret = options.clusterSecret;
    this.identity = {
      clusterId: options.clusterId,
      nodeId: options.nodeId,
      secret: typeof secret === "string" ? Buffer.from(secret, "utf8") : secret,
    };
    checkIdentity(this.identity);
    this.random = options.random ?? Math.random;
    this.faults = new TransportFaults(this.random);
    this.peerAddresses = options.peers;
  }

  /** Messages written to a socket. */
  get sent(): number {
    return this.counters.sent;
  }
  /** Socket writes that carried messages; `sent / writes` is the batching factor. */
  get writes(): number {
    return this.counters.writes;
  }
  /** Messages handed to the handler. */
  get received(): number {
    return this.counters.received;
  }
  /** Messages lost to a full queue, an unknown destination, a frame limit or stop(). */
  get dropped(): number {
    return this.counters.dropped;
  }
  /** Messages dropped on purpose by the injected faults. */
  get faultDropped(): number {
    return this.counters.faultDropped;
  }

  /** Peers with an authenticated outbound connection, ascending. */
  connectedPeers(): NodeId[] {
    return [...this.outbound]
      .filter(([, peer]) => peer.connected)
      .map(([id]) => id)
      .sort((a, b) => a - b);
  }

  /** Messages waiting to be written to `peer` (0 for an unknown peer). */
  queuedMessages(peer: NodeId): number {
    return this.outbound.get(peer)?.queuedMessages ?? 0;
  }

  /**
   * Sets the receiver of every message from every peer. It runs synchronously in the socket's
   * data callback, in arrival order per connection; a throw is a programmer error and crashes.
   */
  onMessage(handler: MessageHandler): void {
    this.handler = handler;
  }

  /** Listens, then starts connecting to every peer. */
  async start(): Promise<void> {
    assert(this.state === "new", () => `start of a transport that is ${this.state}`);
    this.state = "started";
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    const { host = "127.0.0.1", port } = this.options.listen;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host, port }, () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.on("error", (error) =>
      this.options.logger.warn({ error: error.message }, "peer listener error"),
    );
    this.setPeers(this.peerAddresses);
  }

  /** The address the listener is bound to (its real port when configured with 0). */
  address(): PeerAddress {
    const address = this.server?.address();
    assert(typeof address === "object" && address !== null, "address of a transport not started");
    return { host: address.address, port: address.port };
  }

  /**
   * Replaces the address book: new peers get a connection, removed ones lose it (with their
   * queue) and their inbound connections, and a peer whose address changed reconnects.
   */
  setPeers(peers: ReadonlyMap<NodeId, PeerAddress>): void {
    this.peerAddresses = peers;
    if (this.state !== "started") return;
    for (const connection of this.inbound) {
      if (connection.peer !== undefined && !peers.has(connection.peer)) {
        connection.close("peer removed from the cluster");
      }
    }
    for (const [id, peer] of this.outbound) {
      const address = peers.get(id);
      if (address?.host !== peer.address.host || address.port !== peer.address.port) {
        void peer.stop();
        this.outbound.delete(id);
      }
    }
    for (const [id, address] of peers) {
      if (id === this.options.nodeId || this.outbound.has(id)) continue;
      const peer = new OutboundPeer({
        identity: this.identity,
        peer: id,
        address,
        sendQueueMessagesMax:
          this.options.sendQueueMessagesMax ?? transportDefaults.sendQueueMessagesMax,
        socketBufferBytesMax:
          this.options.socketBufferBytesMax ?? transportDefaults.socketBufferBytesMax,
        backoff: {
          delayMsMin: this.options.reconnectDelayMsMin ?? transportDefaults.reconnectDelayMsMin,
          delayMsMax: this.options.reconnectDelayMsMax ?? transportDefaults.reconnectDelayMsMax,
        },
        handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? transportDefaults.handshakeTimeoutMs,
        random: this.random,
        logger: this.options.logger,
        counters: this.counters,
      });
      this.outbound.set(id, peer);
      peer.start();
    }
  }

  /**
   * Queues messages for their peers; what is queued in one event-loop turn goes out in one write
   * per peer. Never blocks and never fails: an unreachable peer's queue drops its oldest.
   */
  send(messages: readonly Message[]): void {
    this.dispatch(messages, "end of turn");
  }

  /**
   * `send`, written at once rather than at the end of the turn, so that the wire keeps the Ready
   * loop's order: a leader's records leave before its fsync, not after it (processReady).
   * Messages an injected delay holds back still wait for it.
   */
  sendNow(messages: readonly Message[]): void {
    this.dispatch(messages, "now");
    for (const message of messages) this.outbound.get(message.to)?.flushNow();
  }

  private dispatch(messages: readonly Message[], write: OutboundWrite): void {
    if (this.state === "stopped") return;
    if (!this.faults.active) {
      for (const message of messages) this.route(message, write);
      return;
    }
    const kept = messages.filter((message) => {
      const drop = this.faults.dropsOutgoing(message.to);
      if (drop) this.counters.faultDropped++;
      return !drop;
    });
    if (!this.faults.delays) {
      for (const message of kept) this.route(message, write);
    } else if (this.faults.settings.delayJitterMs === 0) {
      this.later(this.faults.delayMsNext(), kept);
    } else {
      for (const message of kept) this.later(this.faults.delayMsNext(), [message]);
    }
  }

  /** Closes the listener and every connection and cancels every timer. */
  async stop(): Promise<void> {
    if (this.state === "stopped") return;
    const wasStarted = this.state === "started";
    this.state = "stopped";
    for (const timer of this.delayTimers) clearTimeout(timer);
    this.delayTimers.clear();
    const closing: Promise<void>[] = [...this.outbound.values()].map((peer) => peer.stop());
    this.outbound.clear();
    for (const connection of this.inbound) {
      connection.close("transport stopped", true);
      closing.push(connection.closed);
    }
    if (wasStarted && this.server !== undefined) {
      const server = this.server;
      closing.push(new Promise((resolve) => server.close(() => resolve())));
    }
    await Promise.all(closing);
  }

  private route(message: Message, write: OutboundWrite): void {
    assert(message.from === this.options.nodeId, () => `send of a message from ${message.from}`);
    const peer = this.outbound.get(message.to);
    if (peer === undefined) this.counters.dropped++;
    else peer.enqueue(message, write);
  }

  private later(delayMs: number, messages: readonly Message[]): void {
    if (messages.length === 0) return;
    const timer = setTimeout(() => {
      this.delayTimers.delete(timer);
      for (const message of messages) this.route(message, "end of turn");
    }, delayMs);
    this.delayTimers.add(timer);
  }

  private accept(socket: Socket): void {
    if (this.state !== "started") {
      socket.destroy();
      return;
    }
    const connection = new InboundConnection(socket, {
      identity: this.identity,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? transportDefaults.handshakeTimeoutMs,
      logger: this.options.logger,
      isKnownPeer: (peer) => this.peerAddresses.has(peer),
      onAuthenticated: (authenticated) => {
        // A peer reconnects after it lost its connection; the old one, if this side has not
        // noticed yet, is a half-open leftover that must not deliver anything more.
        for (const other of this.inbound) {
          if (other !== authenticated && other.peer === authenticated.peer) {
            other.close("replaced by a newer connection", true);
          }
        }
      },
      onMessage: (message) => this.deliver(message),
      onClosed: (closed) => this.inbound.delete(closed),
    });
    this.inbound.add(connection);
  }

  private deliver(message: Message): void {
    if (this.faults.active && this.faults.dropsIncoming(message.from)) {
      this.counters.faultDropped++;
      return;
    }
    if (this.handler === undefined) {
      this.counters.dropped++;
      return;
    }
    this.counters.received++;
    this.handler(message);
  }
}
