/**
 * The simulated cluster: nodes with in-memory storage that loses unsynced writes on a crash,
 * replicas driven through the production `processReady`, and a network with delay, jitter
 * (reordering), loss, duplication and partitions. Every random choice comes from the run's seed.
 */
import type { ClientReply, ReadRequest, WriteRequest } from "../core/concern/index.js";
import { majorityCommit } from "../core/policy/index.js";
import type { Random } from "../core/random.js";
import {
  type Batch,
  type HardState,
  type Message,
  processReady,
  Replica,
  type ReplicaConfig,
  type Snapshot,
  writeReady,
} from "../core/replica/index.js";
import { KvStateMachine } from "../core/state/index.js";
import { epoch, type NodeId, nodeId, shardId } from "../core/types.js";
import { MemoryStorage } from "../storage/memory_storage.js";
import type { EventQueue } from "./event_queue.js";
import type { InvariantChecker } from "./invariants.js";
import type { Scenario } from "./scenario.js";

export type SimEvent =
  | { kind: "tick"; node: NodeId }
  | { kind: "deliver"; message: Message }
  | { kind: "write"; node: NodeId; request: WriteRequest; client: number }
  | { kind: "read"; node: NodeId; request: ReadRequest; client: number }
  /** The node proposes the writes it gathered (`Scenario.proposeGroupMs`) as one batch. */
  | { kind: "propose"; node: NodeId }
  | { kind: "reply"; client: number; reply: ClientReply; node: NodeId }
  /** A client's turn: a new operation, or (with `retry`) another attempt of that operation. */
  | { kind: "client"; client: number; retry?: number }
  | { kind: "client_timeout"; client: number; operation: number }
  | { kind: "fault" }
  | { kind: "repair"; repair: Repair };

export type Repair =
  | { kind: "restart"; node: NodeId }
  | { kind: "resume"; node: NodeId }
  | { kind: "heal" }
  | { kind: "restore_links" };

export interface SimNode {
  id: NodeId;
  storage: MemoryStorage<Batch, HardState, Snapshot>;
  replica: Replica | undefined;
  paused: boolean;
  /** Messages and requests that reached the node while it was paused, in arrival order. */
  held: SimEvent[];
  /** Ticks missed while paused: the node sees the elapsed time when it resumes. */
  missedTicks: number;
  /** Writes gathered for the next `propose` event, as a real node gathers one event-loop turn's. */
  gathered: WriteEvent[];
}

type WriteEvent = Extract<SimEvent, { kind: "write" }>;

const shard = shardId(0);

