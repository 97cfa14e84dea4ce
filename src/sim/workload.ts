/**
 * Simulated clients. Each is one Jepsen process with at most one operation outstanding; it
 * routes by read preference, follows `not_leader` hints, retries definite rejections, gives up
 * after its timeout (a write then becomes `info`: it may or may not have happened), and records
 * every invocation and completion in the history.
 */
import {
  type ReadConcern,
  type ReadOutcome,
  type ReadPreference,
  selectReplicas,
  type WriteConcern,
  type WriteOutcome,
} from "../core/concern/index.js";
import type { Random } from "../core/random.js";
import type { KvCommand, Value } from "../core/state/index.js";
import { type NodeId, nodeId } from "../core/types.js";
import { unreachable } from "../util/assert.js";
import type { SimCluster, SimEvent } from "./cluster.js";
import type { EventQueue } from "./event_queue.js";
import type { HistoryEvent } from "./history.js";
import type { Floor, InvariantChecker } from "./invariants.js";
import type { Scenario } from "./scenario.js";

type Operation = {
  id: number;
  f: "read" | "write" | "cas" | "list-append";
  key: string;
  value: unknown;
  attempts: number;
  requestId: number;
  final: boolean;
  /** What a linearizable read invoked now must reflect (see InvariantChecker). */
  floorAtInvoke: Floor;
} & (
  | { command: KvCommand; writeConcern: WriteConcern }
  | { command?: undefined; readConcern: ReadConcern }
);

interface Client {
  process: number;
  leaderGuess: NodeId;
  operation: Operation | undefined;
  /** The highest offset any reply named: causal reads ask for at least this. */
  highestOffset: number;
  /** Keys still to read in the final phase (the final client only). */
  finalKeys?: string[];
}

const attemptsMax = 20;

export class Workload {
  readonly history: HistoryEvent[] = [];
  private readonly clients: Client[] = [];
  private readonly written = new Map<string, string[]>();
  private readonly keyNames: readonly string[];
  private operationSequence = 0;
  private requestSequence = 0;
  private valueSequence = 0;
  issued = 0;
  completed = 0;
  issuing = true;

  constructor(
    private readonly scenario: Scenario,
    private readonly random: Random,
    private readonly queue: EventQueue<SimEvent>,
    private readonly clock: { nowMs: number },
    private readonly cluster: SimCluster,
    private readonly invariants: InvariantChecker,
  ) {
    this.keyNames = Array.from({ length: scenario.keyCount }, (_, index) => `k${index}`);
    for (let process = 0; process < scenario.clientCount; process++) {
      this.clients.push(this.newClient(process));
      this.queue.push(this.random.int(0, 50), { kind: "client", client: process });
    }
  }

  get outstanding(): number {
    return this.clients.filter((client) => client.operation !== undefined).length;
  }

  get keys(): readonly string[] {
    return this.keyNames;
  }

  /** Starts a client that reads every key once, linearizably, after the cluster converged. */
  startFinalReads(): void {
    const client = this.newClient(this.clients.length);
    client.finalKeys = [...this.keys];
    this.clients.push(client);
    this.queue.push(this.clock.nowMs, { kind: "client", client: client.process });
  }

  get finalReadsDone(): boolean {
    const last = this.clients.at(-1);
    return (
      last?.finalKeys !== undefined && last.finalKeys.length === 0 && last.operation === undefined
    );
  }

  handle(event: SimEvent): void {
    switch (event.kind) {
      case "client":
        return this.wake(this.client(event.client), event.retry);
      case "client_timeout":
        return this.timeout(this.client(event.client), event.operation);
      case "reply":
        return this.reply(event);
      default:
        throw new Error(`workload cannot handle ${event.kind}`);
    }
  }

  private newClient(process: number): Client {
    return {
      process,
      leaderGuess: nodeId(this.random.int(1, this.scenario.nodeCount)),
      operation: undefined,
      highestOffset: 0,
    };
  }

  private client(process: number): Client {
    const client = this.clients[process];
    if (client === undefined) throw new RangeError(`no client ${process}`);
    return client;
  }

