/**
 * The real-time shell around a node's replicas (DESIGN.md §3): it turns wall-clock time into
 * ticks, and once per event-loop turn feeds every replica what arrived during that turn (peer
 * messages, client writes and reads), then runs the one Ready loop, `processReady`, over all of
 * them together, so one fsync and one socket write per peer cover everything that was ready at
 * once (group commit across shards). Storage I/O is synchronous (decision 0003) and the loop is
 * synchronous (decision 0004): nothing can interleave between persisting and sending.
 *
 * Client promises are resolved from the Ready's replies, after the writes they depend on are on
 * disk (processReady's order), so an acknowledged write has been synced when the policy says so.
 */
import type {
  ClientReply,
  ReadConcern,
  ReadOutcome,
  WriteConcern,
  WriteOutcome,
  WriteRequest,
} from "../../core/concern/index.js";
import {
  type Batch,
  type HardState,
  type Message,
  processReady,
  type Ready,
  type Replica,
  type Snapshot,
  writeReady,
} from "../../core/replica/index.js";
import type { KvCommand, KvQuery } from "../../core/state/index.js";
import type { Offset, ShardId } from "../../core/types.js";
import type { LogStorage } from "../../storage/log_storage.js";
import { assert } from "../../util/assert.js";
import { recordBytesMax } from "../storage/index.js";
import { FollowerProgress } from "./follower_progress.js";
import { PendingCallers } from "./pending_callers.js";
import { oversizedRecord, writeRecordBytes } from "./record_limit.js";
import { ReplicaWaits } from "./replica_waits.js";
import { TickClock } from "./tick_clock.js";

/** Storage of one shard; DiskStorage in a node, MemoryStorage in tests. */
export interface DriverStorage extends LogStorage<Batch, HardState, Snapshot> {
  /** The `interval` fsync policy's timer; the driver calls it every pass. */
  syncIfDue?(nowMs: number): boolean;
}

export interface DriverShard {
  readonly replica: Replica;
  readonly storage: DriverStorage;
}

/** A write the driver could not hand to a replica (the node is stopping). */
export type DriverWriteOutcome =
  | WriteOutcome
  | { kind: "unknown"; offset?: Offset; detail: string };

/** Who waits for a write submitted through `Driver.submitWrite`. */
export interface DriverWriteListener {
  /** `elapsedMs`: since the pass that fed the write to its replica. */
  written(outcome: DriverWriteOutcome, elapsedMs: number): void;
}

export interface DriverOptions {
  tickMs: number;
  /** Ticks run at most after a stall; the rest of the stall is skipped. */
  catchUpTicksMax: number;
  /** Sends messages to peers (PeerTransport.sendNow), in the Ready loop's order. */
  send(messages: readonly Message[]): void;
  /** Monotonic milliseconds (performance.now) for ticks and deadlines. */
  monotonicMs?: () => number;
  /** Wall-clock milliseconds (Date.now), stamped into writes and reads. */
  wallMs?: () => number;
  /** Bounds the requests queued between two passes; beyond it they are refused as busy. */
  queuedInputsMax?: number;
  waitsMax?: number;
  /** Called with each fsync round's duration, for metrics. */
  onSync?(durationMs: number): void;
}

/**
 * A write is queued as the request the replica takes, stamped with the clock when fed: one
 * object a write. `bytes`, an upper bound of its record's, cuts batches.
 */
type WriteInput = WriteRequest & { kind: "write"; shard: ShardId; bytes: number };

type Input =
  | { kind: "step"; message: Message }
  | WriteInput
  | { kind: "read"; shard: ShardId; query: KvQuery; concern: ReadConcern; id: number };

/** Most writes proposed as one batch: batches stay small next to a fetch (16,384 records on nodes). */
const groupRecordsMax = 1000;

/** Ready passes per turn before yielding to the event loop; each pass is bounded work. */
const passesPerTurnMax = 64;

