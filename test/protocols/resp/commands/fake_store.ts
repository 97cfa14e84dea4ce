/**
 * An in-memory Store for the RESP command tests: a Map of values, an offset per write, and a
 * queue of canned outcomes that the next calls answer instead (not-leader, timeouts, ...).
 */
import {
  type KvCommand,
  type KvQuery,
  type KvQueryResult,
  type KvResult,
  nodeId,
  type Offset,
  offset,
  type ReadConcernInput,
  type ShardId,
  type Store,
  type StoreReadOutcome,
  type StoreWriteOutcome,
  shardId,
  type Topology,
  type Value,
  type WriteConcernInput,
} from "../../../../src/api/index.js";

export class FakeStore implements Store {
  readonly values = new Map<string, { value: Value; version: Offset }>();
  readonly writes: Array<{ command: KvCommand; concern: WriteConcernInput }> = [];
  readonly reads: Array<{ query: KvQuery; concern: ReadConcernInput }> = [];
  readonly waits: Array<{ shard: ShardId; offset: Offset; replicas: number; timeoutMs: number }> =
    [];
  nextWrite: StoreWriteOutcome[] = [];
  nextRead: StoreReadOutcome[] = [];
  /** Results for queries other than `get`, in order. */
  nextQueryResult: KvQueryResult[] = [];
  /** Results for write commands the fake does not model, in order. */
  nextResult: KvResult[] = [];
  leo = 0;
  role: "leader" | "follower" = "leader";
  /** Absent unless a test sets it: the faces then write through `write`'s promise. */
  submitWrite?: Store["submitWrite"];

  async write(command: KvCommand, concern: WriteConcernInput): Promise<StoreWriteOutcome> {
    this.writes.push({ command, concern });
    const canned = this.nextWrite.shift();
    if (canned !== undefined) return canned;
    this.leo++;
    return { kind: "ok", offset: offset(this.leo), result: this.apply(command) };
  }

  async read(query: KvQuery, concern: ReadConcernInput): Promise<StoreReadOutcome> {
    this.reads.push({ query, concern });
    const canned = this.nextRead.shift();
    if (canned !== undefined) return canned;
    if (query.kind !== "get") {
      // Other queries answer what a test queued with `answer`, else an empty count.
      const result = this.nextQueryResult.shift() ?? { kind: "count" as const, count: 0 };
      return { kind: "ok", result, offset: offset(this.leo) };
    }
    const found = this.values.get(query.key);
    const result =
      found === undefined
        ? { kind: "value" as const, value: null }
        : { kind: "value" as const, value: found.value, version: found.version };
    return { kind: "ok", result, offset: offset(this.leo) };
  }

  async waitReplicas(shard: ShardId, at: Offset, replicas: number, timeoutMs: number) {
    this.waits.push({ shard, offset: at, replicas, timeoutMs });
    return 2;
  }

  topology(): Topology {
    const leader = nodeId(1);
    const self = { id: leader, leo: offset(this.leo), durableOffset: offset(this.leo) };
    return {
      nodeId: leader,
      nodes: [{ id: leader, clientAddress: "127.0.0.1:7379" }],
      shards: [
        {
          shard: shardId(0),
          role: this.role,
          epoch: 4,
          leader,
          leaderAddress: "127.0.0.1:7379",
          leo: offset(this.leo),
          commit: offset(this.leo),
          durableOffset: offset(this.leo),
          members: [leader, nodeId(2)],
          replicas: [
            { ...self, lagRecords: 0, lastFetchAgoMs: 0 },
            {
              id: nodeId(2),
              leo: offset(1),
              durableOffset: offset(1),
              lagRecords: this.leo - 1,
              lastFetchAgoMs: 5,
            },
          ],
        },
      ],
    };
  }

  private apply(command: KvCommand): KvResult {
    const version = offset(this.leo);
    const current = "key" in command ? this.values.get(command.key)?.value : undefined;
    const canned = this.nextResult.shift();
    if (canned !== undefined) return canned;
    switch (command.kind) {
      case "set":
        if ((command.condition === "nx" && current) || (command.condition === "xx" && !current)) {
          return { kind: "not_applied", current: current ?? null };
        }
        this.values.set(command.key, { value: { type: "string", data: command.value }, version });
        return { kind: "ok" };
      case "del": {
        const count = command.keys.filter((key) => this.values.delete(key)).length;
        return { kind: "count", count };
      }
      case "incr": {
        if (current !== undefined && current.type !== "string") {
          return { kind: "error", code: "wrong_type" };
        }
        if (current !== undefined && !/^-?\d+$/.test(current.data)) {
          return { kind: "error", code: "not_integer" };
        }
        const value = BigInt(current?.data ?? "0") + command.by;
        this.values.set(command.key, { value: { type: "string", data: String(value) }, version });
        return { kind: "integer", value };
      }
      case "cas": {
        const matches =
          command.expected === null
            ? current === undefined
            : current?.type === "string" && current.data === command.expected;
        if (!matches) return { kind: "not_applied", current: current ?? null };
        this.values.set(command.key, { value: { type: "string", data: command.value }, version });
        return { kind: "ok" };
      }
      case "listAppend": {
        if (current !== undefined && current.type !== "list") {
          return { kind: "error", code: "wrong_type" };
        }
        const items = [...(current?.items ?? []), command.element];
        this.values.set(command.key, { value: { type: "list", items }, version });
        return { kind: "count", count: items.length };
      }
      default:
        return { kind: "ok" };
    }
  }
}
