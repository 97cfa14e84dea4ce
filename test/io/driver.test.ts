/**
 * The real-time driver: three in-process nodes, each a Driver over MemoryStorage, wired by a
 * loopback "transport" that delivers on the next turn. Checks election and majority writes in
 * real time, group commit within one turn, WAIT counts, bounded catch-up ticks, and stop; and,
 * with a recording replica on a fake clock, that a pass feeds its inputs before its ticks.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { seededRandom } from "../../src/core/random.js";
import type { Batch, HardState, Message, Snapshot } from "../../src/core/replica/index.js";
import { Replica } from "../../src/core/replica/index.js";
import { type KvCommand, KvStateMachine } from "../../src/core/state/index.js";
import { epoch, nodeId, offset, shardId } from "../../src/core/types.js";
import { Driver, TickClock } from "../../src/io/driver/index.js";
import { recordBytesMax } from "../../src/io/storage/index.js";
import { configDefaults } from "../../src/server/config.js";
import { replicaConfig } from "../../src/server/shard_host.js";
import { MemoryStorage } from "../../src/storage/memory_storage.js";

const members = [nodeId(1), nodeId(2), nodeId(3)];
const shard = shardId(0);
const config = replicaConfig({
  ...configDefaults,
  nodeId: 1,
  clusterSecret: "",
  dataDir: "",
  preset: "raft",
  fsync: { kind: "group" },
  electionTimeoutMs: 100,
  heartbeatMs: 10,
  fetchWaitMs: 30,
  nodes: [],
  logFile: undefined,
});

function startCluster() {
  const drivers = new Map<number, Driver>();
  const storages = new Map<number, MemoryStorage<Batch, HardState, Snapshot>>();
  for (const id of members) {
    const storage = new MemoryStorage<Batch, HardState, Snapshot>();
    const replica = new Replica({
      id,
      shard,
      members,
      config,
      random: seededRandom(id * 7919),
      hardState: { epoch: epoch(0), vote: null },
      batches: [],
      stateMachine: new KvStateMachine(),
    });
    const driver = new Driver([{ replica, storage }], {
      tickMs: config.tickMs,
      catchUpTicksMax: 20,
      send: (messages: readonly Message[]) =>
        setImmediate(() => {
          for (const message of messages) drivers.get(message.to)?.step(message);
        }),
    });
    drivers.set(id, driver);
    storages.set(id, storage);
  }
  for (const driver of drivers.values()) driver.start();
  return { drivers, storages };
}

async function leaderOf(drivers: Map<number, Driver>): Promise<Driver> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    for (const driver of drivers.values()) {
      if (driver.replica(shard)?.role === "leader") return driver;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("no leader within 5 s");
}

describe("Driver", () => {
  const { drivers, storages } = startCluster();
  after(async () => {
    for (const driver of drivers.values()) await driver.stop(0);
  });

  /** A w:all write on whoever leads, retried while leadership moves. */
  async function writeOnLeader(command: KvCommand) {
    for (let attempt = 1; ; attempt++) {
      const leader = await leaderOf(drivers);
      const outcome = await leader.write(shard, command, { w: "all" });
      if (outcome.kind === "ok" || attempt === 50) return { leader, outcome };
    }
  }

  it("elects a leader in real time and commits majority writes", async () => {
    const leader = await leaderOf(drivers);
    const outcome = await leader.write(
      shard,
      { kind: "set", key: "k", value: "v" },
      { w: "majority" },
    );
    assert.equal(outcome.kind, "ok", JSON.stringify(outcome));
    const read = await leader.read(shard, { kind: "get", key: "k" }, { level: "linearizable" });
    assert.ok(read.kind === "ok", JSON.stringify(read));
    assert.ok(read.result.kind === "value", JSON.stringify(read.result));
    assert.deepEqual(read.result.value, { type: "string", data: "v" });
  });

  it("answers not_leader with the leader's id on a follower", async () => {
    const leader = await leaderOf(drivers);
    const leaderId = leader.replica(shard)?.id;
    const follower = [...drivers.values()].find((driver) => driver !== leader)!;
    const outcome = await follower.write(shard, { kind: "set", key: "k", value: "w" }, { w: 1 });
    assert.deepEqual(outcome, { kind: "rejected", reason: "not_leader", leader: leaderId });
  });

  it("syncs once for all the writes that arrive in one turn (group commit)", async () => {
    const leader = await leaderOf(drivers);
    const id = leader.replica(shard)!.id;
    const storage = storages.get(id)!;
    // Let the cluster go quiet, so that only our writes cause syncs.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = storage.syncCount;
    const writes = Array.from({ length: 20 }, (_, index) =>
      leader.write(shard, { kind: "set", key: `g${index}`, value: "x" }, { w: 1 }),
    );
    const outcomes = await Promise.all(writes);
    assert.ok(
      outcomes.every((outcome) => outcome.kind === "ok"),
      JSON.stringify(outcomes),
    );
    const syncs = storage.syncCount - before;
    assert.ok(syncs >= 1 && syncs <= 3, `20 writes in one turn took ${syncs} syncs`);
  });

  it("proposes the writes of one turn as one batch, each with its own offset", async () => {
    const leader = await leaderOf(drivers);
    const storage = storages.get(leader.replica(shard)!.id)!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const writes = Array.from({ length: 10 }, (_, index) =>
      leader.write(shard, { kind: "set", key: `b${index}`, value: "x" }, { w: 1 }),
    );
    const outcomes = await Promise.all(writes);
    const offsets = outcomes.map((outcome) => (outcome.kind === "ok" ? outcome.offset : -1));
    const first = offsets[0] as number;
    assert.deepEqual(
      offsets,
      offsets.map((_, index) => first + index),
    );
    const batch = storage.load().batches.find((candidate) => candidate.baseOffset === first - 1);
    assert.equal(batch?.records.length, 10);
  });

  it("cuts a turn's writes into batches that fit a frame", async () => {
    const leader = await leaderOf(drivers);
    const storage = storages.get(leader.replica(shard)!.id)!;
    const value = "v".repeat(3 * 1024 * 1024);
    const writes = Array.from({ length: 3 }, (_, index) =>
      leader.write(shard, { kind: "set", key: `big${index}`, value }, { w: 1 }),
    );
    const outcomes = await Promise.all(writes);
    const ends = outcomes.map((outcome) => (outcome.kind === "ok" ? outcome.offset : -1));
    const sizes = storage
      .load()
      .batches.filter((batch) => ends.includes(offset(batch.baseOffset + batch.records.length)))
      .map((batch) => batch.records.length);
    // 3 MiB + 3 MiB fit the 8 MiB a batch may hold; a third would not.
    assert.deepEqual(sizes, [2, 1]);
    // Let the followers catch up before the next test counts on a steady leader.
    const caughtUp = await writeOnLeader({ kind: "del", keys: ["big0"] });
    assert.equal(caughtUp.outcome.kind, "ok", JSON.stringify(caughtUp.outcome));
  });

  it("answers a read that needs no waiting in the caller's turn, and no other", async () => {
    const leader = await leaderOf(drivers);
    await leader.write(shard, { kind: "set", key: "now", value: "1" }, { w: "majority" });
    const local = leader.readNow(shard, { kind: "get", key: "now" }, { level: "local" });
    assert.ok(local?.kind === "ok" && local.result.kind === "value", JSON.stringify(local));
    assert.deepEqual(local.result.value, { type: "string", data: "1" });
    const majority = leader.readNow(shard, { kind: "get", key: "now" }, { level: "majority" });
    assert.equal(majority?.kind, "ok");
    // A linearizable read needs a round with the followers; one after an unreached offset waits.
    assert.equal(
      leader.readNow(shard, { kind: "get", key: "now" }, { level: "linearizable" }),
      undefined,
    );
    const later = { level: "local", afterOffset: offset(1_000_000) } as const;
    assert.equal(leader.readNow(shard, { kind: "get", key: "now" }, later), undefined);
    const follower = [...drivers.values()].find((driver) => driver !== leader)!;
    assert.deepEqual(follower.readNow(shard, { kind: "get", key: "now" }, { level: "local" }), {
      kind: "rejected",
      reason: "not_leader",
      leader: leader.replica(shard)!.id,
    });
  });

  it("counts replicas holding an offset for WAIT, and times out with the count reached", async () => {
    const leader = await leaderOf(drivers);
    const written = await leader.write(shard, { kind: "set", key: "w", value: "1" }, { w: "all" });
    assert.equal(written.kind, "ok");
    const end = written.kind === "ok" ? written.offset : offset(0);
    assert.equal(await leader.waitReplicas(shard, end, 3, 1000), 3);
    assert.equal(await leader.waitReplicas(shard, offset(end + 1000), 2, 50), 0);
    const follower = [...drivers.values()].find((driver) => driver !== leader)!;
    assert.equal(await follower.waitReplicas(shard, end, 1, 10), 0);
  });

  it("refuses a write too large for a record and keeps taking writes", async () => {
    const leader = await leaderOf(drivers);
    const value = "\xff".repeat(20 * 1024 * 1024);
    const refused = await leader.write(shard, { kind: "set", key: "big", value }, { w: 1 });
    assert.deepEqual(refused, {
      kind: "rejected",
      reason: "too_large",
      detail: `value too large: a record holds at most ${recordBytesMax} bytes`,
    });
    // Checking 20 MB blocks this one event loop that all three drivers share for longer than
    // the election timeout, so leadership may move: write to whoever leads afterwards.
    const written = await writeOnLeader({ kind: "set", key: "big", value: "small" });
    assert.equal(written.outcome.kind, "ok", JSON.stringify(written.outcome));
    const read = await written.leader.read(
      shard,
      { kind: "get", key: "big" },
      { level: "linearizable" },
    );
    assert.ok(read.kind === "ok" && read.result.kind === "value", JSON.stringify(read));
    assert.deepEqual(read.result.value, { type: "string", data: "small" });
  });

  it("stop answers writes in flight as unknown and refuses new ones", async () => {
    const leader = await leaderOf(drivers);
    // A write whose concern cannot be met while the followers stop listening.
    for (const driver of drivers.values()) if (driver !== leader) await driver.stop(0);
    const pending = leader.write(shard, { kind: "set", key: "s", value: "1" }, { w: "all" });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await leader.stop(50);
    const outcome = await pending;
    assert.equal(outcome.kind, "unknown", JSON.stringify(outcome));
    const refused = await leader.write(shard, { kind: "set", key: "s", value: "2" }, { w: 1 });
    assert.deepEqual(refused, {
      kind: "rejected",
      reason: "overloaded",
      detail: "the node is stopping",
    });
  });
});