export class SimCluster {
  readonly nodes: SimNode[] = [];
  readonly config: ReplicaConfig;
  /** Directed links that drop everything: `from>to`. */
  private readonly blocked = new Set<string>();
  /** Extra loss on links degraded by the nemesis. */
  private degradedLossRate = 0;
  messagesSent = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly random: Random,
    private readonly queue: EventQueue<SimEvent>,
    private readonly clock: { nowMs: number },
    private readonly invariants: InvariantChecker,
  ) {
    this.config = {
      electionTimeoutTicks: scenario.electionTimeoutTicks,
      heartbeatTicks: scenario.heartbeatTicks,
      fetchWaitTicksMax: scenario.fetchWaitTicksMax,
      fetchRecordsMax: scenario.fetchRecordsMax,
      fetchBytesMax: scenario.fetchBytesMax,
      snapshotChunkBytesMax: scenario.fetchBytesMax,
      preVote: true,
      checkQuorum: true,
      commitPolicy: majorityCommit,
      syncEveryWrite: true,
      tickMs: scenario.tickMs,
      pendingWritesMax: 1000,
      parkedReadsMax: 1000,
      snapshotHistoryRecords: 100,
      compactionRecords: scenario.compactionRecords,
      compactionRetainRecords: Math.floor(scenario.compactionRecords / 4),
      mutations: scenario.mutations,
    };
    for (let index = 1; index <= scenario.nodeCount; index++) {
      this.nodes.push({
        id: nodeId(index),
        storage: new MemoryStorage(),
        replica: undefined,
        paused: false,
        held: [],
        missedTicks: 0,
        gathered: [],
      });
    }
    for (const node of this.nodes) {
      this.start(node);
      // Each node's clock starts at its own phase, so ticks do not all land together.
      this.queue.push(this.random.int(1, scenario.tickMs), { kind: "tick", node: node.id });
    }
  }

  get memberIds(): NodeId[] {
    return this.nodes.map((node) => node.id);
  }

  node(id: NodeId): SimNode {
    const node = this.nodes[id - 1];
    if (node === undefined) throw new RangeError(`no node ${id}`);
    return node;
  }

  /** Handles an event addressed to a node: a tick, a peer message or a client request. */
  handle(event: SimEvent): void {
    switch (event.kind) {
      case "tick": {
        const node = this.node(event.node);
        this.queue.push(this.clock.nowMs + this.scenario.tickMs, event);
        if (node.replica === undefined) return;
        if (node.paused) {
          node.missedTicks++;
          return;
        }
        node.replica.tick();
        return this.drive(node);
      }
      case "deliver":
      case "write":
      case "read": {
        const target = event.kind === "deliver" ? event.message.to : event.node;
        const node = this.node(target);
        if (node.replica === undefined) return;
        // A partition that began while the message was in flight drops it too.
        if (event.kind === "deliver" && this.blocked.has(`${event.message.from}>${target}`)) return;
        if (node.paused) {
          node.held.push(event);
          return;
        }
        if (event.kind === "write" && this.scenario.proposeGroupMs > 0) {
          return this.gather(node, event);
        }
        // Gathered writes arrived first: a real node feeds a turn's inputs in arrival order.
        this.proposeGathered(node);
        this.input(node, event);
        return this.drive(node);
      }
      case "propose":
        return this.proposeGathered(this.node(event.node));
      default:
        throw new Error(`cluster cannot handle ${event.kind}`);
    }
  }

  /** Holds a write until the node's next `propose` event, which the first one schedules. */
  private gather(node: SimNode, event: WriteEvent): void {
    if (node.gathered.length === 0) {
      this.queue.push(this.clock.nowMs + this.scenario.proposeGroupMs, {
        kind: "propose",
        node: node.id,
      });
    }
    node.gathered.push(event);
  }

  private proposeGathered(node: SimNode): void {
    const gathered = node.gathered;
    node.gathered = [];
    if (node.replica === undefined || gathered.length === 0) return;
    if (node.paused) {
      node.held.push(...gathered);
      return;
    }
    node.replica.proposeAll(gathered.map((event) => event.request));
    this.drive(node);
  }

  crash(node: SimNode): void {
    node.replica = undefined;
    node.gathered = [];
    node.storage.crash();
    node.paused = false;
    node.held = [];
    node.missedTicks = 0;
  }

  restart(node: SimNode): void {
    if (node.replica !== undefined) return;
    this.start(node);
    this.drive(node);
  }

  pause(node: SimNode): void {
    if (node.replica !== undefined) node.paused = true;
  }

  /**
   * A resumed process sees the time that passed and the messages that queued up, in either
   * order: a deposed leader may serve what waited in its socket before its timers notice.
   */
  resume(node: SimNode): void {
    if (!node.paused || node.replica === undefined) return;
    node.paused = false;
    const messagesFirst = this.random.chance(0.5);
    if (!messagesFirst) this.catchUpTicks(node);
    const held = node.held;
    node.held = [];
    // What queued up arrives together: consecutive writes are proposed as one batch.
    for (let index = 0; index < held.length; ) {
      const writes: WriteEvent[] = [];
      for (let next = held[index]; next?.kind === "write"; next = held[++index]) writes.push(next);
      if (writes.length > 0) (node.replica as Replica).proposeAll(writes.map((w) => w.request));
      else this.input(node, held[index++] as SimEvent);
      this.drive(node);
    }
    if (messagesFirst) this.catchUpTicks(node);
  }

  private catchUpTicks(node: SimNode): void {
    const ticks = Math.min(node.missedTicks, 3 * this.scenario.electionTimeoutTicks);
    node.missedTicks = 0;
    for (let count = 0; count < ticks; count++) node.replica?.tick();
    this.drive(node);
  }

  /** Blocks every link between the groups, both ways. */
  partition(groups: readonly NodeId[][]): void {
    groups.forEach((group, index) => {
      for (const other of groups.slice(index + 1)) {
        for (const a of group) {
          for (const b of other) {
            this.blocked.add(`${a}>${b}`);
            this.blocked.add(`${b}>${a}`);
          }
        }
      }
    });
  }

  blockOneWay(from: NodeId, to: NodeId): void {
    this.blocked.add(`${from}>${to}`);
  }

  heal(): void {
    this.blocked.clear();
  }

  degrade(lossRate: number): void {
    this.degradedLossRate = lossRate;
  }

  private start(node: SimNode): void {
    const { hardState, snapshot, batches } = node.storage.load();
    node.replica = new Replica({
      ...(snapshot === undefined ? {} : { snapshot }),
      id: node.id,
      shard,
      members: this.memberIds,
      config: this.config,
      random: this.random.fork(),
      hardState: hardState ?? { epoch: epoch(0), vote: null },
      batches,
      stateMachine: new KvStateMachine(),
    });
    this.invariants.onRestart(node.id);
  }

  private input(node: SimNode, event: SimEvent): void {
    const replica = node.replica as Replica;
    switch (event.kind) {
      case "deliver":
        return replica.step(event.message);
      case "write":
        return replica.propose(event.request);
      case "read":
        return replica.read(event.request);
      default:
        throw new Error(`not an input: ${event.kind}`);
    }
  }

  /** Runs the Ready loop until the replica is quiet, then checks the invariants. */
  private drive(node: SimNode): void {
    const replica = node.replica;
    if (replica === undefined) return;
    while (
      processReady([replica], {
        write: (_, ready) => {
          this.invariants.onWrite(node.id, replica, ready);
          writeReady(node.storage, ready);
        },
        sync: () => node.storage.sync(),
        send: (messages) => {
          for (const message of messages) this.send(message);
        },
        deliver: (_, replies) => {
          for (const reply of replies) this.replyToClient(node.id, reply);
        },
      })
    ) {
      // Keep going: advancing may have produced more work.
    }
    this.invariants.afterStep(node.id, replica);
  }

  private send(message: Message): void {
    this.messagesSent++;
    const copies = this.random.chance(this.scenario.duplicateRate) ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      if (this.blocked.has(`${message.from}>${message.to}`)) continue;
      if (this.random.chance(this.scenario.lossRate + this.degradedLossRate)) continue;
      this.queue.push(this.clock.nowMs + this.delayMs(), { kind: "deliver", message });
    }
  }

  /** Client requests and replies travel with link delays too, but are never partitioned. */
  delayMs(): number {
    return this.scenario.delayMsMin + this.random.next() * this.scenario.delayJitterMs;
  }

  private replyToClient(node: NodeId, reply: ClientReply): void {
    const client = this.requestOwners.get(reply.id);
    if (client === undefined) return;
    this.requestOwners.delete(reply.id);
    this.queue.push(this.clock.nowMs + this.delayMs(), { kind: "reply", client, reply, node });
  }

  /** Which client sent each request, so replies find their way back. */
  readonly requestOwners = new Map<number, number>();
}
