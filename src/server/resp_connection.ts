/**
 * One client connection of the RESP listener: bytes in through the sans-IO decoder, each command
 * dispatched at once (so pipelined writes share an fsync), replies written strictly in request
 * order. A command's effect on the session (HELLO 3) applies before the next one is dispatched,
 * and its reply is rendered in the protocol in force right after it ran, as Redis does.
 *
 * A protocol error is answered with Redis's text and closes the connection (networking.c
 * setProtocolError). Nothing a client sends can throw out of here.
 */
import type { Socket } from "node:net";
import type { Logger } from "pino";
import type { Store } from "../api/index.js";
import {
  type CommandContext,
  dispatch,
  type ServerFacts,
  type Session,
} from "../protocols/resp/commands/index.js";
import {
  isProtocolError,
  type Reply,
  ReplyWriter,
  type RespProtocol,
  RespRequestDecoder,
  replies,
} from "../protocols/resp/index.js";

interface Slot {
  done: boolean;
  /** Undefined with `done`: close without answering (the query buffer limit). */
  reply: Reply | undefined;
  protocol: RespProtocol;
  closeAfter: boolean;
}

/** Commands answered out of a connection's pipeline at most; past it the socket stops reading. */
const inFlightMax = 1024;

export class RespConnection {
  private readonly decoder = new RespRequestDecoder();
  private readonly session: Session;
  private readonly context: CommandContext;
  private readonly queue: Slot[] = [];
  private readonly writer = new ReplyWriter();
  private closing = false;
  private paused = false;

  constructor(
    private readonly socket: Socket,
    clientId: number,
    store: Store,
    server: ServerFacts,
    private readonly logger: Logger,
  ) {
    this.session = { protocol: 2, clientId, name: null, closeAfterReply: false };
    this.context = { store, session: this.session, server, nowMs: () => Date.now() };
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("drain", () => this.resumeIfRoom());
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    this.decoder.write(chunk);
    while (!this.closing && this.queue.length < inFlightMax) {
      const next = this.decoder.next();
      if (next === undefined) break;
      if (isProtocolError(next)) {
        this.closing = true;
        const reply = next.reply === undefined ? undefined : replies.error(next.reply);
        this.queue.push({ done: true, reply, protocol: this.session.protocol, closeAfter: true });
        this.logger.debug({ client: this.session.clientId, error: next.code }, "protocol error");
        break;
      }
      this.run(next);
    }
    const full = this.queue.length >= inFlightMax || this.socket.writableNeedDrain;
    if (full && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    this.flush();
  }

  private run(args: Buffer[]): void {
    const result = dispatch(args, this.context, (error, command) =>
      this.logger.error({ err: error, command }, "command handler failed"),
    );
    const slot: Slot = {
      done: false,
      reply: undefined,
      protocol: this.session.protocol,
      closeAfter: this.session.closeAfterReply,
    };
    if (slot.closeAfter) this.closing = true;
    this.queue.push(slot);
    if (result instanceof Promise) {
      void result.then((reply) => {
        slot.reply = reply;
        slot.done = true;
        this.flush();
      });
    } else {
      slot.reply = result;
      slot.done = true;
    }
  }

  /** Writes every reply at the head of the queue that is ready, in one socket write. */
  private flush(): void {
    let close = false;
    while (this.queue.length > 0) {
      const head = this.queue[0] as Slot;
      if (!head.done) break;
      this.queue.shift();
      if (head.reply !== undefined) this.writer.write(head.reply, head.protocol);
      if (head.closeAfter) {
        close = true;
        break;
      }
    }
    if (this.writer.byteLength > 0 && !this.socket.destroyed) this.socket.write(this.writer.take());
    if (close) {
      this.queue.length = 0;
      this.socket.end();
      return;
    }
    this.resumeIfRoom();
  }

  private resumeIfRoom(): void {
    if (!this.paused || this.queue.length >= inFlightMax / 2 || this.socket.writableNeedDrain)
      return;
    this.paused = false;
    this.socket.resume();
    // Commands may be waiting in the decoder from before the pause.
    this.onData(Buffer.alloc(0));
  }
}
