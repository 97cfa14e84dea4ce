/**
 * What a command handler gets: its arguments, the connection's session, and the Store. A handler
 * returns its reply (or a promise of it); whatever it changes in the session (the protocol after
 * `HELLO 3`) takes effect before the next pipelined command is dispatched, as in Redis.
 */
import type { Store } from "../../../api/index.js";
import type { Reply, RespProtocol } from "../reply.js";

export interface Session {
  protocol: RespProtocol;
  readonly clientId: number;
  name: string | null;
  /** Set by QUIT: the connection closes once this reply is written. */
  closeAfterReply: boolean;
}

/** Facts about the node for INFO and HELLO. */
export interface ServerFacts {
  readonly version: string;
  readonly processId: number;
  readonly tcpPort: number;
  readonly startedAtMs: number;
}

export interface CommandContext {
  readonly store: Store;
  readonly session: Session;
  readonly server: ServerFacts;
  /** Wall clock, for relative expiries (SET EX) turned absolute by the node that takes them. */
  nowMs(): number;
}

export type CommandHandler = (
  args: readonly Buffer[],
  context: CommandContext,
) => Reply | Promise<Reply>;

export interface CommandSpec {
  /** Lower case, as dispatched: `get`, `ol.set`. */
  readonly name: string;
  /** Redis arity: the argument count including the name; negative means at least that many. */
  readonly arity: number;
  /**
   * How the command touches the data, for ordering within a pipeline: consecutive writes run
   * together (their records are appended in order and share an fsync), a read waits for every
   * command before it, and a write waits for reads before it. Absent: it touches no data.
   */
  readonly access?: "write" | "read";
  readonly handler: CommandHandler;
}
