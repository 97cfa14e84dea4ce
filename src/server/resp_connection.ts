/**
 * One client connection of the RESP listener: bytes in through the sans-IO decoder, commands
 * dispatched in order, replies written strictly in request order. Consecutive writes of a
 * pipeline run together, so they are appended in order and share one fsync; a read waits until
 * every command before it is answered and a write waits for the reads before it, so a pipeline
 * sees its own effects in order as it would on Redis (a GET after a SET reads that SET). A
 * command's effect on the session (HELLO 3) applies before the next one is dispatched, and its
 * reply is rendered in the protocol in force right after it ran, as Redis does.
 *
 * A protocol error is answered with Redis's text and closes the connection (networking.c
 * setProtocolError). Nothing a client sends can throw out of here.
 *
 * A pub/sub message takes its place behind the replies to the commands received before it. A
 * subscriber that lets more than `pushBytesMax` of messages pile up unread is disconnected, as
 * Redis's `client-output-buffer-limit pubsub 32mb` hard limit does.
 */
import type { Socket } from "node:net";
import type { Logger } from "pino";
import type { Store } from "../api/index.js";
import {
  type ClientRecord,
  type CommandContext,
  type CommandSpec,
  commandFullName,
  DeferredReply,
  dispatchUnguarded,
  findCommand,
  internalError,
  newSession,
  type ReplyTarget,
  type ServerFacts,
  type ServerState,
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

/**
 * A reply's place in the connection's order: a command's, answered now or later, or a pub/sub
 * message's. A command answered later through a DeferredReply is answered into its slot.
 */
class Slot implements ReplyTarget {
  done = false;
  /** Undefined with `done`: close without answering (the query buffer limit). */
  reply: Reply | undefined = undefined;

  constructor(
    private readonly connection: RespConnection,
    readonly protocol: RespProtocol,
    readonly closeAfter: boolean,
    /** The command's ordering, undefined for a message or a reply that came at once. */
    readonly access: CommandSpec["access"] | undefined,
    /** The command's name, for an internal error's reply. */
    readonly name: string,
    /** A pub/sub message's size (frameBytes); 0 for a reply. */
    readonly pushBytes = 0,
  ) {}

  replied(reply: Reply): void {
    this.connection.answered(this, reply);
  }

  failed(thrown: unknown): void {
    this.connection.answered(this, this.connection.internalError(thrown, this.name));
  }

  /** Filled at once: a reply that needed no waiting, a message, or the protocol error's. */
  static filled(
    connection: RespConnection,
    reply: Reply | undefined,
    protocol: RespProtocol,
    closeAfter: boolean,
    pushBytes = 0,
  ): Slot {
    const slot = new Slot(connection, protocol, closeAfter, undefined, "", pushBytes);
    slot.reply = reply;
    slot.done = true;
    return slot;
  }
}

/** Commands answered out of a connection's pipeline at most; past it the socket stops reading. */
const inFlightMax = 1024;
/** Bytes of pub/sub messages a subscriber may leave unread (Redis: 32 MiB for pubsub clients). */
const pushBytesMax = 32 * 1024 * 1024;

export class RespConnection {
  private readonly decoder = new RespRequestDecoder();
  private readonly record: ClientRecord;
  private readonly session: Session;
  private readonly context: CommandContext;
  private readonly queue: Slot[] = [];
  /** Decoded commands not yet dispatched, behind one that must wait (copied: see the decoder). */
  private readonly waiting: Buffer[][] = [];
  /** Dispatched commands not yet answered, by access. */
  private writesInFlight = 0;
  private readsInFlight = 0;
  private scriptsInFlight = 0;
  private othersInFlight = 0;
  private readonly writer = new ReplyWriter();
  private closing = false;
  private paused = false;
  private flushScheduled = false;
  /** Bytes of messages queued behind replies, not yet handed to the socket. */
  private pushBytesQueued = 0;

  constructor(
    private readonly socket: Socket,
    clientId: number,
    store: Store,
    server: ServerFacts,
    state: ServerState,
    private readonly logger: Logger,
  ) {
    this.session = newSession(clientId, state.requirePassword === "");
    const subscriber = { session: this.session, push: (message: Reply) => this.push(message) };
    this.context = {
      store,
      session: this.session,
      subscriber,
      server,
      state,
      nowMs: () => Date.now(),
      onInternalError: (error, command) =>
        this.logger.error({ err: error, command }, "command handler failed"),
    };
    const nowMs = Date.now();
    this.record = {
      session: this.session,
      address: `${socket.remoteAddress}:${socket.remotePort}`,
      localAddress: `${socket.localAddress}:${socket.localPort}`,
      connectedAtMs: nowMs,
      lastInteractionAtMs: nowMs,
      lastCommand: "NULL",
      kill: () => socket.destroy(),
    };
    state.clients.set(clientId, this.record);
    state.stats.connectionsReceived++;
    socket.on("close", () => {
      state.clients.delete(clientId);
      state.pubsub.forget(subscriber);
      state.blocked.forget(clientId);
    });
    this.decoder.setAuthRequired(!this.session.authenticated);
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("drain", () => this.resumeIfRoom());
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    // CLIENT LIST's idle: the last time the client sent anything, as Redis's lastinteraction.
    this.record.lastInteractionAtMs = Date.now();
    this.decoder.write(chunk);
    this.dispatchWaiting();
    while (!this.closing && this.queue.length + this.waiting.length < inFlightMax) {
      const next = this.decoder.next();
      if (next === undefined) break;
      if (isProtocolError(next)) {
        this.closing = true;
        const reply = next.reply === undefined ? undefined : replies.error(next.reply);
        this.waiting.push([]);
        this.protocolErrorReply = reply;
        this.logger.debug({ client: this.session.clientId, error: next.code }, "protocol error");
        break;
      }
      const spec = findCommand(next);
      if (this.waiting.length === 0 && this.mayRun(spec)) this.run(next, spec);
      else this.waiting.push(next.map((argument) => Buffer.from(argument)));
    }
    this.dispatchWaiting();
    const full = this.queue.length >= inFlightMax || this.socket.writableNeedDrain;
    if (full && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    this.flush();
  }

  /** The protocol error that ends the connection, answered after everything before it. */
  private protocolErrorReply: Reply | undefined;

  private mayRun(spec: CommandSpec | undefined): boolean {
    const access = ordering(spec);
    const { readsInFlight, writesInFlight, scriptsInFlight, othersInFlight } = this;
    // Reads run together (none can see another's effect); a read waits for the writes and
    // scripts before it so that it sees them, and a write for the reads before it so that they
    // do not see it, and for the scripts before it, so that its record comes after theirs.
    if (access === "read") return writesInFlight + scriptsInFlight + othersInFlight === 0;
    if (access === "write") return readsInFlight + scriptsInFlight + othersInFlight === 0;
    // A script waits for every command before it but the scripts: those queue before it on the
    // node, and it runs in their batch (seeing their writes) or in one after their record.
    if (access === "script") return readsInFlight + writesInFlight + othersInFlight === 0;
    // EXEC and the blocking commands: every command before it is answered, and none after it
    // runs before it is.
    if (access === "exclusive") {
      return readsInFlight + writesInFlight + scriptsInFlight + othersInFlight === 0;
    }
    return true;
  }

  /** Dispatches the waiting commands, in order, for as long as each may run. */
  private dispatchWaiting(): void {
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as Buffer[];
      if (next.length === 0) {
        // The protocol error's place in the pipeline: answer it and close after.
        this.waiting.shift();
        const reply = this.protocolErrorReply;
        this.queue.push(Slot.filled(this, reply, this.session.protocol, true));
        return;
      }
      const spec = findCommand(next);
      if (!this.mayRun(spec)) return;
      this.waiting.shift();
      this.run(next, spec);
    }
  }

  private run(args: Buffer[], spec: CommandSpec | undefined): void {
    this.record.lastCommand = commandFullName(args, spec);
    const result = dispatchUnguarded(args, this.context, spec);
    // AUTH, HELLO AUTH and RESET change whether the decoder applies Redis's pre-auth limits.
    this.decoder.setAuthRequired(!this.session.authenticated);
    const { protocol, closeAfterReply } = this.session;
    if (closeAfterReply) this.closing = true;
    if (!(result instanceof Promise || result instanceof DeferredReply)) {
      this.queue.push(Slot.filled(this, result, protocol, closeAfterReply));
      return;
    }
    const access = ordering(spec);
    const slot = new Slot(this, protocol, closeAfterReply, access, spec?.name ?? "");
    this.queue.push(slot);
    this.countInFlight(access, 1);
    if (result instanceof DeferredReply) result.answerTo(slot);
    else
      result.then(
        (reply) => slot.replied(reply),
        (thrown: unknown) => slot.failed(thrown),
      );
  }

  /** A command dispatched earlier is answered (its Slot's call). */
  answered(slot: Slot, reply: Reply): void {
    this.countInFlight(slot.access, -1);
    slot.reply = reply;
    slot.done = true;
    this.scheduleFlush();
  }

  /** Counts a command of `access` into (`change` 1) or out of (-1) the ones in flight. */
  private countInFlight(access: CommandSpec["access"], change: 1 | -1): void {
    if (access === "write") this.writesInFlight += change;
    else if (access === "read") this.readsInFlight += change;
    else if (access === "script") this.scriptsInFlight += change;
    else this.othersInFlight += change;
  }

  /** A handler that failed (a bug): reported, and answered `-ERR internal error in '<name>'`. */
  internalError(thrown: unknown, name: string): Reply {
    return internalError(thrown, name, this.context);
  }

  /** Queues a pub/sub message behind the replies before it. */
  private push(message: Reply): void {
    if (this.closing || this.socket.destroyed) return;
    const pushBytes = frameBytes(message);
    this.pushBytesQueued += pushBytes;
    if (this.pushBytesQueued + this.socket.writableLength > pushBytesMax) {
      this.logger.warn(
        { client: this.session.clientId, bytes: this.pushBytesQueued + this.socket.writableLength },
        "subscriber closed for overcoming the pub/sub output limit",
      );
      this.closing = true;
      this.socket.destroy();
      return;
    }
    this.queue.push(Slot.filled(this, message, this.session.protocol, false, pushBytes));
    this.scheduleFlush();
  }

  /**
   * A driver pass answers many commands of a pipeline; dispatching those waiting behind them
   * and flushing once they all have (process.nextTick runs after the pass, and after the
   * microtasks queued before it) makes one socket write per pipeline instead of one per command.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => {
      this.flushScheduled = false;
      this.dispatchWaiting();
      this.flush();
    });
  }

  /** Writes every reply at the head of the queue that is ready, in one socket write. */
  private flush(): void {
    let close = false;
    while (this.queue.length > 0) {
      const head = this.queue[0] as Slot;
      if (!head.done) break;
      this.queue.shift();
      if (head.reply !== undefined) this.writer.write(head.reply, head.protocol);
      this.pushBytesQueued -= head.pushBytes;
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

/** About what a message frame takes on the wire: its bulk strings and their headers. */
function frameBytes(frame: Reply): number {
  if (frame.kind !== "push") return 0;
  let bytes = 4;
  for (const item of frame.items) {
    bytes += 16 + (item.kind === "bulk" && item.value !== null ? item.value.length : 0);
  }
  return bytes;
}

/** How a command orders with the rest of its pipeline: a blocking one as exclusive as EXEC. */
const ordering = (spec: CommandSpec | undefined): CommandSpec["access"] =>
  spec?.blocks === true ? "exclusive" : spec?.access;