  private wake(client: Client, retry: number | undefined): void {
    if (retry !== undefined) {
      // A backoff ended; the operation may have completed (timed out) meanwhile.
      if (client.operation?.id === retry) this.send(client, client.operation);
      return;
    }
    if (client.operation === undefined) {
      const operation = this.nextOperation(client);
      if (operation === undefined) return;
      client.operation = operation;
      this.record(client, { type: "invoke", value: operation.value }, operation);
      this.queue.push(this.clock.nowMs + this.scenario.clientTimeoutMs, {
        kind: "client_timeout",
        client: client.process,
        operation: operation.id,
      });
      this.send(client, operation);
    }
  }

  private nextOperation(client: Client): Operation | undefined {
    if (client.finalKeys !== undefined) {
      const key = client.finalKeys.shift();
      if (key === undefined) return undefined;
      return this.readOperation(key, { level: "linearizable" }, true);
    }
    if (!this.issuing || this.issued >= this.scenario.operationCount) return undefined;
    this.issued++;
    const key = this.random.pick(this.keys);
    const strict = this.scenario.concernMode === "strict";
    const roll = this.random.next();
    if (roll < 0.45)
      return this.readOperation(
        key,
        strict ? { level: "linearizable" } : this.drawReadConcern(client),
        false,
      );
    const writeConcern: WriteConcern = strict ? { w: "majority" } : this.drawWriteConcern();
    const unique = `${client.process}-${++this.valueSequence}`;
    if (this.scenario.workload === "list-append") {
      return this.writeOperation(
        "list-append",
        key,
        unique,
        { kind: "listAppend", key, element: unique },
        writeConcern,
      );
    }
    const previous = this.written.get(key) ?? [];
    if (roll < 0.7 || previous.length === 0) {
      previous.push(unique);
      this.written.set(key, previous);
      return this.writeOperation(
        "write",
        key,
        unique,
        { kind: "set", key, value: unique },
        writeConcern,
      );
    }
    const expected = this.random.pick(previous);
    previous.push(unique);
    const command: KvCommand = { kind: "cas", key, expected, value: unique };
    return this.writeOperation("cas", key, [expected, unique], command, writeConcern);
  }

  private readOperation(key: string, readConcern: ReadConcern, final: boolean): Operation {
    return { ...this.operationBase("read", key, null, final), readConcern };
  }

  private writeOperation(
    f: Operation["f"],
    key: string,
    value: unknown,
    command: KvCommand,
    writeConcern: WriteConcern,
  ): Operation {
    return { ...this.operationBase(f, key, value, false), command, writeConcern };
  }

  private operationBase(f: Operation["f"], key: string, value: unknown, final: boolean) {
    const floorAtInvoke = this.invariants.floor;
    return {
      id: ++this.operationSequence,
      f,
      key,
      value,
      attempts: 0,
      requestId: 0,
      final,
      floorAtInvoke,
    };
  }

  private drawWriteConcern(): WriteConcern {
    const w = this.random.pick<WriteConcern["w"]>([1, 1, "majority", "majority", "all", 2]);
    const concern: WriteConcern = {
      w: typeof w === "number" ? Math.min(w, this.scenario.nodeCount) : w,
    };
    if (this.random.chance(0.3)) concern.j = true;
    if (this.random.chance(0.3)) concern.timeoutMs = this.random.pick([50, 200, 1000]);
    return concern;
  }

  private drawReadConcern(client: Client): ReadConcern {
    const level = this.random.pick<ReadConcern["level"]>([
      "local",
      "local",
      "majority",
      "linearizable",
    ]);
    const preferences: ReadPreference[] = [
      "primary",
      "primaryPreferred",
      "secondary",
      "secondaryPreferred",
      "nearest",
    ];
    const concern: ReadConcern = { level };
    if (level !== "linearizable") {
      const preference = this.random.pick(preferences);
      concern.readPreference =
        preference === "secondary" && this.scenario.nodeCount === 1 ? "primary" : preference;
      if (this.random.chance(0.3))
        concern.afterOffset = client.highestOffset as ReadConcern["afterOffset"];
      if (concern.readPreference !== "primary" && this.random.chance(0.2))
        concern.maxStalenessMs = 500;
    }
    return concern;
  }

