/**
 * A hand-driven cluster of replicas for datadriven scripts (after etcd-io/raft's
 * InteractionEnv): nothing happens unless a command says so, and every message and reply is
 * printed, so a script reads like a protocol trace.
 */
import type { ClientReply, ReadConcern, WriteConcern } from "../../../src/core/concern/index.js";
import { majorityCommit } from "../../../src/core/policy/index.js";
import { seededRandom } from "../../../src/core/random.js";
import {
  type Batch,
  type HardState,
  type LogRecord,
  type Message,
  type Mutation,
  processReady,
  Replica,
  type ReplicaConfig,
  type Snapshot,
  writeReady,
} from "../../../src/core/replica/index.js";
import { type KvCommand, KvStateMachine, type Value } from "../../../src/core/state/index.js";
import { epoch, type NodeId, nodeId, shardId } from "../../../src/core/types.js";
import { MemoryStorage } from "../../../src/storage/memory_storage.js";
import { unreachable } from "../../../src/util/assert.js";
import type { TestCase } from "../../support/datadriven.js";

interface EnvNode {
  id: NodeId;
  replica: Replica | undefined;
  storage: MemoryStorage<Batch, HardState, Snapshot>;
}

const shard = shardId(0);

export class InteractionEnv {
  private nodes: EnvNode[] = [];
  private config!: ReplicaConfig;
  private queue: Message[] = [];
  private output: string[] = [];
  /** Node id -> partition group; messages between different groups are dropped. */
  private groups = new Map<NodeId, number>();
  private nextRequestId = 1;
  private nowMs = 1000;

  handle(testCase: TestCase): string {
    this.output = [];
    const { command, args, options } = testCase;
    switch (command) {
      case "add-nodes":
        this.addNodes(Number(args[0]), options);
        break;
      case "campaign":
        this.replica(args[0]).campaign();
        this.processAll();
        break;
      case "tick":
        for (const node of this.selectNodes(args[0])) {
          for (let count = 0; count < Number(options.get("n") ?? 1); count++) node.replica?.tick();
        }
        this.nowMs += 10 * Number(options.get("n") ?? 1);
        this.processAll();
        break;
      case "stabilize":
        this.stabilize();
        break;
      case "deliver":
        this.deliverOnce();
        break;
      case "propose":
        this.propose(testCase);
        break;
      case "read":
        this.read(testCase);
        break;
      case "partition":
        this.partition(args);
        break;
      case "heal":
        this.groups.clear();
        this.print("healed");
        break;
      case "crash":
        this.crash(this.node(args[0]));
        break;
      case "restart":
        this.restart(this.node(args[0]));
        break;
      case "status":
        for (const node of this.nodes) this.print(this.describe(node));
        break;
      case "log":
        this.printLog(this.replica(args[0]));
        break;
      default:
        throw new Error(`unknown command ${command}`);
    }
    return this.output.join("\n");
  }

  private addNodes(count: number, options: Map<string, string>): void {
    const mutations = options.get("mutations");
    this.config = {
      electionTimeoutTicks: Number(options.get("election") ?? 10),
      heartbeatTicks: Number(options.get("heartbeat") ?? 2),
      fetchWaitTicksMax: Number(options.get("fetch-wait") ?? 5),
      fetchRecordsMax: Number(options.get("records") ?? 100),
      fetchBytesMax: Number(options.get("fetch-bytes") ?? Number.POSITIVE_INFINITY),
      snapshotChunkBytesMax: Number(options.get("fetch-bytes") ?? Number.POSITIVE_INFINITY),
      preVote: options.get("prevote") !== "false",
      checkQuorum: options.get("check-quorum") !== "false",
      commitPolicy: majorityCommit,
      syncEveryWrite: options.get("fsync") !== "none",
      tickMs: 10,
      pendingWritesMax: 100,
      parkedReadsMax: 100,
      snapshotHistoryRecords: Number(options.get("history") ?? 1000),
      compactionRecords: Number(options.get("compaction") ?? Number.POSITIVE_INFINITY),
      compactionRetainRecords: Number(options.get("retain") ?? 0),
      ...(mutations === undefined
        ? {}
        : { mutations: new Set(mutations.split(",") as Mutation[]) }),
    };
    for (let index = 1; index <= count; index++) {
      this.nodes.push({ id: nodeId(index), replica: undefined, storage: new MemoryStorage() });
    }
    for (const node of this.nodes) this.start(node);
    this.print(`${count} nodes`);
  }

  private start(node: EnvNode): void {
    const { hardState, snapshot, batches } = node.storage.load();
    node.replica = new Replica({
      ...(snapshot === undefined ? {} : { snapshot }),
      id: node.id,
      shard,
      members: this.nodes.map((member) => member.id),
      config: this.config,
      random: seededRandom(node.id),
      hardState: hardState ?? { epoch: epoch(0), vote: null },
      batches,
      stateMachine: new KvStateMachine(),
    });
  }

  private crash(node: EnvNode): void {
    node.replica = undefined;
    node.storage.crash();
    this.queue = this.queue.filter((message) => message.to !== node.id);
    this.print(`${node.id} crashed`);
  }

