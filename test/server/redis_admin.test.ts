/**
 * The Redis control plane with real, unmodified clients (ioredis, node-redis, redis-cli) against
 * a real 3-node `redis`-preset cluster whose config sets `requirepass` and an fsync (so that
 * WAITAOF has an AOF to count, `appendonly yes`): AUTH and HELLO AUTH with
 * Redis's texts, CONFIG GET/SET/RESETSTAT, WAIT and WAITAOF (pipelined behind the writes they
 * wait for), CLIENT LIST/INFO/SETNAME/GETNAME/ID/KILL, INFO keyspace's expiry count, READONLY
 * on a follower, and NOREPLICAS from min-replicas-to-write while a follower is down.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { Redis, type RedisOptions } from "ioredis";
import { createClient } from "redis";
import { LocalNodes, redisCli, sleep } from "./support/local_nodes.js";
import { TestRespClient } from "./support/resp_client.js";

const password = "admin-test-pass";
const noReplicas = "NOREPLICAS Not enough good replicas to write.";
const noAuth = "NOAUTH Authentication required.";
const wrongPass = "WRONGPASS invalid username-password pair or user is disabled.";

/** The text of an error reply a rejected client call carries. */
async function errorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the call succeeded");
}

/** A field of an INFO section (`name:value` lines). */
function infoField(info: string, name: string): string | undefined {
  const line = info.split("\r\n").find((candidate) => candidate.startsWith(`${name}:`));
  return line?.slice(name.length + 1);
}

/** Calls `attempt` until it answers `wanted` (replication and failure detection take time). */
async function eventually<T>(attempt: () => Promise<T>, wanted: T, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await attempt();
    if (last === wanted) return;
    await sleep(50);
  }
  assert.equal(last, wanted);
}

