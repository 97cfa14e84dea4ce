/**
 * Getting a command to the right node: the leader for writes (following `-NOTLEADER` redirects,
 * trying the other nodes when the leader is unknown or unreachable), with bounded attempts, a
 * pause between retries that doubles with jitter, and one deadline per call. Reads choose their
 * own nodes (read_path.ts) but share the sending, the pauses and the discovery here.
 */
import { type Random, seededRandom } from "../core/random.js";
import type { NodeConnection, Sendable, SendResult } from "./node_connection.js";
import { classifyServerError, notLeaderRejection, type ServerError } from "./server_errors.js";
import { parseStatusReply } from "./status_reply.js";
import { Topology } from "./topology.js";
import {
  type ClientOptions,
  clientDefaults,
  type Endpoint,
  endpointKey,
  type Rejected,
  type StatusResult,
} from "./types.js";

/** What the leader (or the last node tried) answered, redirects already followed. */
export type LeaderAnswer =
  | { kind: "reply"; reply: unknown }
  | { kind: "error"; error: Exclude<ServerError, { kind: "redirect" }> }
  /** Sent, then the connection failed or the deadline passed: the command may have run. */
  | { kind: "lost"; detail: string }
  /** Never run: no node took it, or every node tried said it does not lead. */
  | { kind: "not_run"; rejection: Rejected };

export class Router {
  readonly topology: Topology;
  readonly options: Required<Omit<ClientOptions, "seed">>;
  readonly random: Random;
  /** Where to guess the leader is when no node has said: rotates past nodes that failed. */
  private guess = 0;

  constructor(endpoints: readonly Endpoint[], options: ClientOptions) {
    this.topology = new Topology(endpoints);
    this.options = { ...clientDefaults, ...options };
    this.random = seededRandom(options.seed ?? Math.floor(Math.random() * 0x1_0000_0000));
  }

  /** The deadline of a call; `serverWaitMs` (a concern's own timeout) extends it. */
  deadline(serverWaitMs = 0): number {
    return (
      performance.now() +
      Math.max(this.options.requestTimeoutMs, serverWaitMs + this.options.requestTimeoutMs / 2)
    );
  }

  async send(index: number, request: Sendable, deadlineMs: number): Promise<SendResult> {
    const sent = await this.connection(index).send(
      request,
      deadlineMs,
      this.options.connectTimeoutMs,
    );
    if (sent.kind === "reply") this.topology.recordLatency(index, sent.latencyMs);
    return sent;
  }

  /** Waits before retry `attempt` (1, 2, ...); false when that would pass the deadline. */
  async pause(attempt: number, deadlineMs: number): Promise<boolean> {
    const { retryDelayMsMin, retryDelayMsMax } = this.options;
    const stepMs = Math.min(retryDelayMsMax, retryDelayMsMin * 2 ** Math.min(attempt - 1, 20));
    const delayMs = stepMs / 2 + (this.random.next() * stepMs) / 2;
    if (performance.now() + delayMs >= deadlineMs) return false;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return true;
  }

  /** The node to try for the leader: the known leader, else the current guess. */
  leaderTarget(): number {
    return this.topology.leader ?? this.guess % this.topology.size;
  }

  /** After `index` failed or said it does not lead, with no leader named. */
  passOver(index: number): number {
    this.topology.notLeader(index);
    this.guess = (index + 1) % this.topology.size;
    return this.guess;
  }

  /** Follows a redirect's hint; the next node to try. */
  redirected(index: number, error: Extract<ServerError, { kind: "redirect" }>): number {
    if (error.leader === undefined) return this.passOver(index);
    const leader = this.topology.indexOf(error.leader.endpoint);
    this.topology.setLeader(leader);
    return leader;
  }

  /** Sends to the leader, following redirects, until an answer, the attempt limit or the deadline. */
  async sendToLeader(request: Sendable, deadlineMs: number): Promise<LeaderAnswer> {
    let rejection: Rejected = { kind: "rejected", reason: "unreachable", detail: "no node tried" };
    let target = this.leaderTarget();
    let needsPause = false;
    for (let attempt = 0; attempt < this.options.attemptsMax; attempt++) {
      if (needsPause && !(await this.pause(attempt, deadlineMs))) break;
      const sent = await this.send(target, request, deadlineMs);
      switch (sent.kind) {
        case "reply":
          return { kind: "reply", reply: sent.reply };
        case "lost":
          return {
            kind: "lost",
            detail: `connection to ${this.name(target)} lost: ${sent.detail}`,
          };
        case "timeout":
          return { kind: "lost", detail: `no reply from ${this.name(target)} before the deadline` };
        case "not_sent":
          rejection = {
            kind: "rejected",
            reason: "unreachable",
            detail: `${this.name(target)}: ${sent.detail}`,
          };
          target = this.passOver(target);
          needsPause = true;
          continue;
        case "error": {
          const error = classifyServerError(sent.message);
          if (error.kind !== "redirect") return { kind: "error", error };
          rejection = notLeaderRejection(error);
          const next = this.redirected(target, error);
          // A named leader is tried at once; an unknown one means an election: give it time.
          needsPause = error.leader === undefined || next === target;
          target = next;
        }
      }
    }
    return { kind: "not_run", rejection };
  }

  /** `OL.STATUS` of every known node, in parallel; leader and followers are learnt from it. */
  async discover(deadlineMs: number): Promise<StatusResult[]> {
    const indexes = Array.from({ length: this.topology.size }, (_, index) => index);
    return Promise.all(indexes.map((index) => this.statusOf(index, deadlineMs)));
  }

  close(): void {
    this.topology.close();
  }

  private async statusOf(index: number, deadlineMs: number): Promise<StatusResult> {
    const sent = await this.send(index, ["OL.STATUS"], deadlineMs);
    const { endpoint } = this.connection(index);
    switch (sent.kind) {
      case "timeout":
        return { kind: "timeout" };
      case "not_sent":
      case "lost":
        return {
          kind: "rejected",
          reason: "unreachable",
          detail: `${this.name(index)}: ${sent.detail}`,
        };
      case "error":
        return { kind: "rejected", reason: "invalid", detail: sent.message };
      case "reply": {
        const status = parseStatusReply(sent.reply, endpoint);
        if (!status.ok) return { kind: "rejected", reason: "bad_reply", detail: status.detail };
        if (status.value.role === "leader") this.topology.setLeader(index);
        else if (status.value.role === "follower") this.topology.setFollower(index);
        return { kind: "ok", status: status.value };
      }
    }
  }

  private connection(index: number): NodeConnection {
    return this.topology.connection(index);
  }

  private name(index: number): string {
    return endpointKey(this.connection(index).endpoint);
  }
}
