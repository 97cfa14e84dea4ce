/**
 * The real node's Store (DESIGN.md §3): a request goes to the replica of its key's shard on this
 * node (one shard, `shardId(0)`, for now; with slots the key picks it), with the shard preset's
 * defaults filling what the face left out. A replica that does not lead answers `not_leader`
 * with the leader's id; the Store adds the leader's client address from the cluster config.
 */
import type {
  NodeAddress,
  ReadConcern,
  ReadConcernInput,
  ReplicaView,
  ShardView,
  Store,
  StoreReadOutcome,
  StoreWriteOutcome,
  Topology,
  WriteConcern,
  WriteConcernInput,
  WriteListener,
} from "../api/index.js";
import type { ReadOutcome } from "../core/concern/index.js";
import type { KvCommand, KvQuery, KvStateMachine, TransactionBase } from "../core/state/index.js";
import { type NodeId, type Offset, type ShardId, shardId } from "../core/types.js";
import type { Driver, DriverWriteListener, DriverWriteOutcome } from "../io/driver/index.js";
import type { NodeMetrics } from "./metrics.js";
import type { Preset } from "./presets.js";

const onlyShard = shardId(0);

export const resolveWrite = (input: WriteConcernInput, fallback: WriteConcern): WriteConcern =>
  resolved(input, fallback, "w");

export const resolveRead = (input: ReadConcernInput, fallback: ReadConcern): ReadConcern =>
  resolved(input, fallback, "level");

/**
 * A face's concern over the preset's (api/store.ts): with its `decisive` field, as given; else
 * the preset's with the given fields over it, and the preset's own object when no field is
 * given, as plain Redis commands give none (no copy per request).
 */
function resolved<Concern extends object>(
  input: Partial<Concern>,
  fallback: Concern,
  decisive: keyof Concern,
): Concern {
  if (input[decisive] !== undefined) return input as Concern;
  for (const _field in input) return { ...fallback, ...input, [decisive]: fallback[decisive] };
  return fallback;
}

/**
 * A write on its way through the driver: one object, where a closure would be two. Timed by the
 * driver, from the pass that fed it to its replica: the same event-loop turn as the request, and
 * no clock reading per write.
 */
class TimedWrite implements DriverWriteListener {
  constructor(
    private readonly store: NodeStore,
    private readonly listener: WriteListener,
  ) {}

  written(outcome: DriverWriteOutcome, elapsedMs: number): void {
    this.store.answerWrite(outcome, elapsedMs, this.listener);
  }
}

export class NodeStore implements Store {
  constructor(
    private readonly nodeId: NodeId,
    private readonly driver: Driver,
    private readonly preset: Preset,
    private readonly nodes: readonly NodeAddress[],
    private readonly metrics: NodeMetrics,
    /** The shard's state machine, whose newest versions scripts run against. */
    private readonly state?: KvStateMachine,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  newestState(): TransactionBase | undefined {
    return this.state?.newestState;
  }

  write(command: KvCommand, input: WriteConcernInput): Promise<StoreWriteOutcome> {
    return new Promise((resolve) => this.submitWrite(command, input, { written: resolve }));
  }

  submitWrite(command: KvCommand, input: WriteConcernInput, listener: WriteListener): void {
    const concern = resolveWrite(input, this.preset.defaultWrite);
    const timed = new TimedWrite(this, listener);
    this.driver.submitWrite(this.shardOf(command), command, concern, timed);
  }

  /** A write's outcome, timed and with the leader's address, to its listener (TimedWrite). */
  answerWrite(outcome: DriverWriteOutcome, elapsedMs: number, listener: WriteListener): void {
    this.metrics.recordWrite(outcome.kind, elapsedMs / 1000);
    listener.written(this.withLeaderAddress(outcome));
  }

  /**
   * Answered in this turn when the read needs no waiting (Driver.readNow), else later. A read
   * answered at once is counted as taking no time: it takes a microsecond or two, far below the
   * histogram's first bucket (0.5 ms), and reading the clock twice cost more than the read.
   */
  read(query: KvQuery, input: ReadConcernInput): StoreReadOutcome | Promise<StoreReadOutcome> {
    const concern = resolveRead(input, this.preset.defaultRead);
    const now = this.driver.readNow(onlyShard, query, concern);
    if (now !== undefined) {
      this.metrics.recordRead(now.kind, 0);
      return this.withLeaderAddress(now);
    }
    const startMs = this.nowMs();
    return this.driver
      .read(onlyShard, query, concern)
      .then((outcome) => this.readAnswered(outcome, startMs));
  }

  private readAnswered(outcome: ReadOutcome, startMs: number): StoreReadOutcome {
    this.metrics.recordRead(outcome.kind, (this.nowMs() - startMs) / 1000);
    return this.withLeaderAddress(outcome);
  }

  waitReplicas(
    shard: ShardId,
    target: Offset,
    replicas: number,
    timeoutMs: number,
  ): Promise<number> {
    return this.driver.waitReplicas(shard, target, replicas, timeoutMs);
  }

  topology(): Topology {
    const shards = this.driver.replicas.map((replica) => this.shardView(replica.shard));
    return { nodeId: this.nodeId, nodes: this.nodes, shards };
  }

  private shardOf(_command: KvCommand): ShardId {
    return onlyShard;
  }

  private shardView(shard: ShardId): ShardView {
    const replica = this.driver.replica(shard);
    const followers = this.driver.followers(shard);
    if (replica === undefined || followers === undefined) throw new Error(`no shard ${shard}`);
    const status = replica.status();
    const self: ReplicaView = {
      id: status.id,
      leo: status.leo,
      durableOffset: status.durableOffset,
      lagRecords: 0,
      lastFetchAgoMs: 0,
    };
    const replicas = [self];
    const nowMs = this.nowMs();
    for (const member of replica.members) {
      if (member === status.id || status.role !== "leader") continue;
      const position = followers.followers(replica).get(member);
      replicas.push({
        id: member,
        leo: position?.leo ?? (0 as Offset),
        durableOffset: position?.durableOffset ?? (0 as Offset),
        lagRecords: status.leo - (position?.leo ?? 0),
        lastFetchAgoMs: position === undefined ? -1 : Math.round(nowMs - position.lastFetchAtMs),
      });
    }
    const leader = status.role === "leader" ? status.id : status.leader;
    return {
      shard,
      role: status.role,
      epoch: status.epoch,
      leader,
      leaderAddress: this.addressOf(leader),
      leo: status.leo,
      commit: status.commit,
      durableOffset: status.durableOffset,
      members: replica.members,
      replicas,
    };
  }

  private addressOf(id: NodeId | undefined): string | undefined {
    return this.nodes.find((node) => node.id === id)?.clientAddress;
  }

  private withLeaderAddress<T extends { kind: string; leader?: NodeId }>(outcome: T): T {
    if (outcome.kind !== "rejected" || outcome.leader === undefined) return outcome;
    const leaderAddress = this.addressOf(outcome.leader);
    return leaderAddress === undefined ? outcome : { ...outcome, leaderAddress };
  }
}
