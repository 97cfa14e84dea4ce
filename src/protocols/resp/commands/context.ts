/**
 * What a command handler gets: its arguments, the connection's session, the node-wide server
 * state (settings, clients, counters) and the Store. A handler returns its reply (or a promise of
 * it); whatever it changes in the session (the protocol after `HELLO 3`) takes effect before the
 * next pipelined command is dispatched, as in Redis.
 */
import type { Store, WatchedKey } from "../../../api/index.js";
import type { Reply, RespProtocol } from "../reply.js";
import type { DeferredReply } from "./deferred_reply.js";
import type { ServerState } from "./server_state.js";

export interface Session {
  protocol: RespProtocol;
  readonly clientId: number;
  name: string | null;
  /** Set by QUIT: the connection closes once this reply is written. */
  closeAfterReply: boolean;
  /** False until AUTH succeeds while a password is configured (`requirepass`). */
  authenticated: boolean;
  /**
   * The exclusive end offset of this connection's last write (Redis `c->woff`), which `WAIT` and
   * `WAITAOF` wait for; 0 before the first write.
   */
  lastWriteOffset: number;
  /** READONLY was sent: reads are served from this replica's local state whatever the preset. */
  readOnly: boolean;
  libraryName: string;
  libraryVersion: string;
  noEvict: boolean;
  noTouch: boolean;
  /** Between MULTI and EXEC or DISCARD: the commands queued (transactions.ts). */
  transaction: QueuedTransaction | undefined;
  /** WATCH's keys, with the version each had, until EXEC, DISCARD, UNWATCH or RESET. */
  readonly watched: Map<string, WatchedKey>;
  /** The channels, patterns and shard channels this connection is subscribed to (pubsub_hub.ts). */
  readonly channels: Set<string>;
  readonly patterns: Set<string>;
  readonly shardChannels: Set<string>;
}

/** A connection with a channel or pattern subscription (Redis's CLIENT_PUBSUB flag). */
export const isSubscribed = (session: Session): boolean =>
  session.channels.size + session.patterns.size + session.shardChannels.size > 0;

/** Whether Redis counts `spec` as a write: refused on a replica, held back by NOREPLICAS. */
export const isRedisWrite = (spec: CommandSpec): boolean =>
  spec.access === "write" && spec.replicaRuns !== true;

/** A connection as pub/sub sees it: its session, and where its messages go. */
export interface Subscriber {
  readonly session: Session;
  /** Sends a message frame after every reply to the commands received before it. */
  push(message: Reply): void;
}

export interface QueuedTransaction {
  /** Each queued command with its arguments, copied out of the connection's read buffer. */
  readonly commands: Array<{ readonly spec: CommandSpec; readonly args: readonly Buffer[] }>;
  /** A command was refused while queueing: EXEC answers EXECABORT (Redis's CLIENT_DIRTY_EXEC). */
  failed: boolean;
  /** EXEC is running the queued commands: they run, not queue again. */
  readonly running: boolean;
}

export function newSession(clientId: number, authenticated: boolean): Session {
  return {
    protocol: 2,
    clientId,
    name: null,
    closeAfterReply: false,
    authenticated,
    lastWriteOffset: 0,
    readOnly: false,
    libraryName: "",
    libraryVersion: "",
    noEvict: false,
    noTouch: false,
    transaction: undefined,
    watched: new Map(),
    channels: new Set(),
    patterns: new Set(),
    shardChannels: new Set(),
  };
}

/** Facts about the node for INFO and HELLO. */
export interface ServerFacts {
  readonly version: string;
  readonly processId: number;
  readonly tcpPort: number;
  readonly startedAtMs: number;
  /** Whether the shard fsyncs its log (INFO `aof_enabled`, CONFIG `appendonly`, WAITAOF). */
  readonly appendOnly: boolean;
}

export interface CommandContext {
  readonly store: Store;
  readonly session: Session;
  readonly server: ServerFacts;
  readonly state: ServerState;
  /** This connection, for SUBSCRIBE and its kin. */
  readonly subscriber: Subscriber;
  /** Wall clock, for relative expiries (SET EX) turned absolute by the node that takes them. */
  nowMs(): number;
  /**
   * Inside EXEC: a command that would wait (WAIT, WAITAOF) answers at once with what holds now,
   * as Redis's CLIENT_DENY_BLOCKING makes it.
   */
  readonly denyBlocking?: boolean;
  /** Where a handler that threw is reported (a bug: the client gets `-ERR internal error`). */
  readonly onInternalError?: (error: unknown, command: string) => void;
}

export type CommandHandler = (args: readonly Buffer[], context: CommandContext) => HandlerReply;

/** What a handler answers: a reply now, or later through a promise or (writes) a DeferredReply. */
export type HandlerReply = Reply | Promise<Reply> | DeferredReply;

/** Where a command's keys are (Redis COMMAND INFO: first key, last key, step; 0 0 0 for none). */
export type KeySpec = readonly [first: number, last: number, step: number];

export interface CommandSpec {
  /** Lower case, as dispatched: `get`, `ol.set`. */
  readonly name: string;
  /** Redis arity: the argument count including the name; negative means at least that many. */
  readonly arity: number;
  /**
   * How the command touches the data, for ordering within a pipeline: consecutive writes run
   * together (their records are appended in order and share an fsync), a read waits for every
   * command before it, and a write waits for reads before it. A script (EVAL) waits for every
   * command before it but scripts, and every command after it but scripts waits for it:
   * consecutive scripts run together, in order (script_batches.ts). An exclusive command (EXEC)
   * waits for every command before it, and every command after it for it. Absent: it touches no
   * data.
   */
  readonly access?: "write" | "read" | "script" | "exclusive";
  /**
   * A write of onelog's log that Redis does not count as a write (PUBLISH): a replica runs it
   * rather than answering READONLY, and `min-replicas-to-write` does not hold it back.
   */
  readonly replicaRuns?: boolean;
  /**
   * It may wait for other clients (BLPOP): the commands after it in the pipeline wait for its
   * answer, as a blocked Redis client reads nothing more until it is unblocked.
   */
  readonly blocks?: boolean;
  /** Key positions for COMMAND INFO; absent means the command takes no keys. */
  readonly keys?: KeySpec;
  /** The second argument names a subcommand (CLIENT LIST): CLIENT LIST's `cmd` shows both. */
  readonly hasSubcommands?: boolean;
  /** Runs before AUTH when a password is configured (Redis's `no-auth` flag). */
  readonly noAuth?: boolean;
  /**
   * Between MULTI and EXEC a command is queued, except one that `runs` at once (MULTI, EXEC,
   * DISCARD, WATCH, QUIT, RESET, as in Redis's processCommand) or one `refused` there.
   */
  readonly inTransaction?: "runs" | "refused";
  readonly handler: CommandHandler;
}