  private restart(node: EnvNode): void {
    this.start(node);
    this.print(this.describe(node));
  }

  private propose(testCase: TestCase): void {
    const [target, verb, key, ...rest] = testCase.args;
    const command = parseCommand(verb as string, key as string, rest);
    const w = testCase.options.get("w") ?? "majority";
    const concern: WriteConcern = { w: w === "majority" || w === "all" ? w : Number(w) };
    if (testCase.options.has("j")) concern.j = true;
    const timeout = testCase.options.get("timeout");
    if (timeout !== undefined) concern.timeoutMs = Number(timeout);
    const id = this.nextRequestId++;
    this.replica(target).propose({ id, command, concern, nowMs: this.nowMs });
    this.processAll();
  }

  private read(testCase: TestCase): void {
    const [target, key] = testCase.args;
    const { options } = testCase;
    const concern: ReadConcern = {
      level: (options.get("level") ?? "local") as ReadConcern["level"],
    };
    const preference = options.get("pref");
    if (preference !== undefined)
      concern.readPreference = preference as ReadConcern["readPreference"];
    for (const [name, field] of [
      ["at", "atOffset"],
      ["after", "afterOffset"],
      ["stale", "maxStalenessMs"],
      ["timeout", "timeoutMs"],
    ] as const) {
      const value = options.get(name);
      if (value !== undefined) Object.assign(concern, { [field]: Number(value) });
    }
    const id = this.nextRequestId++;
    this.replica(target).read({
      id,
      query: { kind: "get", key: key as string },
      concern,
      nowMs: this.nowMs,
    });
    this.processAll();
  }

  private partition(args: string[]): void {
    this.groups.clear();
    let group = 0;
    for (const word of args) {
      if (word === "|") group++;
      else this.groups.set(nodeId(Number(word)), group);
    }
    this.print(`partitioned ${args.join(" ")}`);
  }

  private stabilize(): void {
    for (let rounds = 0; rounds < 1000; rounds++) {
      this.processAll();
      if (this.queue.length === 0) return;
      this.deliverOnce();
    }
    throw new Error("stabilize did not settle in 1000 rounds");
  }

  private deliverOnce(): void {
    const messages = this.queue;
    this.queue = [];
    for (const message of messages) {
      const target = this.nodes.find((node) => node.id === message.to);
      const cut = (this.groups.get(message.from) ?? 0) !== (this.groups.get(message.to) ?? 0);
      if (cut || target?.replica === undefined) {
        this.print(`${formatMessage(message)} DROPPED`);
        continue;
      }
      this.print(formatMessage(message));
      target.replica.step(message);
    }
    this.processAll();
  }

  private processAll(): void {
    for (const node of this.nodes) {
      const replica = node.replica;
      if (replica === undefined) continue;
      // Advancing may produce more work (a sync lets the leader commit, a follower fetch).
      while (
        processReady([replica], {
          write: (_, ready) => writeReady(node.storage, ready),
          sync: () => node.storage.sync(),
          send: (messages) => this.queue.push(...messages),
          deliver: (_, replies) => {
            for (const reply of replies) this.print(`${node.id} reply ${formatReply(reply)}`);
          },
        })
      ) {
        // keep going
      }
    }
  }

  private describe(node: EnvNode): string {
    if (node.replica === undefined) return `${node.id}: down`;
    const s = node.replica.status();
    const leader = s.leader === undefined ? "-" : String(s.leader);
    const start = node.replica.log.startOffset > 0 ? ` start=${node.replica.log.startOffset}` : "";
    return `${s.id}: ${s.role} epoch=${s.epoch} vote=${s.vote ?? "-"} leader=${leader}${start} leo=${s.leo} commit=${s.commit} durable=${s.durableOffset}`;
  }

  private printLog(replica: Replica): void {
    const { startOffset, startEpoch } = replica.log;
    if (startOffset > 0) this.print(`snapshot below ${startOffset} (last epoch ${startEpoch})`);
    for (const batch of replica.log.read(startOffset, Number.POSITIVE_INFINITY)) {
      batch.records.forEach((record, index) => {
        this.print(`${batch.baseOffset + index} e${batch.epoch} ${formatRecord(record)}`);
      });
    }
    if (replica.log.leo === startOffset) this.print("empty");
  }

  private selectNodes(which: string | undefined): EnvNode[] {
    return which === "all" ? this.nodes : [this.node(which)];
  }

  private node(which: string | undefined): EnvNode {
    const node = this.nodes.find((candidate) => candidate.id === Number(which));
    if (node === undefined) throw new Error(`no node ${which}`);
    return node;
  }

  private replica(which: string | undefined): Replica {
    const replica = this.node(which).replica;
    if (replica === undefined) throw new Error(`node ${which} is down`);
    return replica;
  }

  private print(line: string): void {
    this.output.push(line);
  }
}

