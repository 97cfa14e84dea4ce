/**
 * Lua scripts (EVAL, EVALSHA, EVAL_RO, SCRIPT; decision 0020):
 * - as redis-server answers them, through ioredis: value conversions both ways, errors raised and
 *   caught, argument checks, the script cache, a failed script keeping its earlier writes;
 * - on a 3-node `raft` cluster: a read-modify-write script run by many clients at once, while
 *   others INCR the same key, loses no update (the script is atomic, its record watching what it
 *   read), ioredis's defineCommand
 *   (EVALSHA, then EVAL on NOSCRIPT), a script's writes reaching the followers, a follower running
 *   a read-only script and refusing a writing one, a runaway script stopped at
 *   busy-reply-threshold, a running one killed by SCRIPT KILL while others are served.
 * Where onelog differs on purpose (Lua 5.3's own error texts, commands that read every key) is in
 * docs/commands.md.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { BesideRedis } from "./support/beside_redis.js";
import { LocalNodes } from "./support/local_nodes.js";

const sha = (source: string) => createHash("sha1").update(source).digest("hex");

type Answer = { ok: unknown } | { error: string };

async function answer(client: Redis, args: (string | number)[]): Promise<Answer> {
  try {
    return { ok: await client.call(...(args.map(String) as [string, ...string[]])) };
  } catch (thrown) {
    return { error: (thrown as Error).message };
  }
}

/** Each case runs on a fresh database: commands, the last answered as compared. */
const cases: Record<string, (string | number)[][]> = {
  "values from Lua": [["EVAL", "return {1, 2.9, -3.7, 'a', false, true, nil, 3}", 0]],
  "nested tables": [["EVAL", "return {1, {2, {3, 'x'}}, {}}", 0]],
  "status and error tables": [
    ["EVAL", "return redis.status_reply('FINE')", 0],
    ["EVAL", "return {err = 'CUSTOM bad thing'}", 0],
    ["EVAL", "return redis.error_reply('My Err')", 0],
  ],
  "values into Lua": [
    ["RPUSH", "l", "a", "b"],
    ["HSET", "h", "f", "v"],
    [
      "EVAL",
      "return {redis.call('GET', 'none') == false, redis.call('LRANGE', 'l', 0, -1), redis.call('HGETALL', 'h'), redis.call('INCR', 'n'), redis.call('SET', 's', 'x')['ok'], redis.call('ZSCORE', 'none', 'm') == false}",
      0,
    ],
  ],
  "numbers as arguments": [
    [
      "EVAL",
      "redis.call('SET', 'a', 3.0) redis.call('SET', 'b', 0.1) redis.call('SET', 'c', 1e20) redis.call('SET', 'd', -7) return redis.call('MGET', 'a', 'b', 'c', 'd')",
      0,
    ],
  ],
  "KEYS and ARGV": [
    ["EVAL", "return {KEYS[1], KEYS[2], ARGV[1], #KEYS, #ARGV}", 2, "k1", "k2", "a1"],
  ],
  "a raised command error": [
    ["SET", "s", "1"],
    ["EVAL", "return redis.call('LPUSH', 's', 'a')", 0],
  ],
  "a caught command error": [
    ["SET", "s", "1"],
    ["EVAL", "local e = redis.pcall('LPUSH', 's', 'a') return e['err']", 0],
  ],
  "an unknown command": [["EVAL", "return redis.call('nosuch')", 0]],
  "a command not allowed": [["EVAL", "return redis.call('MULTI')", 0]],
  "a blocking command": [["EVAL", "return redis.call('BLPOP', 'q', 0)", 0]],
  "a wrong argument count": [["EVAL", "return redis.call('GET')", 0]],
  "a bad argument type": [["EVAL", "return redis.call('GET', {})", 0]],
  "error() with text": [["EVAL", "\n\nerror('boom')", 0]],
  "error() with a table": [["EVAL", "error({err = 'X custom'})", 0]],
  "a new global": [["EVAL", "x = 5", 0]],
  "an undefined global": [["EVAL", "return undefined_name", 0]],
  "a write from EVAL_RO": [["EVAL_RO", "return redis.call('SET', 'a', 'b')", 0]],
  "a read from EVAL_RO": [
    ["SET", "a", "b"],
    ["EVAL_RO", "return redis.call('GET', 'a')", 0],
  ],
  "a failed script keeps its earlier writes": [
    ["EVAL", "redis.call('SET', 'kept', '1') error('after')", 0],
    ["GET", "kept"],
  ],
  "numkeys checks": [["EVAL", "return 1", -1]],
  "numkeys above the arguments": [["EVAL", "return 1", 2, "a"]],
  "numkeys not a number": [["EVAL", "return 1", "x"]],
  "the script cache": [
    ["SCRIPT", "LOAD", "return 'loaded'"],
    ["SCRIPT", "EXISTS", sha("return 'loaded'"), "ffffffffffffffffffffffffffffffffffffffff"],
  ],
  "EVALSHA of a loaded script": [
    ["SCRIPT", "LOAD", "return ARGV[1]"],
    ["EVALSHA", sha("return ARGV[1]").toUpperCase(), 0, "x"],
  ],
  "EVALSHA of an unknown script": [["EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", 0]],
  "SCRIPT FLUSH": [
    ["SCRIPT", "LOAD", "return 1"],
    ["SCRIPT", "FLUSH"],
    ["SCRIPT", "EXISTS", sha("return 1")],
  ],
  "SCRIPT FLUSH with a bad mode": [["SCRIPT", "FLUSH", "LATER"]],
  "SCRIPT KILL": [["SCRIPT", "KILL"]],
  "redis.sha1hex and unpack": [["EVAL", "return {redis.sha1hex('abc'), unpack({7, 8})}", 0]],
  "a compile error's prefix": [["EVAL", "return (", 0]],
  "large and non-finite numbers": [
    [
      "EVAL",
      "return {redis.call('INCRBY', 'big', 3000000000), 2^62, 2^63, 0/0, -1/0, tostring(2^53), tostring(3.0)}",
      0,
    ],
  ],
  "cjson.encode": [
    [
      "EVAL",
      "return {cjson.encode({1, 2, 3}), cjson.encode({a = 1}), cjson.encode({}), cjson.encode({0.1, 1e20, -2.5, 1/3, 123456789012345}), cjson.encode('a/b\"c\\\\\\n\\1\\233'), cjson.encode({[1] = 1, [3] = 3}), cjson.encode({true, false, cjson.null}), cjson.encode({[2.5] = 1}), cjson.encode({[1] = 1, x = 2})}",
      0,
    ],
  ],
  "cjson.encode refusals": [["EVAL", "return cjson.encode({[1] = 1, [20] = 3})", 0]],
  "cjson.encode of a function": [["EVAL", "return cjson.encode(function() end)", 0]],
  "cjson.encode of NaN": [["EVAL", "return cjson.encode(0/0)", 0]],
  "cjson.decode": [
    [
      "EVAL",
      'local t = cjson.decode(\'[1, 2.5, "x", null, true, {"a": []}, 2147483648, "\\\\u00e9\\\\ud83d\\\\ude00"]\') return {t[1], tostring(t[2]), t[3], t[4] == cjson.null, tostring(t[5]), type(t[6].a), t[7], t[8], #t}',
      0,
    ],
  ],
  "cjson round trip": [["EVAL", 'return cjson.encode(cjson.decode(\'{"a":{"b":[1,2,[]]}}\'))', 0]],
  "cjson.decode errors": [
    ["EVAL", "return redis.pcall('GET', 'x') and {pcall(cjson.decode, '{bad')} or 0", 0],
  ],
  "cjson.decode at the end": [["EVAL", "return cjson.decode('[1,2')", 0]],
  "cjson.decode of a missing colon": [["EVAL", "return cjson.decode('{\"a\" 1}')", 0]],
  "cjson.decode of trailing text": [["EVAL", "return cjson.decode('1 2')", 0]],
  "cjson.decode without an argument": [["EVAL", "return cjson.decode()", 0]],
  bit: [
    [
      "EVAL",
      "return {bit.tobit(0xffffffff), bit.tobit(2^32+5), bit.tohex(255), bit.tohex(-1, -4), bit.tohex(0x1234, 2), bit.tohex(1, 0), bit.tohex(1, 9), bit.bnot(0), bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.lshift(1, 31), bit.lshift(1, 33), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(0x80000001, 1), bit.ror(1, 1), bit.bswap(0x12345678), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5), bit.tobit(3e9 + 0.5)}",
      0,
    ],
  ],
  "bit with a bad argument": [["EVAL", "return bit.band('x')", 0]],
};

