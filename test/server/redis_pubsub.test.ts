/**
 * Pub/sub against real servers:
 * - byte for byte as redis-server: scripted sessions of a subscriber and a publisher, in RESP2
 *   and RESP3 (confirmations, messages, pattern messages, shard channels, PING and the commands
 *   RESP2 refuses while subscribed, UNSUBSCRIBE without names, RESET, PUBSUB, SUBSCRIBE inside
 *   MULTI);
 * - through real clients on a 3-node `raft` cluster: subscribers on the leader and on followers
 *   hear every message published on the leader, in order, as a Redis replica's subscribers hear
 *   its master's; PUBLISH on a follower reaches that node only; subscribers on the survivors
 *   keep hearing the new leader's messages after the leader is killed;
 * - a subscriber that stops reading is disconnected past the pub/sub output limit, and the node
 *   serves on.
 */
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { BesideRedis } from "./support/beside_redis.js";
import { LocalNodes } from "./support/local_nodes.js";

/** A connection that keeps every byte received, for transcripts. */
class Wire {
  text = "";
  private readonly socket: Socket;
  private lastDataAt = Date.now();

  constructor(port: number) {
    this.socket = connect({ host: "127.0.0.1", port });
    this.socket.on("data", (chunk: Buffer) => {
      this.text += chunk.toString("latin1");
      this.lastDataAt = Date.now();
    });
  }

  send(args: readonly string[]): void {
    const frame = args.map((arg) => `$${Buffer.byteLength(arg, "latin1")}\r\n${arg}\r\n`);
    this.socket.write(Buffer.from(`*${args.length}\r\n${frame.join("")}`, "latin1"));
    this.lastDataAt = Date.now();
  }

