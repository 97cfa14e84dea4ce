/**
 * What the Redis face keeps per node rather than per connection: the CONFIG parameters, the
 * connected clients (CLIENT LIST/KILL) and the INFO stats counters. The listener creates one and
 * hands it to every connection's context.
 */

import { ScriptCache } from "../scripting/script_cache.js";
import { BlockedClients } from "./blocked_clients.js";
import { parameters } from "./config_parameters.js";
import type { Session } from "./context.js";
import { PubSubHub } from "./pubsub_hub.js";

/** A connected client as CLIENT LIST shows it; `kill` closes its connection. */
export interface ClientRecord {
  readonly session: Session;
  /** `ip:port` of the client, and of the listener it reached. */
  readonly address: string;
  readonly localAddress: string;
  readonly connectedAtMs: number;
  /** The last time the client sent anything (CLIENT LIST idle, Redis lastinteraction). */
  lastInteractionAtMs: number;
  lastCommand: string;
  kill(): void;
}

export interface Stats {
  connectionsReceived: number;
  commandsProcessed: number;
  expiredKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  rejectedWrites: number;
}

const freshStats = (): Stats => ({
  connectionsReceived: 0,
  commandsProcessed: 0,
  expiredKeys: 0,
  keyspaceHits: 0,
  keyspaceMisses: 0,
  rejectedWrites: 0,
});

export interface SettingsInput {
  requirepass?: string;
  appendOnly: boolean;
  port: number;
  bind: string;
  dir: string;
  /** The node's subscriptions, which its state machine delivers to; a fresh one by default. */
  pubsub?: PubSubHub;
  /** The node's blocked clients, which its state machine wakes; a fresh one by default. */
  blocked?: BlockedClients;
}

export class ServerState {
  readonly clients = new Map<number, ClientRecord>();
  stats: Stats = freshStats();
  /** CONFIG parameters by canonical name (config.ts holds the table and validation). */
  readonly settings = new Map<string, string>();
  readonly pubsub: PubSubHub;
  readonly blocked: BlockedClients;
  /** The node's scripts (EVAL, SCRIPT LOAD) and their interpreter. */
  readonly scripts = new ScriptCache();

  constructor(input: SettingsInput) {
    this.pubsub = input.pubsub ?? new PubSubHub();
    this.blocked = input.blocked ?? new BlockedClients();
    const initial: Array<[string, string]> = [
      ["requirepass", input.requirepass ?? ""],
      ["appendonly", input.appendOnly ? "yes" : "no"],
      ["appendfsync", input.appendOnly ? "always" : "no"],
      ["port", String(input.port)],
      ["bind", input.bind],
      ["dir", input.dir],
    ];
    for (const [name, value] of initial) this.settings.set(name, value);
  }

  get requirePassword(): string {
    return this.settings.get("requirepass") ?? "";
  }

  /** A setting's value, or its Redis default when never set (0 for a name without one). */
  integerSetting(name: string): number {
    return Number(this.settings.get(name) ?? parameters[name]?.default ?? "0");
  }

  resetStats(): void {
    this.stats = freshStats();
  }
}
