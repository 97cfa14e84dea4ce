/**
 * The one outbound connection to a peer, which carries every message this node sends it (the
 * peer's messages to us arrive on its own outbound connection, so each TCP stream flows one way
 * and needs no multiplexing). It connects, authenticates, and then writes whatever was queued in
 * one event-loop turn with one `socket.write`; on any failure it reconnects after a backoff, and
 * messages queue meanwhile in a bounded queue that drops the oldest.
 */
import { connect, type Socket } from "node:net";
import type { Message } from "../../core/replica/index.js";
import type { NodeId } from "../../core/types.js";
import { assert } from "../../util/assert.js";
import { type BackoffLimits, reconnectDelayMs } from "./backoff.js";
import { BoundedQueue } from "./bounded_queue.js";
import { encodeMessage } from "./codec.js";
import { encodeFrames, FrameDecoder, peerFrameBytesMax } from "./framing.js";
import { type ClusterIdentity, ConnectorHandshake, handshakeFrameBytesMax } from "./handshake.js";
import type { TransportLogger } from "./logger.js";

export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

/** Counters shared by every connection of one transport. */
export interface TransportCounters {
  sent: number;
  /** Socket writes that carried messages: `sent / writes` is how well sends batch. */
  writes: number;
  received: number;
  dropped: number;
  faultDropped: number;
}

export interface OutboundPeerOptions {
  readonly identity: ClusterIdentity;
  readonly peer: NodeId;
  readonly address: PeerAddress;
  readonly sendQueueMessagesMax: number;
  /** Above this many unsent bytes in the socket, wait for `drain` and let the queue absorb. */
  readonly socketBufferBytesMax: number;
  readonly backoff: BackoffLimits;
  readonly handshakeTimeoutMs: number;
  readonly random: () => number;
  readonly logger: TransportLogger;
  readonly counters: TransportCounters;
}

type State = "connecting" | "ready" | "waiting" | "stopped";

/** When queued messages are written: by the turn's end, or by the caller's `flushNow`. */
export type OutboundWrite = "end of turn" | "now";

export class OutboundPeer {
  private state: State = "waiting";
  private socket: Socket | undefined;
  private readonly queue: BoundedQueue<Message>;
  private flushImmediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  /** The last problem logged, so a peer that stays down logs once, not on every retry. */
  private problemLogged: string | undefined;
  private closed: Promise<void> = Promise.resolve();
  /** Connected and handshaking, with no failure seen on our side: a close is the peer's doing. */
  private closedByAcceptor = false;

  constructor(private readonly options: OutboundPeerOptions) {
    this.queue = new BoundedQueue(options.sendQueueMessagesMax);
  }

  get address(): PeerAddress {
    return this.options.address;
  }

  get connected(): boolean {
    return this.state === "ready";
  }

  get queuedMessages(): number {
    return this.queue.length;
  }

  start(): void {
    assert(this.state === "waiting" && this.socket === undefined, () => `start in ${this.state}`);
    this.connect();
  }

  /** Queues `message`; at the end of the turn it is written, or `now` by the caller's flushNow. */
  enqueue(message: Message, write: OutboundWrite): void {
    if (this.state === "stopped") return;
    if (this.queue.push(message) !== undefined) this.options.counters.dropped++;
    if (write === "end of turn" && this.state === "ready" && this.flushImmediate === undefined) {
      this.flushImmediate = setImmediate(() => this.flush());
    }
  }

  /** Writes what is queued now, not at the end of the event-loop turn. */
  flushNow(): void {
    if (this.flushImmediate !== undefined) clearImmediate(this.flushImmediate);
    this.flush();
  }

  /** Closes the connection and cancels every timer; resolves once the socket is closed. */
  stop(): Promise<void> {
    this.state = "stopped";
    this.cancelTimers();
    this.socket?.destroy();
    this.options.counters.dropped += this.queue.drain().length;
    return this.closed;
  }