describe("the Redis admin commands against a 3-node redis-preset cluster with requirepass", () => {
  let cluster: LocalNodes;
  let leaderPort: number;
  let followerId: number;
  let followerPort: number;
  const opened: Redis[] = [];

  /** An ioredis client that sends the password; closed after the suite. */
  async function connected(port: number, options: RedisOptions = {}): Promise<Redis> {
    const client = new Redis({ port, password, lazyConnect: true, ...options });
    opened.push(client);
    await client.connect();
    return client;
  }

  before(async () => {
    cluster = await LocalNodes.create(3, "redis", { requirepass: password, fsync: "group" });
    cluster.startAll();
    const leader = await cluster.waitForLeader();
    leaderPort = cluster.node(leader).respPort;
    const follower = cluster.nodes.find((node) => node.id !== leader) ?? cluster.node(1);
    followerId = follower.id;
    followerPort = follower.respPort;
  });
  // Each test closes its clients, so none keeps reconnecting to a follower a later test kills.
  afterEach(() => {
    for (const client of opened.splice(0)) client.disconnect();
  });
  after(async () => cluster.destroy());

  it("answers NOAUTH before AUTH, WRONGPASS for a wrong password, and accepts AUTH and HELLO AUTH", async () => {
    const raw = await TestRespClient.open(leaderPort);
    try {
      const noAuthReply = { kind: "error", message: noAuth };
      assert.deepEqual(await raw.call("GET", "k"), noAuthReply);
      assert.deepEqual(await raw.call("SET", "k", "v"), noAuthReply);
      assert.deepEqual(await raw.call("AUTH", "wrong"), { kind: "error", message: wrongPass });
      assert.deepEqual(await raw.call("AUTH", "default", "wrong"), {
        kind: "error",
        message: wrongPass,
      });
      const hello = await raw.call("HELLO", "3");
      assert.equal(hello.kind, "error");
      assert.match(
        (hello as { message: string }).message,
        /^NOAUTH HELLO must be called with the client already authenticated/,
      );
      assert.deepEqual(await raw.call("AUTH", password), { kind: "simple", value: "OK" });
      assert.deepEqual(await raw.call("SET", "auth:plain", "1"), { kind: "simple", value: "OK" });
    } finally {
      raw.close();
    }
    const viaHello = await TestRespClient.open(leaderPort);
    try {
      const hello = await viaHello.call("HELLO", "3", "AUTH", "default", password);
      assert.equal(hello.kind, "map");
      const entries = (hello as { entries: Array<[{ value: unknown }, unknown]> }).entries;
      const proto = entries.find(([name]) => String(name.value) === "proto")?.[1];
      assert.deepEqual(proto, { kind: "integer", value: 3 });
      assert.deepEqual(await viaHello.call("GET", "auth:plain"), {
        kind: "bulk",
        value: Buffer.from("1"),
      });
    } finally {
      viaHello.close();
    }
  });

  for (const protocol of [2, 3] as const) {
    it(`connects ioredis (RESP${protocol}) with the password and refuses a wrong one`, async () => {
      const client = await connected(leaderPort, { protocol });
      assert.equal(await client.set(`auth:io${protocol}`, "v"), "OK");
      assert.equal(await client.get(`auth:io${protocol}`), "v");
      const errors: Error[] = [];
      const wrong = new Redis({
        port: leaderPort,
        password: "not-it",
        protocol,
        lazyConnect: true,
        retryStrategy: () => null,
      });
      wrong.on("error", (error: Error) => errors.push(error));
      await assert.rejects(wrong.connect());
      wrong.disconnect();
      assert.ok(
        errors.some((error) => error.message === wrongPass),
        errors.map((error) => error.message).join("; "),
      );
    });
  }

  it("connects node-redis with the password and refuses it without", async () => {
    const socket = { port: leaderPort, host: "127.0.0.1", reconnectStrategy: false } as const;
    const client = createClient({ socket, RESP: 3, password });
    await client.connect();
    try {
      assert.equal(await client.set("auth:nr", "1"), "OK");
      assert.equal(await client.get("auth:nr"), "1");
    } finally {
      await client.close();
    }
    const anonymous = createClient({ socket, RESP: 3 });
    anonymous.on("error", () => {});
    assert.match(await errorOf(anonymous.connect()), /^NOAUTH HELLO must be called/);
  });

  it("serves redis-cli with -a and refuses it without", async () => {
    const auth = ["-a", password, "--no-auth-warning"];
    assert.equal(await redisCli(leaderPort, ...auth, "SET", "auth:cli", "x"), "OK");
    assert.equal(await redisCli(leaderPort, ...auth, "GET", "auth:cli"), "x");
    assert.equal(await redisCli(leaderPort, "GET", "auth:cli"), noAuth);
    // redis-cli reports the failed AUTH on stderr and sends the command anyway.
    assert.equal(await redisCli(leaderPort, "-a", "nope", "--no-auth-warning", "PING"), noAuth);
  });

  it("CONFIG GET and SET the parameters clients and tools use, with Redis's errors", async () => {
    const client = await connected(leaderPort);
    const config = (...args: string[]) => client.call("CONFIG", ...args);
    assert.deepEqual(await config("GET", "requirepass"), ["requirepass", password]);
    assert.deepEqual(await config("GET", "appendonly"), ["appendonly", "yes"]);
    assert.deepEqual(await config("GET", "save"), ["save", ""]);
    const replicas = (await config("GET", "min-replicas-*")) as string[];
    assert.deepEqual(
      new Map([0, 2].map((at) => [replicas[at], replicas[at + 1]])),
      new Map([
        ["min-replicas-to-write", "0"],
        ["min-replicas-max-lag", "10"],
      ]),
    );
    assert.equal(
      await config("SET", "maxmemory", "100mb", "maxmemory-policy", "ALLKEYS-LRU"),
      "OK",
    );
    assert.deepEqual(await config("GET", "maxmemory"), ["maxmemory", "104857600"]);
    assert.deepEqual(await config("GET", "maxmemory-policy"), ["maxmemory-policy", "allkeys-lru"]);
    assert.equal(await config("SET", "save", "900 1 300 10"), "OK");
    assert.deepEqual(await config("GET", "save"), ["save", "900 1 300 10"]);
    assert.equal(await config("SET", "min-slaves-max-lag", "5"), "OK");
    assert.deepEqual(await config("GET", "min-replicas-max-lag"), ["min-replicas-max-lag", "5"]);
    const failed = (argument: string, reason: string) =>
      `ERR CONFIG SET failed (possibly related to argument '${argument}') - ${reason}`;
    const refusals: Array<[string[], string]> = [
      [
        ["min-replicas-to-write", "-1"],
        failed("min-replicas-to-write", "argument must be between 0 and 2147483647 inclusive"),
      ],
      [
        ["min-replicas-to-write", "two"],
        failed("min-replicas-to-write", "argument couldn't be parsed into an integer"),
      ],
      [["maxmemory", "1.5gb"], failed("maxmemory", "argument must be a memory value")],
      [
        ["maxmemory-policy", "lru"],
        failed(
          "maxmemory-policy",
          "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction",
        ),
      ],
      [["save", "900"], failed("save", "Invalid save parameters")],
      [["appendonly", "no"], failed("appendonly", "can't set immutable config")],
      [["timeout", "0", "timeout", "1"], failed("timeout", "duplicate parameter")],
      [["nosuch", "1"], "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"],
      [["timeout", "0", "maxmemory"], "ERR syntax error"],
    ];
    for (const [args, message] of refusals) {
      assert.equal(await errorOf(config("SET", ...args)), message, args.join(" "));
    }
    // All or nothing: the valid pair before a refused one is not applied either.
    await errorOf(config("SET", "timeout", "7", "maxmemory", "lots"));
    assert.deepEqual(await config("GET", "timeout"), ["timeout", "0"]);
    await config("SET", "maxmemory", "0", "maxmemory-policy", "noeviction", "save", "");
    await config("SET", "min-replicas-max-lag", "10");
  });

  it("CONFIG RESETSTAT zeroes INFO's counters", async () => {
    const client = await connected(leaderPort);
    await client.get("stats:miss");
    assert.equal(await client.call("CONFIG", "RESETSTAT"), "OK");
    const stats = await client.info("stats");
    // As in Redis, RESETSTAT itself is counted after the reset.
    assert.equal(infoField(stats, "total_commands_processed"), "1");
    assert.equal(infoField(stats, "total_connections_received"), "0");
    assert.equal(infoField(stats, "keyspace_misses"), "0");
  });

  it("CONFIG SET requirepass takes effect for new connections", async () => {
    const client = await connected(leaderPort);
    assert.equal(await client.call("CONFIG", "SET", "requirepass", "rotated"), "OK");
    try {
      const auth = ["--no-auth-warning", "SET", "auth:rotated", "1"];
      assert.equal(await redisCli(leaderPort, "-a", password, ...auth), noAuth);
      assert.equal(await redisCli(leaderPort, "-a", "rotated", ...auth), "OK");
      // A connection authenticated before keeps working, as in Redis.
      assert.equal(await client.get("auth:rotated"), "1");
    } finally {
      await client.call("CONFIG", "SET", "requirepass", password);
    }
  });

  it("refuses writes with NOREPLICAS while min-replicas-to-write exceeds the followers", async () => {
    const client = await connected(leaderPort);
    assert.equal(await client.call("CONFIG", "SET", "min-replicas-to-write", "3"), "OK");
    try {
      assert.equal(await errorOf(client.set("norep", "1")), noReplicas);
      assert.equal(await errorOf(client.incr("norep:n")), noReplicas);
      assert.equal(infoField(await client.info("replication"), "min_slaves_good_slaves"), "2");
      // Reads are not writes.
      assert.equal(await client.get("norep"), null);
      assert.equal(await client.call("CONFIG", "SET", "min-replicas-to-write", "2"), "OK");
      assert.equal(await client.set("norep", "1"), "OK");
    } finally {
      await client.call("CONFIG", "SET", "min-replicas-to-write", "0");
    }
  });

  it("WAIT and WAITAOF count the followers holding the caller's writes, with Redis's errors", async () => {
    const client = await connected(leaderPort);
    await client.set("wait:k", "v");
    assert.equal(await client.call("WAIT", "2", "5000"), 2);
    // Asking for more replicas than exist times out and answers how many were reached.
    assert.equal(await client.call("WAIT", "3", "100"), 2);
    assert.deepEqual(await client.call("WAITAOF", "1", "2", "5000"), [1, 2]);
    assert.equal(await errorOf(client.call("WAIT", "1", "-1")), "ERR timeout is negative");
    const follower = await connected(followerPort);
    const replicaError = (command: string) =>
      `ERR ${command} cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.`;
    assert.equal(await errorOf(follower.call("WAIT", "1", "100")), replicaError("WAIT"));
    assert.equal(await errorOf(follower.call("WAITAOF", "0", "1", "100")), replicaError("WAITAOF"));
  });

  for (const command of ["WAIT", "WAITAOF"] as const) {
    it(`${command} pipelined behind a burst of SETs covers every one of them`, async () => {
      const leader = await connected(leaderPort);
      const follower = await connected(followerPort);
      assert.equal(await follower.readonly(), "OK");
      const writes = 500;
      for (let round = 0; round < 5; round++) {
        const keys = Array.from({ length: writes }, (_, index) => `${command}:${round}:${index}`);
        const pipeline = leader.pipeline();
        for (const key of keys) pipeline.set(key, key);
        pipeline.call(command, ...(command === "WAIT" ? ["2"] : ["1", "2"]), "10000");
        const results = (await pipeline.exec()) ?? [];
        assert.equal(results.length, writes + 1);
        for (const [error] of results) assert.equal(error, null);
        assert.deepEqual(results.at(-1)?.[1], command === "WAIT" ? 2 : [1, 2]);
        // Both followers held every write when the count came back, so their reads see them all.
        assert.deepEqual(await follower.mget(keys), keys, `round ${round}`);
      }
    });
  }

  it("CLIENT SETNAME/GETNAME/ID/LIST/INFO describe the connections", async () => {
    const client = await connected(leaderPort, { connectionName: "admin-lister" });
    assert.equal(await client.client("GETNAME"), "admin-lister");
    assert.equal(await client.client("SETNAME", "admin-renamed"), "OK");
    assert.equal(await client.client("GETNAME"), "admin-renamed");
    assert.equal(
      await errorOf(client.client("SETNAME", "has space")),
      "ERR Client names cannot contain spaces, newlines or special characters.",
    );
    const id = await client.client("ID");
    const list = (await client.client("LIST")) as string;
    const own = list.split("\n").find((line) => line.startsWith(`id=${id} `));
    assert.ok(own, list);
    assert.match(own, / name=admin-renamed /);
    assert.match(own, / cmd=client\|list /);
    assert.match(own, / user=default /);
    assert.match(own, / lib-name=ioredis /);
    // CLIENT LIST's filters (clientCommand): every client here is a normal one; IDs in order.
    const normal = (await client.call("CLIENT", "LIST", "TYPE", "NORMAL")) as string;
    assert.ok(
      normal.split("\n").some((line) => line.startsWith(`id=${id} `)),
      normal,
    );
    assert.equal(await client.call("CLIENT", "LIST", "TYPE", "replica"), "");
    const byId = (await client.call(
      "CLIENT",
      "LIST",
      "ID",
      String(id),
      "999999",
      String(id),
    )) as string;
    assert.deepEqual(
      byId
        .trimEnd()
        .split("\n")
        .map((line) => line.split(" ")[0]),
      [`id=${id}`, `id=${id}`],
    );
    assert.equal(
      await errorOf(client.call("CLIENT", "LIST", "TYPE", "x")),
      "ERR Unknown client type 'x'",
    );
    assert.equal(
      await errorOf(client.call("CLIENT", "LIST", "ID", "one")),
      "ERR Invalid client ID",
    );
    assert.equal(await errorOf(client.call("CLIENT", "LIST", "TYPE")), "ERR syntax error");
    const info = (await client.client("INFO")) as string;
    assert.match(info, new RegExp(`^id=${id} addr=127\\.0\\.0\\.1:\\d+ `));
    assert.match(info, / cmd=client\|info /);
    assert.equal(info.trimEnd().split("\n").length, 1);
  });

  it("CLIENT KILL by ID and by ADDR closes the connection named", async () => {
    const killer = await connected(leaderPort);
    const victims = await Promise.all([0, 1, 2].map(() => TestRespClient.open(leaderPort)));
    const named = await Promise.all(
      victims.map(async (victim, index) => {
        await victim.call("AUTH", password);
        await victim.call("CLIENT", "SETNAME", `victim-${index}`);
        const id = await victim.call("CLIENT", "ID");
        return { victim, id: Number((id as { value: number }).value) };
      }),
    );
    const addressOf = async (name: string) => {
      const list = (await killer.client("LIST")) as string;
      const line = list.split("\n").find((candidate) => candidate.includes(` name=${name} `));
      return / addr=(\S+) /.exec(line ?? "")?.[1];
    };
    const [first, second, third] = named as [
      (typeof named)[0],
      (typeof named)[0],
      (typeof named)[0],
    ];
    assert.equal(await killer.client("KILL", "ID", String(first.id)), 1);
    await assert.rejects(first.victim.call("PING"), /connection closed/);
    const secondAddress = await addressOf("victim-1");
    assert.ok(secondAddress);
    assert.equal(await killer.client("KILL", "ADDR", secondAddress), 1);
    await assert.rejects(second.victim.call("PING"), /connection closed/);
    // The old form, from redis-cli: CLIENT KILL ip:port answers OK.
    const thirdAddress = await addressOf("victim-2");
    assert.ok(thirdAddress);
    const auth = ["-a", password, "--no-auth-warning"];
    assert.equal(await redisCli(leaderPort, ...auth, "CLIENT", "KILL", thirdAddress), "OK");
    await assert.rejects(third.victim.call("PING"), /connection closed/);
    await eventually(
      async () => ((await killer.client("LIST")) as string).includes("victim-"),
      false,
    );
    assert.equal(await killer.client("KILL", "ID", String(first.id)), 0);
    assert.equal(
      await errorOf(killer.client("KILL", "ID", "0")),
      "ERR client-id should be greater than 0",
    );
    assert.equal(await errorOf(killer.client("KILL", "1.2.3.4:5")), "ERR No such client");
  });

  it("INFO keyspace counts keys and keys with a TTL, on the leader and the followers", async () => {
    const client = await connected(leaderPort);
    const follower = await connected(followerPort);
    const keyspace = async (on: Redis) => infoField(await on.info("keyspace"), "db0");
    assert.equal(await client.flushall(), "OK");
    // An empty database is not listed, as in Redis.
    assert.equal(await keyspace(client), undefined);
    // Pipelined behind the writes, INFO counts them.
    const [, , , , info] = (await client
      .pipeline()
      .set("ttl:a", "1", "EX", "1000")
      .set("ttl:b", "1", "PX", "1000000")
      .set("plain:c", "1")
      .hset("plain:d", "f", "v")
      .info("keyspace")
      .exec()) as Array<[Error | null, string]>;
    assert.equal(infoField(info?.[1] ?? "", "db0"), "keys=4,expires=2,avg_ttl=0,subexpiry=0");
    assert.equal(await client.expire("plain:c", 1000), 1);
    assert.equal(await client.persist("ttl:a"), 1);
    assert.equal(await client.del("ttl:b"), 1);
    assert.equal(await keyspace(client), "keys=3,expires=1,avg_ttl=0,subexpiry=0");
    assert.equal(await client.call("WAIT", "2", "5000"), 2);
    assert.equal(await keyspace(follower), "keys=3,expires=1,avg_ttl=0,subexpiry=0");
  });

  it("answers writes on a follower with READONLY and serves its reads after READONLY", async () => {
    const leader = await connected(leaderPort);
    const follower = await connected(followerPort);
    assert.equal(await leader.set("follower:k", "v"), "OK");
    assert.equal(await leader.call("WAIT", "2", "5000"), 2);
    const readOnly = "READONLY You can't write against a read only replica.";
    assert.equal(await errorOf(follower.set("follower:k", "w")), readOnly);
    assert.equal(await errorOf(follower.del("follower:k")), readOnly);
    assert.equal(await follower.readonly(), "OK");
    assert.equal(await follower.get("follower:k"), "v");
    assert.equal(await errorOf(follower.set("follower:k", "w")), readOnly);
    assert.equal(infoField(await follower.info("replication"), "role"), "slave");
  });

  it("refuses writes with NOREPLICAS while a follower is down and accepts them once it is back", async () => {
    const client = await connected(leaderPort);
    await client.call("CONFIG", "SET", "min-replicas-to-write", "2", "min-replicas-max-lag", "1");
    try {
      assert.equal(await client.set("down:k", "1"), "OK");
      await cluster.stop(followerId, "SIGKILL");
      const write = async () => {
        try {
          return await client.set("down:k", "2");
        } catch (error) {
          return (error as Error).message;
        }
      };
      // The follower counts as good until it has not fetched for min-replicas-max-lag seconds.
      await eventually(write, noReplicas);
      assert.equal(infoField(await client.info("replication"), "min_slaves_good_slaves"), "1");
      // INFO replication drops a replica silent for repl-timeout, as Redis does.
      const connectedReplicas = async () =>
        infoField(await client.info("replication"), "connected_slaves");
      assert.equal(await connectedReplicas(), "2");
      await client.call("CONFIG", "SET", "repl-timeout", "1");
      await eventually(connectedReplicas, "1");
      assert.doesNotMatch(await client.info("replication"), /slave1:/);
      cluster.start(followerId);
      await eventually(write, "OK", 30_000);
      await eventually(connectedReplicas, "2");
    } finally {
      await client.call(
        "CONFIG",
        "SET",
        "min-replicas-to-write",
        "0",
        "min-replicas-max-lag",
        "10",
        "repl-timeout",
        "60",
      );
    }
  });
});