  private send(client: Client, operation: Operation): void {
    operation.attempts++;
    operation.requestId = ++this.requestSequence;
    const node = this.target(client, operation);
    this.cluster.requestOwners.set(operation.requestId, client.process);
    const at = this.clock.nowMs + this.cluster.delayMs();
    if (operation.command !== undefined) {
      const request = {
        id: operation.requestId,
        command: operation.command,
        concern: operation.writeConcern,
        nowMs: at,
      };
      this.queue.push(at, { kind: "write", node, request, client: client.process });
    } else {
      const query = { kind: "get" as const, key: operation.key };
      const request = { id: operation.requestId, query, concern: operation.readConcern, nowMs: at };
      this.queue.push(at, { kind: "read", node, request, client: client.process });
    }
  }

  /** Where an attempt goes: the leader we believe in, or a replica the read preference allows. */
  private target(client: Client, operation: Operation): NodeId {
    const all = this.cluster.memberIds;
    // A first attempt sometimes goes to any node, as from a client whose topology view is
    // stale: redirects correct it, and a deposed leader still answering gets its chance.
    if (operation.attempts === 1 && this.random.chance(0.5)) return this.random.pick(all);
    const concern = operation.command === undefined ? operation.readConcern : undefined;
    const preference =
      concern === undefined || concern.level === "linearizable"
        ? "primary"
        : (concern.readPreference ?? "primary");
    const candidates = all.map((node) => ({ node, isLeader: node === client.leaderGuess }));
    return selectReplicas(preference, candidates, this.random)[0] ?? client.leaderGuess;
  }

  private reply(event: Extract<SimEvent, { kind: "reply" }>): void {
    const client = this.client(event.client);
    const operation = client.operation;
    if (operation === undefined || operation.requestId !== event.reply.id) return;
    if (event.reply.kind === "write")
      this.writeReply(client, operation, event.reply.outcome, event.node);
    else this.readReply(client, operation, event.reply.outcome, event.node);
  }

  private writeReply(
    client: Client,
    operation: Operation,
    outcome: WriteOutcome,
    node: NodeId,
  ): void {
    switch (outcome.kind) {
      case "ok": {
        if (outcome.result.kind === "not_applied") {
          // The cas was in the log and read the register there: a real operation that failed.
          return this.complete(client, operation, {
            type: "fail",
            value: operation.value,
            offset: outcome.offset,
            node,
            error: "cas mismatch",
          });
        }
        if (operation.command !== undefined && operation.writeConcern.w === "majority") {
          this.invariants.onMajorityAck(
            outcome.offset,
            operation.command,
            `${operation.f} ${operation.key} by ${client.process}`,
          );
        }
        this.noteOffset(client, outcome.offset);
        return this.complete(client, operation, {
          type: "ok",
          value: operation.value,
          offset: outcome.offset,
          node,
        });
      }
      case "timeout":
        return this.complete(client, operation, {
          type: "info",
          value: operation.value,
          error: "concern timeout",
        });
      case "unknown":
        return this.complete(client, operation, {
          type: "info",
          value: operation.value,
          error: "leadership lost",
        });
      case "rejected":
        return this.retry(client, operation, outcome.reason, outcome.leader);
    }
  }