  private connect(): void {
    const { identity, peer, address, handshakeTimeoutMs } = this.options;
    this.state = "connecting";
    const socket = connect({ host: address.host, port: address.port, noDelay: true });
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    const decoder = new FrameDecoder(handshakeFrameBytesMax);
    const handshake = new ConnectorHandshake(identity, peer);
    this.timer = setTimeout(() => this.fail(socket, "handshake timed out"), handshakeTimeoutMs);
    socket.setKeepAlive(true);
    socket.on("data", (chunk: Buffer) => {
      decoder.write(chunk);
      while (this.socket === socket) {
        const frame = decoder.read();
        if (frame === undefined) return;
        if (!Buffer.isBuffer(frame)) return this.fail(socket, `${frame.kind} ${frame.frameBytes}`);
        if (this.state === "ready") return this.fail(socket, "unexpected frame from acceptor");
        const step = handshake.receive(frame);
        if (step.kind === "refused") return this.fail(socket, `handshake: ${step.reason}`, true);
        if (step.kind === "send") socket.write(encodeFrames([step.payload]));
        else this.onAuthenticated();
      }
    });
    socket.on("drain", () => this.flush());
    socket.on("error", (error) => this.fail(socket, error.message));
    socket.once("connect", () => {
      this.closedByAcceptor = true;
    });
    socket.on("close", () => this.onClose(socket));
  }

  private onAuthenticated(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.closedByAcceptor = false;
    this.state = "ready";
    this.failures = 0;
    this.problemLogged = undefined;
    this.options.logger.info(
      { peer: this.options.peer, address: this.options.address },
      "peer connected",
    );
    this.flush();
  }

  /** Ends this connection attempt; the `close` event schedules the next one. */
  private fail(socket: Socket, problem: string, refused = false): void {
    if (this.socket !== socket) return;
    this.closedByAcceptor = false;
    this.note(problem, refused);
    socket.destroy();
  }

  private note(problem: string, refused: boolean): void {
    if (problem === this.problemLogged) return;
    this.problemLogged = problem;
    const fields = { peer: this.options.peer, address: this.options.address, problem };
    if (refused) this.options.logger.warn(fields, "peer refused");
    else this.options.logger.info(fields, "peer connection failed, retrying");
  }

  private onClose(socket: Socket): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.cancelTimers();
    if (this.state === "stopped") return;
    // An acceptor that refuses us only closes (telling a stranger why would help it guess).
    if (this.closedByAcceptor) this.note("closed by the peer during the handshake", true);
    if (this.state === "ready") {
      this.options.logger.info({ peer: this.options.peer }, "peer connection lost, reconnecting");
    }
    this.state = "waiting";
    const delayMs = reconnectDelayMs(this.options.backoff, this.failures++, this.options.random);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect();
    }, delayMs);
  }

  private cancelTimers(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushImmediate !== undefined) clearImmediate(this.flushImmediate);
    this.flushImmediate = undefined;
  }

  /** Writes every queued message as frames in one buffer, unless the socket is backed up. */
  private flush(): void {
    this.flushImmediate = undefined;
    const socket = this.socket;
    if (this.state !== "ready" || socket === undefined || this.queue.length === 0) return;
    if (socket.writableLength > this.options.socketBufferBytesMax) return;
    const payloads: Buffer[] = [];
    for (const message of this.queue.drain()) {
      const payload = encodeMessage(message);
      if (payload.length <= peerFrameBytesMax) {
        payloads.push(payload);
        continue;
      }
      // A message above the frame limit would be refused by every peer; only its sender can
      // cut it (a smaller fetch), so it is logged and dropped rather than sent.
      this.options.counters.dropped++;
      this.options.logger.warn(
        { peer: this.options.peer, kind: message.body.kind, bytes: payload.length },
        "message larger than a frame dropped",
      );
    }
    if (payloads.length === 0) return;
    socket.write(encodeFrames(payloads));
    this.options.counters.sent += payloads.length;
    this.options.counters.writes++;
  }
}