function parseCommand(verb: string, key: string, rest: string[]): KvCommand {
  switch (verb) {
    case "set":
      return { kind: "set", key, value: rest[0] ?? "" };
    case "set-nx":
      return { kind: "set", key, value: rest[0] ?? "", condition: "nx" };
    case "del":
      return { kind: "del", keys: [key, ...rest] };
    case "incr":
      return { kind: "incr", key, by: BigInt(rest[0] ?? "1") };
    case "append":
      return { kind: "append", key, value: rest[0] ?? "" };
    case "cas":
      return {
        kind: "cas",
        key,
        expected: rest[0] === "nil" ? null : (rest[0] ?? null),
        value: rest[1] ?? "",
      };
    case "list-append":
      return { kind: "listAppend", key, element: rest[0] ?? "" };
    default:
      throw new Error(`unknown write ${verb}`);
  }
}

function formatRecord(record: LogRecord): string {
  if (record.kind === "noop") return "noop";
  const command = record.command;
  switch (command.kind) {
    case "set":
      return `set ${command.key}=${command.value}${command.condition === undefined ? "" : ` ${command.condition}`}`;
    case "del":
      return `del ${command.keys.join(" ")}`;
    case "incr":
      return `incr ${command.key} ${command.by}`;
    case "append":
      return `append ${command.key} ${command.value}`;
    case "cas":
      return `cas ${command.key} ${command.expected ?? "nil"}->${command.value}`;
    case "listAppend":
      return `list-append ${command.key} ${command.element}`;
    default:
      // The replica scripts propose only the commands above.
      return command.kind;
  }
}

function formatBatches(batches: readonly Batch[]): string {
  const records = batches.flatMap((batch) =>
    batch.records.map(
      (record, index) => `${batch.baseOffset + index}:e${batch.epoch} ${formatRecord(record)}`,
    ),
  );
  return `[${records.join(", ")}]`;
}

export function formatMessage(message: Message): string {
  const head = `${message.from}->${message.to} e${message.epoch}`;
  const body = message.body;
  switch (body.kind) {
    case "fetch":
      return `${head} fetch #${body.fetchId} off=${body.fetchOffset} last=e${body.lastFetchedEpoch} durable=${body.durableOffset} commit=${body.commit} round=${body.ackedRound}${body.snapshot === undefined ? "" : ` snapshot@${body.snapshot.offset} e${body.snapshot.epoch} from ${body.snapshot.position}${body.snapshot.element === 0 ? "" : `.${body.snapshot.element}`}`}`;
    case "fetch_response": {
      const { diverging, snapshotChunk: chunk } = body;
      const what =
        diverging !== undefined
          ? `diverging e${diverging.epoch}@${diverging.endOffset}`
          : chunk !== undefined
            ? `snapshot@${chunk.offset} e${chunk.epoch} keys ${chunk.position}${chunk.element === 0 ? "" : `.${chunk.element}`}+${chunk.entries.length}${chunk.continues ? " continues" : ""}${chunk.done ? " done" : ""}`
            : formatBatches(body.batches);
      return `${head} fetch_response #${body.fetchId} off=${body.fetchOffset} commit=${body.commit} leo=${body.leaderLeo} round=${body.round} ${what}`;
    }
    case "fenced":
      return `${head} fenced leader=${body.leader ?? "-"}`;
    case "begin_epoch":
      return `${head} begin_epoch`;
    case "vote_request":
      return `${head} vote_request${body.preVote ? " pre" : ""} last=e${body.lastEpoch}@${body.lastOffset}`;
    case "vote_response":
      return `${head} vote_response${body.preVote ? " pre" : ""} ${body.granted ? "granted" : "rejected"}`;
  }
}

function formatValue(value: Value | null): string {
  if (value === null) return "nil";
  switch (value.type) {
    case "string":
      return value.data;
    case "hash":
      return `{${value.fields.map((pair) => pair.join("=")).join(" ")}}`;
    case "list":
      return `[${value.items.join(" ")}]`;
    case "set":
      return `set(${value.members.join(" ")})`;
    case "zset":
      return `zset(${value.entries.map((entry) => entry.join("=")).join(" ")})`;
    default:
      return unreachable(value);
  }
}

function formatReply(reply: ClientReply): string {
  const head = `${reply.kind}#${reply.id} ${reply.outcome.kind}`;
  const outcome = reply.outcome;
  switch (outcome.kind) {
    case "rejected": {
      const leader = outcome.leader === undefined ? "" : ` leader=${outcome.leader}`;
      const detail = outcome.detail === undefined ? "" : ` (${outcome.detail})`;
      return `${head} ${outcome.reason}${leader}${detail}`;
    }
    case "unknown":
      return `${head} offset=${outcome.offset}`;
    case "timeout":
      return "offset" in outcome ? `${head} offset=${outcome.offset}` : head;
    case "ok":
      if ("result" in outcome && outcome.result.kind === "value") {
        const { value, version } = outcome.result;
        return `${head} offset=${outcome.offset} value=${formatValue(value)} version=${version ?? "-"}`;
      }
      return `${head} offset=${outcome.offset} ${formatResult(outcome.result)}`;
  }
}

function formatResult(result: object): string {
  return JSON.stringify(result, (_, value) => (typeof value === "bigint" ? String(value) : value));
}
