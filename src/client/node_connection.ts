/**
 * One ioredis connection to one node, configured so that the client alone decides about retries:
 * no offline queue (a command on a connection that is not ready fails at once and was never
 * sent), no resending of unanswered commands after a reconnect and `maxRetriesPerRequest` 0 (a
 * write must never be applied twice behind the caller's back: ioredis would otherwise replay it),
 * RESP2 without the HELLO/INFO/CLIENT SETINFO handshake, and integers as strings (exact past
 * 2^53). ioredis still reconnects in the background with a short backoff.
 */
import { Redis } from "ioredis";
import type { Endpoint } from "./types.js";

export type SendResult =
  | { kind: "reply"; reply: unknown; latencyMs: number }
  /** The node's error reply, without the leading `-`. */
  | { kind: "error"; message: string }
  /** Never left the client (no connection): safe to send anywhere. */
  | { kind: "not_sent"; detail: string }
  /** Sent; the connection failed before the reply. A write may have happened. */
  | { kind: "lost"; detail: string }
  /** Sent; no reply before the deadline. A write may have happened. */
  | { kind: "timeout" };

/**
 * What the client sends: one command, or a MULTI ... EXEC transaction of commands, written
 * together on the connection (ioredis's multi) so nothing of the client's comes between them.
 */
export type Sendable = readonly string[] | { readonly transaction: readonly (readonly string[])[] };

const reconnectDelayMsMax = 500;

export class NodeConnection {
  private readonly redis: Redis;
  private lastError = "not connected";

  constructor(readonly endpoint: Endpoint) {
    this.redis = new Redis({
      host: endpoint.host,
      port: endpoint.port,
      lazyConnect: true,
      protocol: 2,
      enableReadyCheck: false,
      disableClientInfo: true,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      stringNumbers: true,
      retryStrategy: (times) => Math.min(times * 20, reconnectDelayMsMax),
    });
    // Without a listener ioredis prints every connection error; the client reports them as values.
    this.redis.on("error", (error: Error) => {
      this.lastError = error.message;
    });
  }

  /**
   * Sends one request and waits for its reply until `deadlineMs` (a `performance.now()` time).
   * A transaction's reply is EXEC's: each command's `[error, reply]`, or null.
   */
  async send(request: Sendable, deadlineMs: number, connectTimeoutMs: number): Promise<SendResult> {
    const connectDeadlineMs = Math.min(deadlineMs, performance.now() + connectTimeoutMs);
    if (!(await this.ready(connectDeadlineMs))) return { kind: "not_sent", detail: this.lastError };
    const startMs = performance.now();
    const sent: Promise<unknown> =
      "transaction" in request
        ? this.redis.multi(request.transaction.map((command) => ["call", ...command])).exec()
        : this.redis.call(...(request as [string, ...string[]]));
    const answer = sent.then(
      (reply): SendResult => ({ kind: "reply", reply, latencyMs: performance.now() - startMs }),
      (error: Error): SendResult =>
        error.name === "ReplyError"
          ? { kind: "error", message: refusalOf(error) }
          : { kind: "lost", detail: error.message },
    );
    return raceDeadline(answer, deadlineMs);
  }

  /** Closes at once: commands still waiting end as `lost`. */
  close(): void {
    this.redis.disconnect();
  }

  /** True once the connection is ready; false on a connection error or at the deadline. */
  private ready(deadlineMs: number): Promise<boolean> {
    const { redis } = this;
    if (redis.status === "ready") return Promise.resolve(true);
    if (redis.status === "end" || redis.status === "wait") redis.connect().catch(() => undefined);
    return new Promise((resolve) => {
      const finish = (isReady: boolean) => {
        clearTimeout(timer);
        redis.off("ready", onReady);
        redis.off("error", onError);
        resolve(isReady);
      };
      const onReady = () => finish(true);
      const onError = () => finish(false);
      const timer = setTimeout(() => finish(false), Math.max(0, deadlineMs - performance.now()));
      redis.on("ready", onReady);
      redis.on("error", onError);
    });
  }
}

/**
 * An error reply's text. EXECABORT comes with the errors that doomed the transaction
 * (ioredis's `previousErrors`); a READONLY among them means the node does not lead, which the
 * client follows as the redirect it is.
 */
function refusalOf(error: Error & { previousErrors?: Error[] }): string {
  const readOnly = error.previousErrors?.find((previous) =>
    previous.message.startsWith("READONLY"),
  );
  return readOnly?.message ?? error.message;
}

function raceDeadline(answer: Promise<SendResult>, deadlineMs: number): Promise<SendResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => resolve({ kind: "timeout" }),
      Math.max(0, deadlineMs - performance.now()),
    );
    answer.then((result) => {
      clearTimeout(timer);
      resolve(result);
    });
  });
}
