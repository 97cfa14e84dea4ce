/**
 * The admin endpoint of a node (HTTP on loopback): `GET /status` is the node's view of its shards
 * as JSON (role, epoch, leader, and per replica leo, durable offset and lag; a leader knows every
 * replica, a follower only itself), `GET /metrics` the Prometheus text of NodeMetrics.
 */
import { createServer, type Server } from "node:http";
import type { Logger } from "pino";
import type { Topology } from "../api/index.js";
import type { NodeMetrics } from "./metrics.js";

export interface StatusDocument extends Topology {
  readonly preset: string;
  readonly pid: number;
  readonly uptimeSeconds: number;
}

export class AdminServer {
  private readonly server: Server;

  constructor(
    status: () => StatusDocument,
    metrics: NodeMetrics,
    private readonly logger: Logger,
    private readonly port: number,
  ) {
    this.server = createServer((request, response) => {
      const path = (request.url ?? "/").split("?")[0];
      if (request.method !== "GET") {
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
}