export class Driver {
  private readonly shards = new Map<ShardId, DriverShard>();
  private readonly progress = new Map<ShardId, FollowerProgress>();
  private readonly waits = new Map<ShardId, ReplicaWaits>();
  private readonly clock: TickClock;
  private readonly monotonicMs: () => number;
  private readonly wallMs: () => number;
  private readonly queuedInputsMax: number;
  private inputs: Input[] = [];
  /** The callers waiting, by request id. */
  private readonly pending = new PendingCallers<
    DriverWriteListener,
    (outcome: ReadOutcome) => void
  >();
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  /** `stopping`: peers are still heard so that requests in flight can finish; clients are not. */
  private state: "new" | "running" | "stopping" | "stopped" = "new";
  /** fsync rounds so far. */
  syncCount = 0;

  constructor(
    shards: readonly DriverShard[],
    private readonly options: DriverOptions,
  ) {
    this.monotonicMs = options.monotonicMs ?? (() => performance.now());
    this.wallMs = options.wallMs ?? (() => Date.now());
    this.queuedInputsMax = options.queuedInputsMax ?? 100_000;
    for (const shard of shards) {
      const id = shard.replica.shard;
      assert(!this.shards.has(id), () => `shard ${id} given twice`);
      this.shards.set(id, shard);
      this.progress.set(id, new FollowerProgress());
      this.waits.set(id, new ReplicaWaits(options.waitsMax ?? 10_000));
    }
    this.clock = new TickClock(options.tickMs, options.catchUpTicksMax, this.monotonicMs());
  }

  get replicas(): Replica[] {
    return [...this.shards.values()].map((shard) => shard.replica);
  }

  replica(shard: ShardId): Replica | undefined {
    return this.shards.get(shard)?.replica;
  }

  followers(shard: ShardId): FollowerProgress | undefined {
    return this.progress.get(shard);
  }

  /** Ticks skipped after stalls. */
  get droppedTicks(): number {
    return this.clock.droppedTicks;
  }

  /** Starts the tick timer; the replicas' recovered state may already have work (a vote). */
  start(): void {
    assert(this.state === "new", () => `start of a driver that is ${this.state}`);
    this.state = "running";
    this.timer = setInterval(() => this.schedule(), this.options.tickMs);
    this.schedule();
  }

  /** A message from a peer (PeerTransport.onMessage). */
  step(message: Message): void {
    if (this.state === "new" || this.state === "stopped") return;
    if (!this.shards.has(message.shard)) return;
    if (this.inputs.length >= this.queuedInputsMax) return; // as a lost message
    this.inputs.push({ kind: "step", message });
    this.schedule();
  }

  write(shard: ShardId, command: KvCommand, concern: WriteConcern): Promise<DriverWriteOutcome> {
    return new Promise((resolve) =>
      this.submitWrite(shard, command, concern, { written: resolve }),
    );
  }

  /**
   * `write` answered through `listener.written` instead of a promise, for the hot path (a face's
   * pending reply is its own listener); called exactly once, possibly before this returns.
   */
  submitWrite(
    shard: ShardId,
    command: KvCommand,
    concern: WriteConcern,
    listener: DriverWriteListener,
  ): void {
    const bytes = writeRecordBytes(command);
    const refusal = this.refusal(shard) ?? oversizedRecord(bytes);
    if (refusal !== undefined) return listener.written(refusal, 0);
    const id = this.pending.add("write", listener);
    this.inputs.push({ kind: "write", shard, command, concern, id, bytes, nowMs: 0 });
    this.schedule();
  }

  read(shard: ShardId, query: KvQuery, concern: ReadConcern): Promise<ReadOutcome> {
    const refusal = this.refusal(shard);
    if (refusal !== undefined) return Promise.resolve(refusal);
    return new Promise((resolve) => {
      const id = this.pending.add("read", resolve);
      this.inputs.push({ kind: "read", shard, query, concern, id });
      this.schedule();
    });
  }