describe("scripts answer as redis-server does", { timeout: 60_000 }, () => {
  let servers: BesideRedis;
  let redis: Redis;
  let onelog: Redis;

  before(async () => {
    servers = await BesideRedis.start("scripting");
    redis = new Redis({ port: servers.redisPort });
    onelog = new Redis({ port: servers.onelogPort });
  });

  after(async () => {
    redis?.disconnect();
    onelog?.disconnect();
    await servers?.stop();
  });

  for (const [name, commands] of Object.entries(cases)) {
    it(name, async () => {
      const answers: Answer[][] = [];
      for (const client of [redis, onelog]) {
        await client.flushall();
        await client.script("FLUSH");
        const replies: Answer[] = [];
        for (const command of commands) replies.push(await answer(client, command));
        answers.push(replies);
      }
      const [fromRedis, fromOnelog] = answers as [Answer[], Answer[]];
      // A compile error's text after its prefix is Lua 5.3's (onelog) or 5.1's (Redis).
      if (name === "a compile error's prefix") {
        for (const replies of answers) {
          const last = replies.at(-1) as { error: string };
          assert.match(last.error, /^ERR Error compiling script \(new function\): user_script:1: /);
        }
        return;
      }
      // A case whose script does not compile would compare nothing of what it names.
      assert.doesNotMatch(JSON.stringify(fromRedis), /Error compiling script/);
      assert.deepEqual(fromOnelog, fromRedis);
    });
  }
});

