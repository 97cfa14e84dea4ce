/**
 * One accepted connection: challenge the peer, check its hello, then decode its messages and hand
 * them over synchronously, in arrival order. Anything wrong — a bad handshake, a malformed or
 * oversize frame, a message that claims another sender — closes the connection with a logged
 * reason; no peer input throws out of here.
 */
import type { Socket } from "node:net";
import type { Message } from "../../core/replica/index.js";
import type { NodeId } from "../../core/types.js";
import { decodeMessage } from "./codec.js";
import { encodeFrames, FrameDecoder, peerFrameBytesMax } from "./framing.js";
import { AcceptorHandshake, type ClusterIdentity, handshakeFrameBytesMax } from "./handshake.js";
import type { TransportLogger } from "./logger.js";

export interface InboundHooks {
  readonly identity: ClusterIdentity;
  readonly handshakeTimeoutMs: number;
  readonly logger: TransportLogger;
  isKnownPeer(peer: NodeId): boolean;
  onAuthenticated(connection: InboundConnection): void;
  onMessage(message: Message): void;
  onClosed(connection: InboundConnection): void;
}

export class InboundConnection {
  /** The authenticated peer, once the handshake is done. */
  peer: NodeId | undefined;
  private closing = false;
  private readonly decoder = new FrameDecoder(handshakeFrameBytesMax);
  private readonly handshake: AcceptorHandshake;
  private handshakeTimer: NodeJS.Timeout | undefined;
  readonly closed: Promise<void>;

  constructor(
    private readonly socket: Socket,
    private readonly hooks: InboundHooks,
  ) {
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    this.handshake = new AcceptorHandshake(hooks.identity, (peer) => hooks.isKnownPeer(peer));
    this.handshakeTimer = setTimeout(
      () => this.close("handshake timed out"),
      hooks.handshakeTimeoutMs,
    );
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (error) => this.close(error.message));
    socket.on("close", () => {
      clearTimeout(this.handshakeTimer);
      hooks.onClosed(this);
    });
    socket.write(encodeFrames([this.handshake.start()]));
  }

  get remote(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  /** Destroys the socket; logs `reason` as a warning unless it is an ordinary shutdown. */
  close(reason: string, quiet = false): void {
    if (this.closing) return;
    this.closing = true;
    if (!quiet) {
      this.hooks.logger.warn(
        { peer: this.peer, remote: this.remote, reason },
        "peer connection closed",
      );
    }
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.decoder.write(chunk);
    while (!this.closing) {
      const frame = this.decoder.read();
      if (frame === undefined) return;
      if (!Buffer.isBuffer(frame)) {
        return this.close(`${frame.kind}: ${frame.frameBytes} > ${frame.frameBytesMax} bytes`);
      }
      if (this.peer === undefined) this.onHandshakeFrame(frame);
      else this.onMessageFrame(this.peer, frame);
    }
  }

  private onHandshakeFrame(frame: Buffer): void {
    const step = this.handshake.receive(frame);
    if (step.kind !== "done") {
      const reason = step.kind === "refused" ? step.reason : "unexpected handshake step";
      this.hooks.logger.warn({ remote: this.remote, reason }, "peer refused");
      this.closing = true;
      this.socket.destroy();
      return;
    }
    clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
    this.peer = step.peer;
    this.decoder.frameBytesMax = peerFrameBytesMax;
    if (step.payload !== undefined) this.socket.write(encodeFrames([step.payload]));
    this.hooks.onAuthenticated(this);
  }

  private onMessageFrame(peer: NodeId, frame: Buffer): void {
    const decoded = decodeMessage(frame);
    if (decoded.kind === "malformed") return this.close(decoded.reason);
    const message = decoded.value;
    if (message.from !== peer) return this.close(`message from ${message.from} on its connection`);
    if (message.to !== this.hooks.identity.nodeId) {
      return this.close(`message to node ${message.to}`);
    }
    this.hooks.onMessage(message);
  }
}