  /** Resolves once nothing has arrived for `quietMs`. */
  async settle(quietMs = 40): Promise<void> {
    while (Date.now() - this.lastDataAt < quietMs) {
      await new Promise((resolve) => setTimeout(resolve, quietMs / 4));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

type Step = readonly ["sub" | "pub", ...string[]];

/** Runs `steps` on a fresh subscriber and publisher; answers both connections' transcripts. */
async function transcript(port: number, protocol: 2 | 3, steps: readonly Step[]) {
  const sub = new Wire(port);
  const pub = new Wire(port);
  try {
    if (protocol === 3) sub.send(["HELLO", "3"]);
    await sub.settle();
    sub.text = "";
    for (const [who, ...args] of steps) {
      (who === "sub" ? sub : pub).send(args);
      await Promise.all([sub.settle(), pub.settle()]);
    }
    return { subscriber: sub.text, publisher: pub.text };
  } finally {
    sub.close();
    pub.close();
  }
}

const sessions: Record<string, readonly Step[]> = {
  "subscribe, publish, unsubscribe": [
    ["sub", "SUBSCRIBE", "a", "b", "a"],
    ["sub", "PSUBSCRIBE", "h*llo", "c?"],
    ["sub", "PING"],
    ["sub", "PING", "x"],
    ["sub", "GET", "k"],
    ["sub", "ECHO", "hi"],
    ["sub", "SET", "k", "v"],
    ["pub", "PUBLISH", "a", "m1"],
    ["pub", "PUBLISH", "hello", "m2"],
    ["pub", "PUBLISH", "b", ""],
    ["pub", "PUBLISH", "cd", "\xff\r\n"],
    ["pub", "PUBLISH", "nobody", "m3"],
    ["pub", "PUBSUB", "NUMSUB", "a", "b", "zz"],
    ["pub", "PUBSUB", "NUMPAT"],
    ["pub", "PUBSUB", "CHANNELS", "a*"],
    ["sub", "UNSUBSCRIBE", "a", "never"],
    ["sub", "UNSUBSCRIBE"],
    ["sub", "UNSUBSCRIBE"],
    ["pub", "PUBLISH", "b", "after"],
    ["sub", "PUNSUBSCRIBE", "c?"],
    ["sub", "PUNSUBSCRIBE"],
    ["sub", "PUNSUBSCRIBE"],
    ["sub", "PING"],
    ["sub", "GET", "k"],
    ["pub", "PUBSUB", "CHANNELS"],
    ["pub", "PUBSUB", "NUMPAT"],
  ],
  "shard channels": [
    ["sub", "SSUBSCRIBE", "a", "b"],
    ["sub", "SUBSCRIBE", "c"],
    ["sub", "PING"],
    ["sub", "GET", "k"],
    ["pub", "SPUBLISH", "a", "hi"],
    ["pub", "PUBLISH", "a", "not to shard subscribers"],
    ["pub", "SPUBLISH", "c", "not to channel subscribers"],
    ["pub", "PUBSUB", "SHARDCHANNELS", "a*"],
    ["pub", "PUBSUB", "SHARDNUMSUB", "a", "c"],
    ["sub", "SUNSUBSCRIBE", "a"],
    ["sub", "SUNSUBSCRIBE"],
    ["sub", "SUNSUBSCRIBE"],
    ["sub", "PING"],
    ["sub", "UNSUBSCRIBE"],
    ["pub", "SPUBLISH", "x"],
    ["pub", "SSUBSCRIBE"],
  ],
  "RESET ends every subscription": [
    ["sub", "SUBSCRIBE", "a"],
    ["sub", "PSUBSCRIBE", "*"],
    ["sub", "RESET"],
    ["pub", "PUBLISH", "a", "gone"],
    ["sub", "PING"],
    ["pub", "PUBSUB", "NUMSUB", "a"],
  ],
  "SUBSCRIBE inside MULTI": [
    ["sub", "MULTI"],
    ["sub", "SUBSCRIBE", "x", "y"],
    ["sub", "PING"],
    ["sub", "EXEC"],
    ["pub", "PUBLISH", "y", "1"],
    ["pub", "MULTI"],
    ["pub", "PUBLISH", "x", "in a transaction"],
    ["pub", "SET", "k", "v"],
    ["pub", "PUBLISH", "nobody", "2"],
    ["pub", "EXEC"],
  ],
  errors: [
    ["pub", "SUBSCRIBE"],
    ["pub", "PSUBSCRIBE"],
    ["pub", "PUBLISH", "a"],
    ["pub", "PUBSUB"],
    ["pub", "PUBSUB", "FOO"],
    ["pub", "PUBSUB", "CHANNELS", "a", "b"],
    ["pub", "PUBSUB", "NUMPAT", "x"],
    ["pub", "PUBSUB", "SHARDCHANNELS"],
    ["pub", "PUBSUB", "SHARDNUMSUB", "a"],
    ["pub", "UNSUBSCRIBE"],
    ["pub", "PUNSUBSCRIBE", "p"],
    ["pub", "publish", "a", "lower case"],
  ],
};

describe("pub/sub answers as redis-server does", () => {
  let servers: BesideRedis;

  before(async () => {
    servers = await BesideRedis.start("pubsub");
  });

  after(async () => {
    await servers?.stop();
  });

  for (const [name, steps] of Object.entries(sessions)) {
    for (const protocol of [2, 3] as const) {
      it(`${name}, RESP${protocol}`, async () => {
        const [redis, onelog] = await Promise.all([
          transcript(servers.redisPort, protocol, steps),
          transcript(servers.onelogPort, protocol, steps),
        ]);
        assert.ok(redis.subscriber.length + redis.publisher.length > 0);
        assert.deepEqual(onelog, redis);
      });
    }
  }
});

/** Resolves with the messages `expected` many have arrived, in arrival order. */
function collector(expected: number) {
  const received: string[] = [];
  let done: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  const take = (text: string) => {
    received.push(text);
    if (received.length === expected) done();
  };
  return { received, take, all };
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe("pub/sub on a 3-node raft cluster, through real clients", () => {
  let cluster: LocalNodes;
  let leader: number;
  let followers: number[];

  before(async () => {
    cluster = await LocalNodes.create(3, "raft", { electionTimeoutMs: 1500 });
    cluster.startAll();
    leader = await cluster.waitForLeader();
    followers = cluster.nodes.map((node) => node.id).filter((id) => id !== leader);
  });
  after(async () => cluster.destroy());

  it("delivers every message published on the leader to subscribers on every node, in order", async () => {
    const count = 200;
    const port = (id: number) => cluster.node(id).respPort;
    const [first, second] = followers as [number, number];
    const resp2 = new Redis({ port: port(first), protocol: 2, lazyConnect: true });
    const resp3 = new Redis({ port: port(second), lazyConnect: true });
    const nodeRedis = createClient({ socket: { port: port(leader), host: "127.0.0.1" }, RESP: 3 });
    const publisher = new Redis({ port: port(leader), lazyConnect: true });
    await Promise.all([resp2.connect(), resp3.connect(), nodeRedis.connect(), publisher.connect()]);
    try {
      const onFollower = collector(count);
      const byPattern = collector(count);
      const onLeader = collector(count);
      resp2.on("message", (channel: string, text: string) => onFollower.take(`${channel}:${text}`));
      resp3.on("pmessage", (pattern: string, channel: string, text: string) =>
        byPattern.take(`${pattern}:${channel}:${text}`),
      );
      await resp2.subscribe("orders");
      await resp3.psubscribe("ord*");
      await nodeRedis.subscribe("orders", (text, channel) => onLeader.take(`${channel}:${text}`));

      const answers: number[] = [];
      for (let index = 0; index < count; index++) {
        answers.push(await publisher.publish("orders", `m${index}`));
      }
      assert.deepEqual(new Set(answers), new Set([1]), "PUBLISH counts the leader's subscribers");
      await within(
        Promise.all([onFollower.all, byPattern.all, onLeader.all]),
        10_000,
        "every message on every node",
      );
      const sent = Array.from({ length: count }, (_, index) => `m${index}`);
      assert.deepEqual(
        onFollower.received,
        sent.map((text) => `orders:${text}`),
      );
      assert.deepEqual(
        byPattern.received,
        sent.map((text) => `ord*:orders:${text}`),
      );
      assert.deepEqual(
        onLeader.received,
        sent.map((text) => `orders:${text}`),
      );
      assert.deepEqual(await publisher.pubsub("NUMSUB", "orders"), ["orders", 1]);
    } finally {
      resp2.disconnect();
      resp3.disconnect();
      await nodeRedis.close();
      publisher.disconnect();
    }
  });

  it("delivers SPUBLISH on the leader to a follower's shard subscriber only", async () => {
    const subscriber = new Redis({ port: cluster.node(followers[0] as number).respPort });
    const publisher = new Redis({ port: cluster.node(leader).respPort });
    try {
      const shard = collector(2);
      const plain: string[] = [];
      subscriber.on("smessage", (channel: string, text: string) =>
        shard.take(`${channel}:${text}`),
      );
      subscriber.on("message", (_: string, text: string) => plain.push(text));
      await subscriber.ssubscribe("sharded");
      await subscriber.subscribe("sharded");
      assert.equal(await publisher.call("SPUBLISH", "sharded", "one"), 0);
      assert.equal(await publisher.publish("sharded", "plain"), 0);
      assert.equal(await publisher.call("SPUBLISH", "sharded", "two"), 0);
      await within(shard.all, 5000, "the shard messages");
      assert.deepEqual(shard.received, ["sharded:one", "sharded:two"]);
      assert.deepEqual(plain, ["plain"]);
    } finally {
      subscriber.disconnect();
      publisher.disconnect();
    }
  });

  it("answers PUBLISH on a follower from that node's subscribers only", async () => {
    const [first, second] = followers as [number, number];
    const local = new Redis({ port: cluster.node(first).respPort, lazyConnect: true });
    const elsewhere = new Redis({ port: cluster.node(second).respPort, lazyConnect: true });
    const publisher = new Redis({ port: cluster.node(first).respPort, lazyConnect: true });
    await Promise.all([local.connect(), elsewhere.connect(), publisher.connect()]);
    try {
      const heard = collector(1);
      const strayed: string[] = [];
      local.on("message", (_: string, text: string) => heard.take(text));
      elsewhere.on("message", (_: string, text: string) => strayed.push(text));
      await local.subscribe("local");
      await elsewhere.subscribe("local");
      assert.equal(await publisher.publish("local", "here"), 1);
      await within(heard.all, 5000, "the follower's own subscriber");
      // A message from the leader after it shows that the other node's subscription is live.
      const leaderPublisher = new Redis({ port: cluster.node(leader).respPort });
      try {
        const after = collector(1);
        elsewhere.on("message", (_: string, text: string) => after.take(text));
        await leaderPublisher.publish("local", "from the leader");
        await within(after.all, 5000, "the leader's message");
      } finally {
        leaderPublisher.disconnect();
      }
      assert.deepEqual(strayed, ["from the leader"]);
    } finally {
      local.disconnect();
      elsewhere.disconnect();
      publisher.disconnect();
    }
  });

  it("keeps the survivors' subscribers hearing the new leader after the leader is killed", async () => {
    const survivor = followers[0] as number;
    const subscriber = new Redis({ port: cluster.node(survivor).respPort, lazyConnect: true });
    await subscriber.connect();
    try {
      const heard: string[] = [];
      subscriber.on("message", (_: string, text: string) => heard.push(text));
      await subscriber.subscribe("failover");
      await cluster.stop(leader, "SIGKILL");
      const newLeader = await cluster.anyLeader();
      const publisher = new Redis({ port: cluster.node(newLeader).respPort });
      try {
        // The new leader's own subscribers may be none; the survivor's still hears it.
        await publisher.publish("failover", "after");
        const deadline = Date.now() + 5000;
        while (!heard.includes("after") && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.deepEqual(heard, ["after"]);
      } finally {
        publisher.disconnect();
      }
    } finally {
      subscriber.disconnect();
      cluster.start(leader);
    }
  });
});

describe("a subscriber that stops reading", () => {
  let cluster: LocalNodes;

  before(async () => {
    cluster = await LocalNodes.create(1, "redis");
    cluster.startAll();
    await cluster.waitForLeader();
  });
  after(async () => cluster.destroy());

  it("is disconnected past 32 MiB of unread messages, and the node serves on", async () => {
    const port = cluster.node(1).respPort;
    const slow = connect({ host: "127.0.0.1", port });
    const closed = new Promise<void>((resolve) => slow.on("close", () => resolve()));
    slow.on("error", () => {});
    slow.write("*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nbulk\r\n");
    await new Promise((resolve) => slow.once("data", resolve));
    slow.pause();
    const publisher = new Redis({ port });
    try {
      const message = "x".repeat(1024 * 1024);
      let deliveries = 0;
      for (let sent = 0; sent < 64; sent++) deliveries += await publisher.publish("bulk", message);
      // Reading again, the client finds what the kernel held, then the server's reset.
      slow.resume();
      await within(closed, 10_000, "the slow subscriber's disconnection");
      assert.ok(deliveries > 0 && deliveries < 64, `${deliveries} deliveries of 64`);
      assert.equal(await publisher.ping(), "PONG");
      assert.deepEqual(await publisher.pubsub("NUMSUB", "bulk"), ["bulk", 0]);
    } finally {
      publisher.disconnect();
      slow.destroy();
    }
  });
});