describe("scripts on a 3-node raft cluster", { timeout: 90_000 }, () => {
  let cluster: LocalNodes;
  let leaderPort: number;
  let followerPort: number;
  const open: Redis[] = [];
  const client = (port: number): Redis => {
    const connection = new Redis({ port, maxRetriesPerRequest: 0 });
    open.push(connection);
    return connection;
  };

  before(async () => {
    cluster = await LocalNodes.create(3, "raft", { electionTimeoutMs: 1500 });
    cluster.startAll();
    ({ leader: leaderPort, follower: followerPort } = await cluster.respPorts());
  });
  after(async () => {
    for (const connection of open) connection.disconnect();
    await cluster.destroy();
  });

  it("loses no update when clients run a read-modify-write script while others INCR", async () => {
    const increment =
      "local v = tonumber(redis.call('GET', KEYS[1]) or '0') + 1 redis.call('SET', KEYS[1], v) return v";
    const clients = Array.from({ length: 10 }, () => client(leaderPort));
    const perClient = 40;
    const seen = await Promise.all(
      clients.map(async (connection, which) => {
        const values: number[] = [];
        for (let index = 0; index < perClient; index++) {
          const pipeline = connection.pipeline();
          // Half the clients write the key with plain INCR, which the scripts' records must see.
          for (let twice = 0; twice < 2; twice++) {
            if (which % 2 === 0) pipeline.eval(increment, 1, "counter");
            else pipeline.incr("counter");
          }
          for (const [failure, value] of (await pipeline.exec()) ?? []) {
            assert.equal(failure, null);
            values.push(Number(value));
          }
        }
        return values;
      }),
    );
    const all = seen.flat().sort((a, b) => a - b);
    const total = clients.length * perClient * 2;
    assert.equal(await clients[0]?.get("counter"), String(total));
    assert.deepEqual(
      all,
      Array.from({ length: total }, (_, index) => index + 1),
      "each run saw a distinct count",
    );
  });

  it("answers a connection's pipelined scripts, writes and reads in order, each seeing those before it", async () => {
    const leader = client(leaderPort);
    const get = "return redis.call('GET', KEYS[1])";
    const incr = "return redis.call('INCR', KEYS[1])";
    const pipeline = leader.pipeline();
    pipeline.set("ordered", "1");
    pipeline.eval(get, 1, "ordered"); // sees the SET before it
    pipeline.eval(incr, 1, "ordered");
    pipeline.eval(incr, 1, "ordered"); // sees the script before it
    pipeline.get("ordered"); // sees both scripts
    pipeline.set("ordered", "10");
    pipeline.eval(get, 1, "ordered");
    pipeline.incr("ordered"); // lands after the script before it
    pipeline.eval_ro(get, 1, "ordered");
    for (let index = 0; index < 100; index++) pipeline.eval(incr, 1, "ordered");
    pipeline.get("ordered");
    const replies = ((await pipeline.exec()) ?? []).map(([failure, value]) => {
      assert.equal(failure, null);
      return value;
    });
    const increments = Array.from({ length: 100 }, (_, index) => 12 + index);
    assert.deepEqual(replies, ["OK", "1", 2, 3, "3", "OK", "10", 11, "11", ...increments, "111"]);
  });

  it("refuses a script inside MULTI, and EXEC then answers EXECABORT", async () => {
    const leader = client(leaderPort);
    const replies = await leader
      .multi()
      .set("in-multi", "1")
      .eval("return 1", 0)
      .exec()
      .catch((thrown: Error) => thrown.message);
    assert.match(String(replies), /EXECABORT/);
    assert.equal(await leader.get("in-multi"), null);
  });

  it("runs ioredis's defineCommand (EVALSHA, then EVAL on NOSCRIPT) and replicates its writes", async () => {
    const leader = client(leaderPort);
    leader.defineCommand("swapValue", {
      numberOfKeys: 1,
      lua: "local old = redis.call('GET', KEYS[1]) redis.call('SET', KEYS[1], ARGV[1]) return old",
    });
    const swap = (key: string, value: string) =>
      (
        leader as unknown as Record<string, (k: string, v: string) => Promise<string | null>>
      ).swapValue?.(key, value);
    assert.equal(await swap("swapped", "one"), null);
    assert.equal(await swap("swapped", "two"), "one");
    const follower = client(followerPort);
    await follower.call("READONLY");
    const deadline = Date.now() + 5000;
    while ((await follower.get("swapped")) !== "two") {
      assert.ok(Date.now() < deadline, "the follower never saw the script's write");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  it("runs a read-only script on a follower and refuses a writing one there", async () => {
    const follower = client(followerPort);
    await follower.call("READONLY");
    await client(leaderPort).set("shared", "v");
    const deadline = Date.now() + 5000;
    let read: unknown;
    do {
      read = await follower.call("EVAL_RO", "return redis.call('GET', KEYS[1])", "1", "shared");
      if (read === "v") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    } while (Date.now() < deadline);
    assert.equal(read, "v");
    await assert.rejects(
      follower.call("EVAL", "return redis.call('SET', KEYS[1], 'x')", "1", "shared"),
      /^ReplyError: READONLY You can't write against a read only replica\. script: /,
    );
  });

  it("stops a script that runs past busy-reply-threshold, having written nothing", async () => {
    const leader = client(leaderPort);
    await leader.config("SET", "busy-reply-threshold", "1500");
    const started = Date.now();
    try {
      await assert.rejects(
        leader.call("EVAL", "redis.call('SET', 'runaway', '1') while true do end", "0"),
        /ran past 1500 ms/,
      );
    } finally {
      await leader.config("SET", "busy-reply-threshold", "5000");
    }
    assert.ok(Date.now() - started >= 1500);
    assert.equal(await leader.get("runaway"), null);
    assert.equal(await leader.ping(), "PONG", "the node serves on");
  });

  it("kills a running script on SCRIPT KILL, serving others meanwhile; it wrote nothing", async () => {
    const [runner, other] = [client(leaderPort), client(leaderPort)];
    await other.config("SET", "busy-reply-threshold", "0");
    try {
      const running = runner.call(
        "EVAL",
        "redis.call('SET', 'killed', '1') while true do end",
        "0",
      );
      const outcome = running.then(
        () => "answered",
        (thrown: Error) => thrown.message,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(await other.set("meanwhile", "v"), "OK", "another client is served");
      assert.equal(await other.call("SCRIPT", "KILL"), "OK");
      assert.match(
        await outcome,
        /^ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/,
      );
      await assert.rejects(
        other.call("SCRIPT", "KILL"),
        /^ReplyError: NOTBUSY No scripts in execution right now\.$/,
      );
      assert.equal(await other.get("killed"), null);
    } finally {
      await other.config("SET", "busy-reply-threshold", "5000");
    }
  });
});

describe("a script that fills the node's memory", { timeout: 60_000 }, () => {
  let cluster: LocalNodes;
  let connection: Redis;

  before(async () => {
    cluster = await LocalNodes.create(1, "redis");
    // A small heap, so that the script reaches it in a second or two.
    const options = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = "--max-old-space-size=160";
    try {
      cluster.startAll();
    } finally {
      if (options === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = options;
    }
    await cluster.waitForLeader();
    connection = new Redis({ port: cluster.node(1).respPort, maxRetriesPerRequest: 0 });
  });
  after(async () => {
    connection?.disconnect();
    await cluster?.destroy();
  });

  it("is stopped before the node runs out, having written nothing, and the node serves on", async () => {
    await connection.config("SET", "busy-reply-threshold", "0");
    const grow =
      "redis.call('SET', 'grown', '1') local t = {} local i = 0 while true do i = i + 1 t[i] = string.rep('x', 64) .. i end";
    await assert.rejects(connection.call("EVAL", grow, "0"), /memory is nearly full/);
    assert.equal(await connection.get("grown"), null);
    assert.equal(await connection.ping(), "PONG");
    assert.equal(await connection.call("EVAL", "return 1 + 1", "0"), 2);
  });
});
