/**
 * Real, unmodified Redis clients against a real 3-node onelog cluster (`redis` preset): ioredis
 * in RESP2 and RESP3, node-redis (RESP3), redis-cli (argv and --pipe) and redis-benchmark, the
 * READONLY error on a follower, WAIT's replica count, expiry seen on a follower, and arbitrary
 * bytes that neither crash the node nor touch stored keys.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { LocalNodes, redisCli, sleep } from "./support/local_nodes.js";

function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${error.message} ${stderr}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

describe("real Redis clients against a 3-node redis-preset cluster", () => {
  let cluster: LocalNodes;
  let leaderPort: number;
  let followerPort: number;

  before(async () => {
    // redis-benchmark saturates both cores; a longer election timeout keeps a starved follower
    // from deposing the leader mid-test (no test here needs a failover).
    cluster = await LocalNodes.create(3, "redis", { electionTimeoutMs: 1500 });
    cluster.startAll();
    ({ leader: leaderPort, follower: followerPort } = await cluster.respPorts());
  });
  after(async () => cluster.destroy());

  for (const protocol of [2, 3] as const) {
    it(`ioredis (RESP${protocol}) writes, reads, counts and waits`, async () => {
      const client = new Redis({ port: leaderPort, protocol, lazyConnect: true });
      await client.connect();
      try {
        assert.equal(await client.set(`io${protocol}`, "v"), "OK");
        assert.equal(await client.get(`io${protocol}`), "v");
        assert.deepEqual(await client.mget(`io${protocol}`, "missing"), ["v", null]);
        assert.equal(await client.incrby(`n${protocol}`, 5), 5);
        assert.equal(await client.call("WAIT", "2", "2000"), 2);
        assert.equal((await client.dbsize()) >= 2, true);
      } finally {
        client.disconnect();
      }
    });
  }

  it("answers ioredis writes on a follower with READONLY and serves its reads locally", async () => {
    const leader = new Redis({ port: leaderPort, lazyConnect: true });
    const follower = new Redis({ port: followerPort, lazyConnect: true });
    await leader.connect();
    await follower.connect();
    try {
      await leader.set("replicated", "yes");
      assert.equal(await leader.call("WAIT", "2", "2000"), 2);
      assert.equal(await follower.get("replicated"), "yes");
      await assert.rejects(
        follower.set("k", "v"),
        /READONLY You can't write against a read only replica\./,
      );
      await leader.set("short", "lived", "PX", 200);
      await leader.call("WAIT", "2", "2000");
      assert.equal(await follower.exists("short"), 1);
      await sleep(600);
      assert.equal(await follower.exists("short"), 0);
      assert.equal(await follower.get("short"), null);
    } finally {
      leader.disconnect();
      follower.disconnect();
    }
  });

  it("serves node-redis 6 over RESP3", async () => {
    const client = createClient({ socket: { port: leaderPort, host: "127.0.0.1" }, RESP: 3 });
    await client.connect();
    try {
      assert.equal(await client.set("nr", "1"), "OK");
      assert.equal(await client.incr("nr"), 2);
      assert.equal(await client.get("nr"), "2");
    } finally {
      await client.close();
    }
  });

  it("answers redis-cli commands and a --pipe mass insertion", async () => {
    assert.equal(await redisCli(leaderPort, "SET", "cli", "x"), "OK");
    assert.equal(await redisCli(leaderPort, "APPEND", "cli", "yz"), "3");
    assert.equal(await redisCli(leaderPort, "GETRANGE", "cli", "1", "-1"), "yz");
    const count = 3000;
    let input = "";
    for (let index = 0; index < count; index++) input += `SET mass:${index} ${index}\r\n`;
    const output = await run("redis-cli", ["-p", String(leaderPort), "--pipe"], input);
    assert.match(output, new RegExp(`errors: 0, replies: ${count}`));
    assert.equal(await redisCli(leaderPort, "GET", `mass:${count - 1}`), String(count - 1));
  });

  it("runs redis-benchmark's whole default test set with no error", async () => {
    // redis-benchmark 7.0 with no -t runs these (redis-benchmark.c, main); any error reply makes
    // it print "Error from server" and exit 1 before the remaining tests.
    const tests = [
      "PING_INLINE",
      "PING_MBULK",
      "SET",
      "GET",
      "INCR",
      "LPUSH",
      "RPUSH",
      "LPOP",
      "RPOP",
      "SADD",
      "HSET",
      "SPOP",
      "ZADD",
      "ZPOPMIN",
      "LPUSH (needed to benchmark LRANGE)",
      "LRANGE_100 (first 100 elements)",
      "LRANGE_300 (first 300 elements)",
      "LRANGE_500 (first 500 elements)",
      "LRANGE_600 (first 600 elements)",
      "MSET (10 keys)",
    ];
    const output = await run("redis-benchmark", ["-p", String(leaderPort), "-n", "2000", "--csv"]);
    assert.doesNotMatch(output, /rror/);
    const rows = output
      .split("\n")
      .filter((line) => line.startsWith('"') && !line.startsWith('"test"'))
      .map((line) => line.split('","')[0]?.slice(1));
    assert.deepEqual(rows, tests);
    for (const line of output.split("\n").slice(1, -1))
      assert.match(line, /^"[^"]+","[0-9.]+",/, "every test printed a rate");
  });

  it("survives arbitrary bytes without touching stored keys", async () => {
    await redisCli(leaderPort, "SET", "known", "value");
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        await new Promise<void>((resolve) => {
          const socket = connect({ host: "127.0.0.1", port: leaderPort }, () => {
            socket.end(Buffer.from(bytes));
          });
          socket.on("data", () => {});
          socket.once("close", () => resolve());
          socket.once("error", () => resolve());
          socket.setTimeout(500, () => socket.destroy());
        });
      }),
      { numRuns: 60 },
    );
    assert.equal(await redisCli(leaderPort, "PING"), "PONG");
    assert.equal(await redisCli(leaderPort, "GET", "known"), "value");
  });
});