  /**
   * A read answered in the caller's turn when it needs no waiting (Replica.readAtOnce): no queue,
   * no pass, no promise. Undefined: it must wait, or the driver is not running; use `read`.
   * Between passes no Ready is outstanding, so the replica may be asked here.
   */
  readNow(shard: ShardId, query: KvQuery, concern: ReadConcern): ReadOutcome | undefined {
    if (this.state !== "running") return undefined;
    const request = { id: 0, query, concern, nowMs: this.wallMs() };
    return this.shards.get(shard)?.replica.readAtOnce(request);
  }

  /** Redis `WAIT` on an explicit offset: the count of replicas holding it, leader included. */
  waitReplicas(
    shard: ShardId,
    target: Offset,
    replicas: number,
    timeoutMs: number,
  ): Promise<number> {
    const host = this.shards.get(shard);
    const progress = this.progress.get(shard);
    const waits = this.waits.get(shard);
    if (host === undefined || progress === undefined || waits === undefined) {
      return Promise.resolve(0);
    }
    const count = progress.countHolding(host.replica, target);
    if (count >= replicas || this.state !== "running" || waits.full) return Promise.resolve(count);
    const deadlineMs = timeoutMs === 0 ? Number.POSITIVE_INFINITY : this.monotonicMs() + timeoutMs;
    return new Promise((resolve) => waits.add({ target, replicas, deadlineMs, resolve }));
  }

