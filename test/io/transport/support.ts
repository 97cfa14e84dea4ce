/** Shared helpers for the transport tests: messages, a recording logger, clusters on loopback. */
import type { Message } from "../../../src/core/replica/index.js";
import { type NodeId, nodeId } from "../../../src/core/types.js";
import {
  type PeerAddress,
  PeerTransport,
  type PeerTransportOptions,
  type TransportLogger,
} from "../../../src/io/transport/index.js";

export const clusterId = "test-cluster";
export const clusterSecret = "correct horse battery staple";

export interface LogLine {
  level: "info" | "warn";
  fields: Record<string, unknown>;
  message: string;
}

export class RecordingLogger implements TransportLogger {
  readonly lines: LogLine[] = [];
  info(fields: object, message: string): void {
    this.lines.push({ level: "info", fields: fields as Record<string, unknown>, message });
  }
  warn(fields: object, message: string): void {
    this.lines.push({ level: "warn", fields: fields as Record<string, unknown>, message });
  }
  warnings(): string[] {
    return this.lines
      .filter((line) => line.level === "warn")
      .map((line) => `${line.message}: ${String(line.fields["reason"] ?? line.fields["problem"])}`);
  }
}

/** Socket tests fail after this long instead of hanging the run. */
export const socketTest = { timeout: 15_000 };

export async function waitFor(
  condition: () => boolean,
  what: () => string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface TestNode {
  id: NodeId;
  transport: PeerTransport;
  logger: RecordingLogger;
  inbox: Message[];
}

type NodeOptions = Partial<Omit<PeerTransportOptions, "nodeId" | "peers" | "logger">>;

/** Starts a transport on an ephemeral loopback port (or `port`) with an inbox. */
export async function startNode(id: number, options: NodeOptions = {}): Promise<TestNode> {
  const logger = new RecordingLogger();
  const transport = new PeerTransport({
    clusterId,
    clusterSecret,
    nodeId: nodeId(id),
    listen: { port: 0 },
    peers: new Map(),
    logger,
    reconnectDelayMsMin: 10,
    reconnectDelayMsMax: 50,
    ...options,
  });
  const inbox: Message[] = [];
  transport.onMessage((m) => inbox.push(m));
  await transport.start();
  return { id: nodeId(id), transport, logger, inbox };
}

/** Gives every node the address book of all of them and waits until all are connected. */
export async function connectAll(nodes: readonly TestNode[]): Promise<void> {
  const book = new Map<NodeId, PeerAddress>(nodes.map((n) => [n.id, n.transport.address()]));
  for (const node of nodes) node.transport.setPeers(book);
  for (const node of nodes) {
    await waitFor(
      () => node.transport.connectedPeers().length === nodes.length - 1,
      () => `node ${node.id} connected to ${node.transport.connectedPeers()}`,
    );
  }
}
