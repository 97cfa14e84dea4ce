/**
 * The Store: the one interface every protocol face (RESP now; Kafka and MongoDB later) and the
 * TypeScript client's server side call (DESIGN.md §3). A face translates its own words (`WAIT`,
 * `w`, `acks`, `readPreference`) into these calls and their outcomes back into its replies, so a
 * face is testable against an in-memory Store and the real node implements it by routing to the
 * local replica.
 *
 * `append`/`fetch` for streams (DESIGN.md §3) join this interface with the Kafka face; the kv
 * state machine is the only one a node hosts so far.
 */
import type {
  KvCommand,
  KvQuery,
  NodeId,
  Offset,
  ReadConcern,
  ReadOutcome,
  ShardId,
  TransactionBase,
  WriteConcern,
  WriteOutcome,
} from "./core_types.js";

/** Where a node's clients connect: enough to name it in a redirect. */
export interface NodeAddress {
  readonly id: NodeId;
  /** `host:port` of the node's RESP listener. */
  readonly clientAddress: string;
}

/**
 * A rejection that names the leader adds its client address, so a redirect can be followed
 * without a topology lookup.
 */
type WithLeaderAddress<T> = T extends { kind: "rejected" } ? T & { leaderAddress?: string } : T;

/**
 * A write's outcome as a face sees it. `unknown` carries no offset when the node stopped before
 * the replica placed or answered the write.
 */
export type StoreWriteOutcome =
  | WithLeaderAddress<Exclude<WriteOutcome, { kind: "unknown" }>>
  | { kind: "unknown"; offset?: Offset; detail?: string };

export type StoreReadOutcome = WithLeaderAddress<ReadOutcome>;

export type ShardRole = "follower" | "precandidate" | "candidate" | "leader";

/** One replica of a shard as a node knows it; a leader knows its followers from their fetches. */
export interface ReplicaView {
  readonly id: NodeId;
  readonly leo: Offset;
  readonly durableOffset: Offset;
  /** Records behind the leader's leo (0 for the leader itself). */
  readonly lagRecords: number;
  /** Milliseconds since the leader last heard a fetch from it; 0 for the leader. */
  readonly lastFetchAgoMs: number;
}

/** A shard as this node sees it. */
export interface ShardView {
  readonly shard: ShardId;
  readonly role: ShardRole;
  readonly epoch: number;
  readonly leader: NodeId | undefined;
  readonly leaderAddress: string | undefined;
  readonly leo: Offset;
  readonly commit: Offset;
  readonly durableOffset: Offset;
  readonly members: readonly NodeId[];
  /** On the leader, every member (itself first); elsewhere only this node's own replica. */
  readonly replicas: readonly ReplicaView[];
}

export interface Topology {
  readonly nodeId: NodeId;
  readonly nodes: readonly NodeAddress[];
  readonly shards: readonly ShardView[];
}

/**
 * A concern as a face received it: without `w` (or `level`) the shard's preset default applies
 * whole, and the fields given override it; with `w` (or `level`) it is taken as given. So plain
 * Redis commands pass `{}` and get the preset's behaviour (DESIGN.md §5).
 */
export type WriteConcernInput = Partial<WriteConcern>;
export type ReadConcernInput = Partial<ReadConcern>;

/** Who waits for a write submitted through `Store.submitWrite`. */
export interface WriteListener {
  written(outcome: StoreWriteOutcome): void;
}

export interface Store {
  /** Writes `command` (its key picks the shard) with `concern`; never rejects the promise. */
  write(command: KvCommand, concern: WriteConcernInput): Promise<StoreWriteOutcome>;
  /**
   * `write` answered through `listener.written` instead of a promise, for a face's hot path: an
   * object the caller has anyway, so a write allocates no promise or closure. Called exactly
   * once, possibly before this returns. Absent where the Store has no such path.
   */
  submitWrite?(command: KvCommand, concern: WriteConcernInput, listener: WriteListener): void;
  /**
   * A write answered in the caller's turn, where the Store can answer so (the state a script
   * runs against, decision 0020); absent or undefined otherwise: use `write`.
   */
  writeNow?(command: KvCommand, concern: WriteConcernInput): StoreWriteOutcome | undefined;
  /**
   * Reads `query` at `concern`; the outcome names the offset the state it saw reflects. A read
   * that needs no waiting may be answered at once, without a promise; never rejects.
   */
  read(query: KvQuery, concern: ReadConcernInput): StoreReadOutcome | Promise<StoreReadOutcome>;
  /**
   * Waits until `replicas` replicas of `shard` (the leader included) hold the log up to `offset`,
   * or `timeoutMs` passes (0: no timeout); answers the count reached (Redis `WAIT`). A node that
   * does not lead the shard answers 0 at once.
   */
  waitReplicas(
    shard: ShardId,
    offset: Offset,
    replicas: number,
    timeoutMs: number,
  ): Promise<number>;
  topology(): Topology;
  /**
   * This node's newest versions of the data, writes not yet committed included, for a script
   * to run against (ScriptState, decision 0020); absent where the Store holds no replica.
   */
  newestState?(): TransactionBase | undefined;
}