  /**
   * Stops taking requests, keeps driving for up to `graceMs` so that requests in flight can be
   * answered, then answers the rest (writes `unknown`, reads refused), syncs and stops the timer.
   * The caller closes storage and transport afterwards.
   */
  async stop(graceMs: number): Promise<void> {
    if (this.state !== "running") return;
    const deadline = this.monotonicMs() + graceMs;
    this.state = "stopping";
    while (this.pending.size > 0 && this.monotonicMs() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, this.options.tickMs));
    }
    if (this.timer !== undefined) clearInterval(this.timer);
    this.pass();
    this.state = "stopped";
    const stoppedMs = this.monotonicMs();
    for (const id of this.pending.ids("write")) {
      const fedAtMs = this.pending.fedAtMs(id);
      (this.pending.take("write", id) as DriverWriteListener).written(
        { kind: "unknown", detail: "the node stopped before answering" },
        fedAtMs === 0 ? 0 : stoppedMs - fedAtMs,
      );
    }
    const stopping = {
      kind: "rejected",
      reason: "overloaded",
      detail: "the node is stopping",
    } as const;
    for (const id of this.pending.ids("read")) this.pending.take("read", id)?.(stopping);
    for (const [shard, waits] of this.waits) {
      const host = this.shards.get(shard) as DriverShard;
      const progress = this.progress.get(shard) as FollowerProgress;
      waits.release((target) => progress.countHolding(host.replica, target));
    }
  }

  private refusal(shard: ShardId) {
    if (this.state !== "running") {
      return { kind: "rejected", reason: "overloaded", detail: "the node is stopping" } as const;
    }
    if (!this.shards.has(shard)) {
      return { kind: "rejected", reason: "invalid", detail: `no shard ${shard} here` } as const;
    }
    if (this.inputs.length >= this.queuedInputsMax) {
      return {
        kind: "rejected",
        reason: "overloaded",
        detail: "too many requests queued",
      } as const;
    }
    return undefined;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: everything that arrived together
    // is handled by one pass.
    setImmediate(() => {
      this.scheduled = false;
      this.pass();
    });
  }

  /** One turn: every queued input, ticks due, then the Ready loop until the replicas are quiet. */
  private pass(): void {
    const nowMs = this.monotonicMs();
    const wallMs = this.wallMs();
    // Inputs before ticks: after a stall (a long pass, a GC pause), what arrived meanwhile was
    // sent during the time the ticks stand for. Ticking first made a stalled leader miss the
    // fetches waiting in its sockets and step down by check-quorum although every follower
    // was there; safety never depends on this order (the simulator runs both).
    const inputs = this.inputs;
    this.inputs = [];
    this.feedAll(inputs, nowMs, wallMs);
    const ticks = this.state === "new" ? 0 : this.clock.due(nowMs);
    for (let tick = 0; tick < ticks; tick++) {
      for (const { replica } of this.shards.values()) replica.tick();
    }
    const replicas = this.replicas;
    const shell = {
      write: (shard: ShardId, ready: Ready) => this.persist(shard, ready),
      sync: () => this.sync(),
      send: (messages: readonly Message[]) => this.options.send(messages),
      deliver: (_: ShardId, replies: readonly ClientReply[]) => this.deliver(replies),
    };
    let passes = 0;
    while (processReady(replicas, shell)) {
      passes++;
      if (passes >= passesPerTurnMax) {
        this.schedule();
        break;
      }
    }
    for (const { storage } of this.shards.values()) storage.syncIfDue?.(wallMs);
    for (const [shard, waits] of this.waits) {
      const host = this.shards.get(shard) as DriverShard;
      const progress = this.progress.get(shard) as FollowerProgress;
      waits.check(nowMs, (target) => progress.countHolding(host.replica, target));
    }
  }

  /**
   * Feeds the inputs in arrival order; consecutive writes to one shard are proposed together,
   * as one batch (one frame, one append, one fetch release) of at most `groupRecordsMax` records
   * and `recordBytesMax` bytes unless a single record, so every batch fits a frame.
   */
  private feedAll(inputs: readonly Input[], nowMs: number, wallMs: number): void {
    let group: WriteRequest[] = [];
    let groupShard: ShardId | undefined;
    let groupBytes = 0;
    const proposeGroup = (): void => {
      if (groupShard === undefined) return;
      (this.shards.get(groupShard) as DriverShard).replica.proposeAll(group);
      group = [];
      groupShard = undefined;
      groupBytes = 0;
    };
    for (const input of inputs) {
      if (input.kind !== "write") {
        proposeGroup();
        this.feed(input, nowMs, wallMs);
        continue;
      }
      const full = group.length >= groupRecordsMax || groupBytes + input.bytes > recordBytesMax;
      if (groupShard !== input.shard || full) proposeGroup();
      groupShard = input.shard;
      groupBytes += input.bytes;
      input.nowMs = wallMs;
      this.pending.fed(input.id, nowMs);
      group.push(input);
    }
    proposeGroup();
  }

  private feed(input: Exclude<Input, { kind: "write" }>, nowMs: number, wallMs: number): void {
    switch (input.kind) {
      case "step": {
        const host = this.shards.get(input.message.shard) as DriverShard;
        this.progress.get(input.message.shard)?.observe(host.replica, input.message, nowMs);
        return host.replica.step(input.message);
      }
      case "read": {
        const host = this.shards.get(input.shard) as DriverShard;
        const request = { id: input.id, query: input.query, concern: input.concern };
        return host.replica.read({ ...request, nowMs: wallMs });
      }
    }
  }

  private persist(shard: ShardId, ready: Ready): void {
    writeReady((this.shards.get(shard) as DriverShard).storage, ready);
  }

  private sync(): void {
    const startMs = this.monotonicMs();
    for (const { storage } of this.shards.values()) storage.sync();
    this.syncCount++;
    this.options.onSync?.(this.monotonicMs() - startMs);
  }

  private deliver(replies: readonly ClientReply[]): void {
    // One clock reading for the replies of a pass: they are answered together.
    let nowMs: number | undefined;
    for (const reply of replies) {
      if (reply.kind === "write") {
        const fedAtMs = this.pending.fedAtMs(reply.id);
        const listener = this.pending.take("write", reply.id);
        nowMs ??= this.monotonicMs();
        listener?.written(reply.outcome, nowMs - fedAtMs);
      } else this.pending.take("read", reply.id)?.(reply.outcome);
    }
  }
}
