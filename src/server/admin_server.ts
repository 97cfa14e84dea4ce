/**
 * The admin endpoint of a node (HTTP on loopback): `GET /status` is the node's view of its shards
 * as JSON (role, epoch, leader, and per replica leo, durable offset and lag; a leader knows every
 * replica, a follower only itself), `GET /metrics` the Prometheus text of NodeMetrics.
 *
 * For the lab (issue 6), `POST /faults` sets the peer transport's injected faults from a JSON
 * body (any of `blockedTo`, `blockedFrom`, `lossRate`, `delayMs`, `delayJitterMs`; fields left out
 * keep their value) and `DELETE /faults` clears them; both answer the settings now in force. They
 * are signed with the cluster secret (fault_auth.ts), so anyone who can reach the port but does
 * not hold the secret cannot partition the cluster, and every change is logged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Topology } from "../api/index.js";
import type { FaultSettings, TransportFaults } from "../io/transport/index.js";
import { faultSignatureHeader, parseFaultSettings, verifyFaultSignature } from "./fault_auth.js";
import type { NodeMetrics } from "./metrics.js";

export interface StatusDocument extends Topology {
  readonly preset: string;
  readonly pid: number;
  readonly uptimeSeconds: number;
}

/** What the fault endpoints act on; absent, they answer 404. */
export interface FaultControl {
  readonly faults: TransportFaults;
  readonly clusterSecret: string;
}

/** Fault bodies are a few node ids and numbers. */
const faultBodyBytesMax = 16 * 1024;

export class AdminServer {
  private readonly server: Server;

  constructor(
    status: () => StatusDocument,
    metrics: NodeMetrics,
    private readonly logger: Logger,
    private readonly port: number,
    private readonly faultControl?: FaultControl,
  ) {
    this.server = createServer((request, response) => {
      const path = (request.url ?? "/").split("?")[0];
      if (path === "/faults" && this.faultControl !== undefined) {
        this.faultRequest(this.faultControl, request, response);
      } else if (request.method !== "GET") {
        response.writeHead(405, { allow: "GET" }).end();
      } else if (path === "/status") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(`${JSON.stringify(status(), null, 2)}\n`);
      } else if (path === "/metrics") {
        metrics.registry.metrics().then(
          (text) => {
            response.writeHead(200, { "content-type": metrics.registry.contentType }).end(text);
          },
          (error: unknown) => {
            this.logger.error({ err: error }, "metrics failed");
            response.writeHead(500).end();
          },
        );
      } else {
        response.writeHead(404, { "content-type": "text/plain" }).end("try /status or /metrics\n");
      }
    });
  }

  listen(host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ host, port: this.port }, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private faultRequest(
    control: FaultControl,
    request: IncomingMessage,
    response: ServerResponse,
  ): void {
    if (request.method !== "POST" && request.method !== "DELETE") {
      response.writeHead(405, { allow: "POST, DELETE" }).end();
      return;
    }
    const method = request.method;
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= faultBodyBytesMax) chunks.push(chunk);
    });
    request.on("end", () => {
      const reply = (code: number, body: unknown) =>
        response.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (bytes > faultBodyBytesMax) return reply(413, { error: "body too large" });
      const body = Buffer.concat(chunks).toString("utf8");
      const signature = request.headers[faultSignatureHeader];
      if (
        typeof signature !== "string" ||
        !verifyFaultSignature(control.clusterSecret, method, body, signature)
      ) {
        this.logger.warn({ method }, "fault request refused: bad signature");
        return reply(403, { error: "bad signature" });
      }
      if (method === "DELETE") {
        control.faults.clear();
        this.logger.info({}, "faults cleared");
        return reply(200, control.faults.settings);
      }
      const parsed = parseFaultSettings(body);
      if (parsed.kind === "error") return reply(400, { error: parsed.message });
      control.faults.set(parsed.settings);
      this.logger.info({ faults: control.faults.settings }, "faults set");
      return reply(200, control.faults.settings satisfies FaultSettings);
    });
  }
}