describe("TickClock", () => {
  it("counts whole ticks and bounds catch-up after a stall", () => {
    const clock = new TickClock(10, 5, 1000);
    assert.equal(clock.due(1005), 0);
    assert.equal(clock.due(1025), 2);
    assert.equal(clock.due(1030), 1);
    assert.equal(clock.due(5000), 5);
    assert.equal(clock.droppedTicks, 392);
    assert.equal(clock.due(5009), 0);
    assert.equal(clock.due(5010), 1);
  });
});

describe("Driver pass order", () => {
  /** A replica that records, in order, the messages it is stepped with and its ticks. */
  class RecordingReplica extends Replica {
    readonly calls: string[] = [];
    override step(message: Message): void {
      this.calls.push(`step ${message.body.kind}`);
      super.step(message);
    }
    override tick(): void {
      this.calls.push("tick");
      super.tick();
    }
  }

  it("feeds what arrived during a stall before the ticks that stand for the stall", async () => {
    let nowMs = 0;
    const replica = new RecordingReplica({
      id: nodeId(1),
      shard,
      members,
      config,
      random: seededRandom(1),
      hardState: { epoch: epoch(0), vote: null },
      batches: [],
      stateMachine: new KvStateMachine(),
    });
    const driver = new Driver([{ replica, storage: new MemoryStorage() }], {
      tickMs: config.tickMs,
      catchUpTicksMax: 20,
      monotonicMs: () => nowMs,
      send: () => {},
    });
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    driver.start();
    await turn();
    replica.calls.length = 0;
    // Three ticks' time passes with nothing run, and a leader's message waits meanwhile.
    nowMs += 3 * config.tickMs;
    driver.step({
      shard,
      from: nodeId(2),
      to: nodeId(1),
      epoch: epoch(1),
      body: { kind: "begin_epoch" },
    });
    await turn();
    await driver.stop(0);
    assert.deepEqual(replica.calls, ["step begin_epoch", "tick", "tick", "tick"]);
  });
});
