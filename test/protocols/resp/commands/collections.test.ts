/**
 * The set and sorted-set commands through the RESP face and a real kv state machine: reply
 * shapes in RESP2 and RESP3 as Redis 7 sends them (sets as `~`, doubles as `,`, WITHSCORES and
 * counted pops as nested pairs in RESP3), argument errors with Redis's texts, and the seed that
 * SPOP carries in its log record.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RespProtocol } from "../../../../src/protocols/resp/index.js";
import { StateStore } from "./state_store.js";
import { context, run } from "./support.js";

/** A fresh store; `send` runs one command in `protocol` and answers the reply's bytes. */
function connection(protocol: RespProtocol = 2) {
  const store = new StateStore();
  const target = context(store, protocol);
  return { store, send: (...args: string[]) => run(target, ...args) };
}

/** The replies of the same commands on two fresh stores, in RESP2 and in RESP3. */
async function both(setup: string[][], ...args: string[]): Promise<[string, string]> {
  const replies: string[] = [];
  for (const protocol of [2, 3] as const) {
    const { send } = connection(protocol);
    for (const command of setup) await send(...command);
    replies.push(await send(...args));
  }
  return replies as [string, string];
}

const wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const positive = "-ERR value is out of range, must be positive\r\n";
const bulks = (...values: string[]) =>
  values.map((value) => `$${value.length}\r\n${value}\r\n`).join("");

describe("RESP set commands", () => {
  const abc = [["SADD", "s", "c", "a", "b", "a"]];

  it("SADD, SREM, SCARD, SISMEMBER, SMISMEMBER answer integers", async () => {
    const { send } = connection();
    assert.equal(await send("SADD", "s", "c", "a", "b", "a"), ":3\r\n");
    assert.equal(await send("SREM", "s", "c", "x"), ":1\r\n");
    assert.equal(await send("SCARD", "s"), ":2\r\n");
    assert.equal(await send("SISMEMBER", "s", "a"), ":1\r\n");
    assert.equal(await send("SMISMEMBER", "s", "a", "x"), "*2\r\n:1\r\n:0\r\n");
    assert.equal(await send("TYPE", "s"), "+set\r\n");
    assert.equal(await send("SADD", "s"), "-ERR wrong number of arguments for 'sadd' command\r\n");
  });

  it("SMEMBERS answers a set in RESP3, in byte order", async () => {
    assert.deepEqual(await both(abc, "SMEMBERS", "s"), [
      `*3\r\n${bulks("a", "b", "c")}`,
      `~3\r\n${bulks("a", "b", "c")}`,
    ]);
    assert.deepEqual(await both([], "SMEMBERS", "none"), ["*0\r\n", "~0\r\n"]);
  });

  it("SPOP answers one member or nil, and a set with a count", async () => {
    assert.deepEqual(await both([], "SPOP", "none"), ["$-1\r\n", "_\r\n"]);
    assert.deepEqual(await both([], "SPOP", "none", "2"), ["*0\r\n", "~0\r\n"]);
    assert.deepEqual(await both(abc, "SPOP", "s", "0"), ["*0\r\n", "~0\r\n"]);
    assert.deepEqual(await both(abc, "SPOP", "s", "9"), [
      `*3\r\n${bulks("a", "b", "c")}`,
      `~3\r\n${bulks("a", "b", "c")}`,
    ]);
    const { send } = connection();
    await send("SADD", "s", "a");
    assert.equal(await send("SPOP", "s"), bulks("a"));
    assert.equal(await send("EXISTS", "s"), ":0\r\n");
  });

  it("SPOP carries its seed in the log record, so replicas pop the same members", async () => {
    const { store, send } = connection();
    await send("SADD", "s", "a", "b", "c");
    await send("SPOP", "s", "2");
    const logged = store.writes.at(-1)?.command;
    assert.ok(logged?.kind === "spop" && Number.isInteger(logged.seed), JSON.stringify(logged));
    assert.equal(logged.count, 2);
  });

  it("SPOP and SRANDMEMBER refuse bad counts with Redis's texts", async () => {
    const { send } = connection();
    assert.equal(await send("SPOP", "s", "-1"), positive);
    assert.equal(await send("SPOP", "s", "x"), positive);
    assert.equal(await send("SPOP", "s", "1", "2"), "-ERR syntax error\r\n");
    assert.equal(
      await send("SRANDMEMBER", "s", "x"),
      "-ERR value is not an integer or out of range\r\n",
    );
    assert.equal(await send("SRANDMEMBER", "s", "1", "2"), "-ERR syntax error\r\n");
    assert.match(await send("SRANDMEMBER", "s", "-2000000"), /^-ERR value is out of range/);
  });

  it("SRANDMEMBER answers nil or a member, and an array with a count", async () => {
    assert.deepEqual(await both([], "SRANDMEMBER", "none"), ["$-1\r\n", "_\r\n"]);
    assert.deepEqual(await both([], "SRANDMEMBER", "none", "3"), ["*0\r\n", "*0\r\n"]);
    const [resp2] = await both(abc, "SRANDMEMBER", "s", "-5");
    assert.match(resp2, /^\*5\r\n(\$1\r\n[abc]\r\n){5}$/);
    const [one] = await both(abc, "SRANDMEMBER", "s");
    assert.match(one, /^\$1\r\n[abc]\r\n$/);
  });

  it("set commands on another type, and other commands on a set, are WRONGTYPE", async () => {
    const { send } = connection();
    await send("SET", "k", "v");
    await send("SADD", "s", "a");
    for (const command of [
      ["SADD", "k", "a"],
      ["SMEMBERS", "k"],
      ["SPOP", "k"],
      ["SRANDMEMBER", "k", "2"],
      ["LPUSH", "s", "a"],
      ["GET", "s"],
      ["ZADD", "s", "1", "a"],
    ]) {
      assert.equal(await send(...command), wrongType, command.join(" "));
    }
  });
});

