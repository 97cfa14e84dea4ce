/**
 * The RESP listener of a node (docs/commands.md): one RespConnection per client. A stopping node
 * first stops accepting, answers what is in flight, then ends the connections.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { Logger } from "pino";
import type { Store } from "../api/index.js";
import {
  type BlockedClients,
  type PubSubHub,
  type ServerFacts,
  ServerState,
} from "../protocols/resp/commands/index.js";
import { RespConnection } from "./resp_connection.js";

export class RespServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private nextClientId = 1;
  /** The Redis face's node-wide state: CONFIG parameters, connected clients, INFO counters. */
  readonly state: ServerState;

  constructor(
    store: Store,
    facts: Omit<ServerFacts, "tcpPort">,
    private readonly logger: Logger,
    private readonly port: number,
    settings: {
      requirepass?: string | undefined;
      bind: string;
      dir: string;
      pubsub?: PubSubHub;
      blocked?: BlockedClients;
    } = {
      bind: "127.0.0.1",
      dir: ".",
    },
  ) {
    this.state = new ServerState({
      ...(settings.requirepass === undefined ? {} : { requirepass: settings.requirepass }),
      appendOnly: facts.appendOnly,
      port,
      bind: settings.bind,
      dir: settings.dir,
      ...(settings.pubsub === undefined ? {} : { pubsub: settings.pubsub }),
      ...(settings.blocked === undefined ? {} : { blocked: settings.blocked }),
    });
    const state = this.state;
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      const server = { ...facts, tcpPort: port };
      new RespConnection(socket, this.nextClientId++, store, server, state, logger);
    });
  }

  listen(host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ host, port: this.port }, () => {
        this.server.off("error", reject);
        this.server.on("error", (error) => this.logger.warn({ err: error }, "resp listener error"));
        resolve();
      });
    });
  }

  private closed: Promise<void> | undefined;

  /** Stops accepting clients; open connections keep being answered. */
  stopAccepting(): void {
    this.closed ??= new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Ends every connection (after what was written), destroying stragglers after `drainMs`. */
  async close(drainMs: number): Promise<void> {
    this.stopAccepting();
    const closed = this.closed as Promise<void>;
    for (const socket of this.sockets) socket.end();
    const timer = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, drainMs);
    await closed;
    clearTimeout(timer);
  }
}