  private readReply(
    client: Client,
    operation: Operation,
    outcome: ReadOutcome,
    node: NodeId,
  ): void {
    switch (outcome.kind) {
      case "ok": {
        // The workload reads with get queries only.
        const result = outcome.result;
        if (result.kind !== "value") throw new Error(`sim read answered ${result.kind}`);
        const value = historyValue(result.value);
        // The history names a write by its exclusive end offset; the state machine by its record.
        const version = result.version === undefined ? null : result.version + 1;
        this.noteOffset(client, outcome.offset);
        if (
          operation.command === undefined &&
          operation.readConcern.level !== "local" &&
          operation.readConcern.level !== "available"
        ) {
          const { level } = operation.readConcern;
          this.invariants.onCommittedRead(
            {
              key: operation.key,
              bound: outcome.offset,
              value: result.value,
              nowMs: this.clock.nowMs,
              describe: `${level} read of ${operation.key} by ${client.process} on node ${node}`,
            },
            level === "linearizable" ? { floorAtInvoke: operation.floorAtInvoke } : undefined,
          );
        }
        return this.complete(client, operation, {
          type: "ok",
          value,
          offset: outcome.offset,
          version,
          node,
        });
      }
      case "timeout":
        return this.complete(client, operation, {
          type: "fail",
          value: null,
          error: "read timeout",
        });
      case "rejected":
        return this.retry(client, operation, outcome.reason, outcome.leader);
    }
  }

  private retry(
    client: Client,
    operation: Operation,
    reason: string,
    leader: NodeId | undefined,
  ): void {
    const retriable =
      reason === "not_leader" ||
      reason === "not_secondary" ||
      reason === "too_stale" ||
      reason === "overloaded";
    if (!retriable || operation.attempts >= attemptsMax) {
      return this.complete(client, operation, {
        type: "fail",
        value: operation.value,
        error: reason,
      });
    }
    if (leader !== undefined) {
      client.leaderGuess = leader;
      return this.send(client, operation);
    }
    if (reason === "not_leader") client.leaderGuess = this.random.pick(this.cluster.memberIds);
    this.queue.push(this.clock.nowMs + this.random.int(10, 100), {
      kind: "client",
      client: client.process,
      retry: operation.id,
    });
  }

  private timeout(client: Client, operationId: number): void {
    const operation = client.operation;
    if (operation === undefined || operation.id !== operationId) return;
    // A write that timed out may still take effect; a read that timed out had no effect.
    const type = operation.command === undefined ? "fail" : "info";
    // As drivers do after a timeout, look for the leader elsewhere.
    client.leaderGuess = this.random.pick(this.cluster.memberIds);
    this.complete(client, operation, { type, value: operation.value, error: "client timeout" });
  }

  private complete(
    client: Client,
    operation: Operation,
    outcome: Partial<HistoryEvent> & Pick<HistoryEvent, "type">,
  ): void {
    this.record(client, outcome, operation);
    client.operation = undefined;
    // A final read must succeed on a converged cluster: one that failed is asked again.
    if (operation.final && outcome.type !== "ok") client.finalKeys?.unshift(operation.key);
    if (!operation.final) this.completed++;
    this.queue.push(this.clock.nowMs + this.random.int(0, 20), {
      kind: "client",
      client: client.process,
    });
  }

  private noteOffset(client: Client, offset: number): void {
    if (offset > client.highestOffset) client.highestOffset = offset;
  }

  private record(
    client: Client,
    fields: Partial<HistoryEvent> & Pick<HistoryEvent, "type">,
    operation: Operation,
  ): void {
    const event: HistoryEvent = {
      process: client.process,
      f: operation.f,
      key: operation.key,
      value: null,
      time: this.clock.nowMs,
      ...fields,
    };
    if (fields.type === "invoke") event.concern = concernLabel(operation);
    if (operation.final) event.final = true;
    this.history.push(event);
  }
}

function concernLabel(operation: Operation): HistoryEvent["concern"] {
  if (operation.command !== undefined) {
    const { w, j } = operation.writeConcern;
    return { write: `${w}${j === true ? ",j" : ""}` };
  }
  const { level, readPreference } = operation.readConcern;
  return { read: readPreference === undefined ? level : `${level},${readPreference}` };
}

function historyValue(value: Value | null): unknown {
  if (value === null) return null;
  switch (value.type) {
    case "string":
      return value.data;
    case "hash":
      return value.fields.map(([field, fieldValue]) => [field, fieldValue]);
    case "list":
      return [...value.items];
    case "set":
      return [...value.members];
    case "zset":
      return value.entries.map(([member, score]) => [member, score]);
    default:
      return unreachable(value);
  }
}