describe("RESP sorted-set commands", () => {
  const ab = [["ZADD", "z", "2.5", "a", "2", "b"]];

  it("ZADD refuses incompatible options and bad scores with Redis's texts", async () => {
    const { send } = connection();
    const table: Array<[string[], string]> = [
      [
        ["ZADD", "z", "NX", "XX", "1", "a"],
        "XX and NX options at the same time are not compatible",
      ],
      [
        ["ZADD", "z", "GT", "LT", "1", "a"],
        "GT, LT, and/or NX options at the same time are not compatible",
      ],
      [
        ["ZADD", "z", "NX", "GT", "1", "a"],
        "GT, LT, and/or NX options at the same time are not compatible",
      ],
      [
        ["ZADD", "z", "INCR", "1", "a", "2", "b"],
        "INCR option supports a single increment-element pair",
      ],
      [["ZADD", "z", "1", "a", "2"], "syntax error"],
      [["ZADD", "z", "CH", "1"], "syntax error"],
      [["ZADD", "z", "x", "a"], "value is not a valid float"],
      [["ZADD", "z", "nan", "a"], "value is not a valid float"],
      [["ZINCRBY", "z", "1e", "a"], "value is not a valid float"],
    ];
    for (const [command, message] of table) {
      assert.equal(await send(...command), `-ERR ${message}\r\n`, command.join(" "));
    }
    assert.equal(await send("EXISTS", "z"), ":0\r\n");
  });

  it("ZADD answers a count, or with INCR a double or nil; ZINCRBY a double", async () => {
    const { send } = connection();
    assert.equal(await send("ZADD", "z", "1", "a", "2", "b"), ":2\r\n");
    assert.equal(await send("ZADD", "z", "CH", "5", "a", "3", "c"), ":2\r\n");
    assert.equal(await send("ZADD", "z", "INCR", "1.5", "a"), "$3\r\n6.5\r\n");
    assert.equal(await send("ZADD", "z", "XX", "INCR", "1", "x"), "$-1\r\n");
    assert.equal(await send("ZINCRBY", "z", "-0.5", "a"), "$1\r\n6\r\n");
    assert.equal(await send("ZADD", "z", "+inf", "top"), ":1\r\n");
    assert.equal(
      await send("ZINCRBY", "z", "-inf", "top"),
      "-ERR resulting score is not a number (NaN)\r\n",
    );
    assert.deepEqual(await both(ab, "ZINCRBY", "z", "1", "b"), ["$1\r\n3\r\n", ",3\r\n"]);
    assert.deepEqual(await both(ab, "ZADD", "z", "NX", "INCR", "1", "b"), ["$-1\r\n", "_\r\n"]);
  });

  it("reads -0 as 0, which MessagePack carries to the followers unchanged", async () => {
    const { store, send } = connection();
    assert.equal(await send("ZADD", "z", "-0", "a"), ":1\r\n");
    assert.equal(await send("ZSCORE", "z", "a"), "$1\r\n0\r\n");
    const logged = store.writes.at(-1)?.command;
    assert.ok(logged?.kind === "zadd" && Object.is(logged.entries[0]?.[1], 0));
  });

  it("ZSCORE, ZMSCORE, ZCARD, ZCOUNT, ZREM", async () => {
    assert.deepEqual(await both(ab, "ZSCORE", "z", "a"), ["$3\r\n2.5\r\n", ",2.5\r\n"]);
    assert.deepEqual(await both(ab, "ZSCORE", "z", "x"), ["$-1\r\n", "_\r\n"]);
    assert.deepEqual(await both(ab, "ZMSCORE", "z", "b", "x"), [
      "*2\r\n$1\r\n2\r\n$-1\r\n",
      "*2\r\n,2\r\n_\r\n",
    ]);
    const { send } = connection();
    await send("ZADD", "z", "1", "a", "2", "b", "3", "c");
    assert.equal(await send("ZCARD", "z"), ":3\r\n");
    assert.equal(await send("ZCOUNT", "z", "(1", "+inf"), ":2\r\n");
    assert.equal(await send("ZCOUNT", "z", "-inf", "(3"), ":2\r\n");
    assert.equal(await send("ZCOUNT", "z", "x", "3"), "-ERR min or max is not a float\r\n");
    assert.equal(await send("ZREM", "z", "a", "x", "a"), ":1\r\n");
    assert.equal(await send("TYPE", "z"), "+zset\r\n");
  });

  it("ZRANGE WITHSCORES is flat in RESP2 and pairs in RESP3", async () => {
    assert.deepEqual(await both(ab, "ZRANGE", "z", "0", "-1", "WITHSCORES"), [
      `*4\r\n${bulks("b", "2", "a", "2.5")}`,
      "*2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,2.5\r\n",
    ]);
    assert.deepEqual(await both(ab, "ZRANGE", "z", "0", "-1"), [
      `*2\r\n${bulks("b", "a")}`,
      `*2\r\n${bulks("b", "a")}`,
    ]);
  });

  it("ZRANGE by score and lex, reversed and limited, and its older forms", async () => {
    const { send } = connection();
    await send("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
    const table: Array<[string[], string[]]> = [
      [
        ["ZRANGE", "z", "(1", "+inf", "BYSCORE", "LIMIT", "1", "2"],
        ["c", "d"],
      ],
      [
        ["ZRANGE", "z", "+inf", "(1", "BYSCORE", "REV", "LIMIT", "0", "2"],
        ["d", "c"],
      ],
      [
        ["ZRANGE", "z", "0", "1", "REV"],
        ["d", "c"],
      ],
      [
        ["ZRANGE", "z", "[b", "(d", "BYLEX"],
        ["b", "c"],
      ],
      [["ZREVRANGE", "z", "0", "0"], ["d"]],
      [
        ["ZRANGEBYSCORE", "z", "-inf", "2"],
        ["a", "b"],
      ],
      [
        ["ZREVRANGEBYSCORE", "z", "+inf", "3"],
        ["d", "c"],
      ],
      [["ZRANGEBYLEX", "z", "-", "[a"], ["a"]],
      [["ZRANGE", "z", "5", "10"], []],
    ];
    for (const [command, members] of table) {
      assert.equal(
        await send(...command),
        `*${members.length}\r\n${bulks(...members)}`,
        command.join(" "),
      );
    }
  });

  it("ZLEXCOUNT counts a lex range, and reads the range before the key", async () => {
    const { send } = connection();
    await send("ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d");
    await send("SET", "s", "v");
    assert.equal(await send("ZLEXCOUNT", "z", "-", "+"), ":4\r\n");
    assert.equal(await send("ZLEXCOUNT", "z", "[b", "(d"), ":2\r\n");
    assert.equal(await send("ZLEXCOUNT", "missing", "-", "+"), ":0\r\n");
    assert.equal(
      await send("ZLEXCOUNT", "s", "-", "+"),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    assert.equal(
      await send("ZLEXCOUNT", "s", "a", "+"),
      "-ERR min or max not valid string range item\r\n",
    );
  });

  it("ZRANGE refuses what Redis refuses, with its texts", async () => {
    const { send } = connection();
    const table: Array<[string[], string]> = [
      [
        ["ZRANGE", "z", "0", "1", "LIMIT", "0", "1"],
        "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
      ],
      [
        ["ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"],
        "syntax error, WITHSCORES not supported in combination with BYLEX",
      ],
      [["ZRANGE", "z", "x", "1", "BYSCORE"], "min or max is not a float"],
      [["ZRANGE", "z", "a", "b", "BYLEX"], "min or max not valid string range item"],
      [["ZRANGE", "z", "a", "1"], "value is not an integer or out of range"],
      [["ZRANGE", "z", "0", "1", "BOGUS"], "syntax error"],
      [["ZRANGEBYSCORE", "z", "0", "1", "BYLEX"], "syntax error"],
      [
        ["ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "x", "1"],
        "value is not an integer or out of range",
      ],
    ];
    for (const [command, message] of table) {
      assert.equal(await send(...command), `-ERR ${message}\r\n`, command.join(" "));
    }
  });

  it("ZRANK and ZREVRANK answer a rank, nil, or with WITHSCORE a pair", async () => {
    assert.deepEqual(await both(ab, "ZRANK", "z", "a"), [":1\r\n", ":1\r\n"]);
    assert.deepEqual(await both(ab, "ZREVRANK", "z", "a"), [":0\r\n", ":0\r\n"]);
    assert.deepEqual(await both(ab, "ZRANK", "z", "x"), ["$-1\r\n", "_\r\n"]);
    assert.deepEqual(await both(ab, "ZRANK", "z", "a", "WITHSCORE"), [
      "*2\r\n:1\r\n$3\r\n2.5\r\n",
      "*2\r\n:1\r\n,2.5\r\n",
    ]);
    assert.deepEqual(await both(ab, "ZRANK", "z", "x", "WITHSCORE"), ["*-1\r\n", "_\r\n"]);
    assert.deepEqual(await both(ab, "ZRANK", "z", "a", "BOGUS"), [
      "-ERR syntax error\r\n",
      "-ERR syntax error\r\n",
    ]);
  });

  it("ZPOPMIN is flat without a count; with one, pairs in RESP3", async () => {
    assert.deepEqual(await both(ab, "ZPOPMIN", "z"), [
      `*2\r\n${bulks("b", "2")}`,
      "*2\r\n$1\r\nb\r\n,2\r\n",
    ]);
    assert.deepEqual(await both(ab, "ZPOPMAX", "z", "5"), [
      `*4\r\n${bulks("a", "2.5", "b", "2")}`,
      "*2\r\n*2\r\n$1\r\na\r\n,2.5\r\n*2\r\n$1\r\nb\r\n,2\r\n",
    ]);
    assert.deepEqual(await both([], "ZPOPMIN", "none", "2"), ["*0\r\n", "*0\r\n"]);
    assert.deepEqual(await both(ab, "ZPOPMIN", "z", "-1"), [positive, positive]);
    const { send } = connection();
    await send("ZADD", "z", "1", "a");
    await send("ZPOPMAX", "z");
    assert.equal(await send("EXISTS", "z"), ":0\r\n");
  });

  it("sorted-set commands on another type are WRONGTYPE", async () => {
    const { send } = connection();
    await send("SADD", "s", "a");
    for (const command of [
      ["ZADD", "s", "1", "a"],
      ["ZINCRBY", "s", "1", "a"],
      ["ZRANGE", "s", "0", "-1"],
      ["ZSCORE", "s", "a"],
      ["ZPOPMIN", "s"],
      ["ZCOUNT", "s", "0", "1"],
    ]) {
      assert.equal(await send(...command), wrongType, command.join(" "));
    }
  });
});

describe("COMMAND knows the new commands", () => {
  it("COMMAND INFO gives each its arity and key positions", async () => {
    const { send } = connection();
    assert.ok(
      (await send("COMMAND", "INFO", "zadd")).startsWith("*1\r\n*10\r\n$4\r\nzadd\r\n:-4\r\n"),
    );
    assert.ok(
      (await send("COMMAND", "INFO", "spop")).startsWith("*1\r\n*10\r\n$4\r\nspop\r\n:-2\r\n"),
    );
    for (const name of ["sadd", "srandmember", "zrange", "zpopmin", "zrevrank", "zmscore"]) {
      assert.ok(
        (await send("COMMAND", "DOCS", name)).startsWith(`*2\r\n$${name.length}\r\n${name}\r\n`),
        name,
      );
    }
  });
});
