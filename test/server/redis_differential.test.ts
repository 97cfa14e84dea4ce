/**
 * onelog against the real thing: random sequences of the string, keyspace, expiry, hash, list, set
 * and sorted-set commands (with wrong types, bad numbers, bad options and wrong arity among them),
 * of MULTI ... EXEC blocks with WATCH, and of those commands run inside Lua scripts, sent to
 * Debian's redis-server and to a onelog node, in RESP2 and in RESP3 through node-redis; every
 * reply, error text included, must be the same. fast-check shrinks a difference to the shortest
 * sequence that shows it.
 *
 * Left out on purpose, where onelog differs by design (docs/commands.md): databases other than 0
 * (SELECT, COPY DB), SCAN's cursors past the first call (but for how they are read), RANDOMKEY, SPOP and SRANDMEMBER, ZINCRBY's -0 (kept as 0), and
 * the times TTL, PTTL, EXPIRETIME and
 * PEXPIRETIME read back, which each server computes from its own clock, a millisecond or so
 * apart (their rounding is tested in commands.test.ts).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { createClient } from "redis";
import { BesideRedis } from "./support/beside_redis.js";
import { exchange } from "./support/raw_exchange.js";

async function open(port: number, protocol: 2 | 3) {
  const client = createClient({ socket: { port, host: "127.0.0.1" }, RESP: protocol });
  await client.connect();
  return client;
}

type Client = Awaited<ReturnType<typeof open>>;

const key = fc.constantFrom("s", "n", "h", "l", "missing");
const integerText = fc.oneof(
  fc.integer({ min: -3, max: 12 }).map(String),
  fc.constantFrom(
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "x",
    "",
    " 1",
    "1.5",
    "+1",
    "007",
  ),
);
const value = fc.oneof(
  fc.constantFrom("v", "", "10", "-3", "0.5", "a b", "\u00e9t\u00e9"),
  integerText,
);
/** INCRBYFLOAT's increments: decimal, hexadecimal, beyond a double's range, and not floats. */
const floatText = fc.constantFrom(
  "1.5",
  "-0.25",
  "10",
  "0.1",
  "3e2",
  "0x10",
  "0x1.8p-3",
  "1e400",
  "-1e4932",
  "1e-4940",
  "1e-5000",
  "inf",
  "nan",
  "x",
  "",
  " 1",
);
const setOptions = fc.constantFrom(
  [],
  ["NX"],
  ["XX"],
  ["GET"],
  ["EX", "100"],
  ["PX", "x"],
  ["EX", "0"],
  ["NX", "XX"],
  ["KEEPTTL"],
  ["EX", "10", "KEEPTTL"],
  ["GET", "XX"],
  ["EXAT", "4000000000"],
  ["BOGUS"],
);
const expireOptions = fc.constantFrom(
  [],
  ["NX"],
  ["XX"],
  ["GT"],
  ["LT"],
  ["NX", "GT"],
  ["GT", "LT"],
  ["ZZ"],
);

/** HSCAN's and its kin's cursors: a small value is answered whole, whatever the cursor. */
const scanCursorText = fc.constantFrom("0", "", "5", "x", "-1");

/**
 * A blocking command's timeout: never 0, which would wait for ever on an empty key; a short one
 * times out alike on both sides.
 */
const timeout = fc.constantFrom("0.001", "0.002", "-1", "x", "1e-3");
const listSide = fc.constantFrom("LEFT", "right", "UP");

/** `numkeys key [key ...] side [COUNT count]`, numkeys sometimes wrong. */
function multiPop(keys: fc.Arbitrary<string>, side: fc.Arbitrary<string>) {
  return fc
    .tuple(
      fc.array(keys, { minLength: 1, maxLength: 3 }),
      fc.option(fc.constantFrom("0", "4", "x"), { nil: undefined }),
      side,
      fc.option(fc.constantFrom("1", "2", "0", "-1", "x"), { nil: undefined }),
    )
    .map(([names, numKeys, where, wanted]) => [
      numKeys ?? String(names.length),
      ...names,
      where,
      ...(wanted === undefined ? [] : ["COUNT", wanted]),
    ]);
}

/** LMPOP, LMOVE, RPOPLPUSH and their blocking forms, on keys of every type. */
const listPop: fc.Arbitrary<string[]> = fc.oneof(
  multiPop(key, listSide).map((rest) => ["LMPOP", ...rest]),
  fc.tuple(timeout, multiPop(key, listSide)).map(([wait, rest]) => ["BLMPOP", wait, ...rest]),
  fc
    .tuple(
      fc.constantFrom("BLPOP", "BRPOP"),
      fc.array(key, { minLength: 1, maxLength: 3 }),
      timeout,
    )
    .map(([name, keys, wait]) => [name, ...keys, wait]),
  fc.tuple(key, key, listSide, listSide).map((words) => ["LMOVE", ...words]),
  fc.tuple(key, key, listSide, listSide, timeout).map((words) => ["BLMOVE", ...words]),
  fc.tuple(key, key).map((words) => ["RPOPLPUSH", ...words]),
  fc.tuple(key, key, timeout).map((words) => ["BRPOPLPUSH", ...words]),
  fc
    .tuple(
      key,
      value,
      // Not RANK -2^63: redis-server 7.0 takes it as -1, 7.2 and onelog (7.4) refuse it.
      fc.array(
        fc.tuple(
          fc.constantFrom("RANK", "COUNT", "MAXLEN", "rank", "FOO"),
          fc.constantFrom("1", "2", "-1", "-2", "0", "3", "x", "9223372036854775807"),
        ),
        { maxLength: 2 },
      ),
    )
    .map(([k, element, options]) => ["LPOS", k, element, ...options.flat()]),
);

const command: fc.Arbitrary<string[]> = fc.oneof(
  listPop,
  fc.tuple(key, value, setOptions).map(([k, v, options]) => ["SET", k, v, ...options]),
  fc
    .tuple(
      fc.constantFrom(
        "GET",
        "GETDEL",
        "STRLEN",
        "TYPE",
        "EXISTS",
        "DEL",
        "INCR",
        "DECR",
        "PERSIST",
        "HGETALL",
        "HLEN",
        "HKEYS",
        "HVALS",
        "LLEN",
        "LPOP",
        "RPOP",
        "GETEX",
      ),
      key,
    )
    .map((words) => [...words]),
  fc
    .tuple(
      fc.constantFrom(
        "INCRBY",
        "DECRBY",
        "APPEND",
        "SETNX",
        "GETSET",
        "LPOP",
        "RPOP",
        "HGET",
        "HEXISTS",
        "HDEL",
        "LPUSH",
        "RPUSH",
      ),
      key,
      integerText,
    )
    .map((words) => [...words]),
  fc.tuple(key, floatText).map(([k, by]) => ["INCRBYFLOAT", k, by]),
  fc
    .tuple(
      key,
      scanCursorText,
      fc.option(fc.constantFrom("*", "f", "?", "[fg]"), { nil: undefined }),
      fc.option(fc.constantFrom("1", "10", "0", "x"), { nil: undefined }),
    )
    .map(([k, cursor, pattern, wanted]) => [
      "HSCAN",
      k,
      cursor,
      ...(pattern === undefined ? [] : ["MATCH", pattern]),
      ...(wanted === undefined ? [] : ["COUNT", wanted]),
    ]),
  fc
    .tuple(fc.constantFrom("HSETNX", "HSTRLEN"), key, fc.constantFrom("f", "g"), value)
    .map(([name, k, field, v]) => (name === "HSETNX" ? [name, k, field, v] : [name, k, field])),
  fc.tuple(key, integerText).map(([k, index]) => ["LINDEX", k, index]),
  fc.tuple(fc.constantFrom("LSET", "LREM"), key, integerText, value).map((words) => [...words]),
  fc
    .tuple(key, fc.constantFrom("BEFORE", "after", "middle"), value, value)
    .map(([k, where, pivot, element]) => ["LINSERT", k, where, pivot, element]),
  fc
    .tuple(key, fc.constantFrom("f", "g"), floatText)
    .map(([k, field, by]) => ["HINCRBYFLOAT", k, field, by]),
  fc
    .tuple(
      fc.constantFrom("GETRANGE", "SUBSTR", "SETRANGE", "LRANGE", "LTRIM", "HINCRBY", "HSET"),
      key,
    )
    .chain(([name, k]) => fc.tuple(integerText, value).map(([a, b]) => [name, k, a, b])),
  fc
    .tuple(
      fc.constantFrom("SETEX", "PSETEX"),
      key,
      fc.constantFrom("100000", "0", "-1", "x"),
      value,
    )
    .map((words) => [...words]),
  fc
    .tuple(fc.constantFrom("MSET", "MSETNX", "MGET", "HMGET", "DEL", "EXISTS", "TOUCH"), key)
    .chain(([name, k]) => fc.array(value, { maxLength: 3 }).map((rest) => [name, k, ...rest])),
  fc
    .tuple(
      fc.constantFrom("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"),
      key,
      fc.constantFrom(
        "100000",
        "0",
        "-5",
        "4000000000",
        "x",
        "-9223372036854775808",
        "9223372036854776",
      ),
      expireOptions,
    )
    .map(([name, k, amount, options]) => [name, k, amount, ...options]),
  fc
    .tuple(
      fc.constantFrom("GETEX"),
      key,
      fc.constantFrom(["PERSIST"], ["EX", "100"], ["EX", "0"], ["PX"], ["ZZ"]),
    )
    .map(([name, k, options]) => [name, k, ...options]),
  fc.tuple(fc.constantFrom("RENAME", "RENAMENX", "COPY"), key, key).map((words) => [...words]),
  fc
    .tuple(key, key, fc.constantFrom(["REPLACE"], ["DB", "0"], ["ZZ"], ["REPLACE", "REPLACE"]))
    .map(([a, b, options]) => ["COPY", a, b, ...options]),
  fc
    .constantFrom(
      ["DBSIZE"],
      ["KEYS", "*"],
      ["KEYS", "[sn]"],
      ["PING"],
      ["ECHO", "e"],
      ["SELECT", "0"],
      ["GET"],
      ["SET", "s"],
      ["NOPE", "a"],
      ["HSET", "h", "f"],
      ["MSET", "s"],
      ["PEXPIREAT", "s", "4000000000123"],
      ["EXPIRETIME", "s"],
      ["PEXPIRETIME", "s"],
      ["SETRANGE", "s", "9223372036854775807", ""],
      ["COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"],
    )
    .map((words) => [...words]),
);

const setKey = fc.constantFrom("t", "z", "s", "missing");
const member = fc.constantFrom("a", "b", "c", "1", "2", "10", "-1", "", "x y");
const score = fc.constantFrom(
  "1",
  "2",
  "-1",
  "0",
  "1.5",
  "inf",
  "-inf",
  "+inf",
  "x",
  "nan",
  "1e400",
  "(1",
  "(2",
  "0x10",
  "3.0",
  "1e2",
  "",
  " 1",
);
const lexBound = fc.constantFrom("-", "+", "[a", "(a", "[b", "(c", "a", "[", "(");
const count = fc.constantFrom("0", "1", "2", "-1", "-2", "5", "x", "", "9223372036854775807");
const rangeOptions = fc.constantFrom(
  [],
  ["WITHSCORES"],
  ["LIMIT", "0", "1"],
  ["LIMIT", "1", "-1"],
  ["LIMIT", "x", "1"],
  ["LIMIT", "0"],
  ["WITHSCORES", "LIMIT", "0", "2"],
  ["ZZ"],
);
const zrangeOptions = fc.constantFrom(
  [],
  ["BYSCORE"],
  ["BYLEX"],
  ["REV"],
  ["BYSCORE", "REV"],
  ["BYLEX", "REV"],
  ["WITHSCORES"],
  ["BYSCORE", "LIMIT", "0", "2"],
  ["LIMIT", "0", "1"],
  ["BYLEX", "WITHSCORES"],
  ["BYSCORE", "BYLEX"],
);
const zaddFlags = fc.constantFrom(
  [],
  ["NX"],
  ["XX"],
  ["GT"],
  ["LT"],
  ["CH"],
  ["INCR"],
  ["NX", "XX"],
  ["GT", "LT"],
  ["NX", "GT"],
  ["XX", "CH"],
);

/** Sets and sorted sets; not SPOP or SRANDMEMBER, whose choices are random on both sides. */
const collectionCommand: fc.Arbitrary<string[]> = fc.oneof(
  fc
    .tuple(fc.constantFrom("SADD", "SREM", "SMISMEMBER", "ZREM", "ZMSCORE"), setKey)
    .chain(([name, k]) => fc.array(member, { maxLength: 3 }).map((rest) => [name, k, ...rest])),
  fc
    .tuple(fc.constantFrom("SMEMBERS", "SCARD", "ZCARD", "ZPOPMIN", "ZPOPMAX"), setKey)
    .map((words) => [...words]),
  fc
    .tuple(fc.constantFrom("SISMEMBER", "ZSCORE", "ZRANK", "ZREVRANK"), setKey, member)
    .map((words) => [...words]),
  fc.tuple(fc.constantFrom("ZPOPMIN", "ZPOPMAX"), setKey, count).map((words) => [...words]),
  multiPop(setKey, fc.constantFrom("MIN", "max", "UP")).map((rest) => ["ZMPOP", ...rest]),
  fc
    .tuple(
      fc.constantFrom("SINTER", "SUNION", "SDIFF"),
      fc.array(setKey, { minLength: 1, maxLength: 3 }),
    )
    .map(([name, keys]) => [name, ...keys]),
  fc
    .tuple(
      fc.constantFrom("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"),
      setKey,
      fc.array(setKey, { minLength: 1, maxLength: 3 }),
    )
    .map(([name, destination, keys]) => [name, destination, ...keys]),
  fc
    .tuple(setKey, setKey, member)
    .map(([source, destination, m]) => ["SMOVE", source, destination, m]),
  // SSCAN from the start and without a small COUNT: Redis 7.0 keeps a small set of strings in a
  // hash table, whose walk resumes at a cursor and stops early under COUNT 1, where onelog
  // answers a small set whole.
  fc
    .tuple(fc.constantFrom("SSCAN", "ZSCAN"), setKey)
    .chain(([name, k]) =>
      fc.tuple(
        fc.constant(name),
        fc.constant(k),
        name === "SSCAN" ? fc.constantFrom("0", "", "x") : scanCursorText,
        fc.option(fc.constantFrom("*", "a*", "?", "1*", "[ab]"), { nil: undefined }),
        fc.option(fc.constantFrom("10", "100", "0", "x"), { nil: undefined }),
      ),
    )
    .map(([name, k, cursor, pattern, wanted]) => [
      name,
      k,
      cursor,
      ...(pattern === undefined ? [] : ["MATCH", pattern]),
      ...(wanted === undefined ? [] : ["COUNT", wanted]),
    ]),
  fc
    .tuple(
      fc.array(setKey, { minLength: 1, maxLength: 3 }),
      fc.option(fc.constantFrom("0", "4", "x"), { nil: undefined }),
      fc.option(fc.tuple(fc.constantFrom("LIMIT", "limit", "FOO"), count), { nil: undefined }),
    )
    .map(([keys, numKeys, limit]) => [
      "SINTERCARD",
      numKeys ?? String(keys.length),
      ...keys,
      ...(limit ?? []),
    ]),
  fc
    .tuple(timeout, multiPop(setKey, fc.constantFrom("MIN", "max", "UP")))
    .map(([wait, rest]) => ["BZMPOP", wait, ...rest]),
  fc
    .tuple(
      fc.constantFrom("BZPOPMIN", "BZPOPMAX"),
      fc.array(setKey, { minLength: 1, maxLength: 3 }),
      timeout,
    )
    .map(([name, keys, wait]) => [name, ...keys, wait]),
  fc
    .tuple(setKey, zaddFlags, fc.array(fc.tuple(score, member), { maxLength: 3 }))
    .map(([k, flags, pairs]) => ["ZADD", k, ...flags, ...pairs.flat()]),
  fc.tuple(setKey, score, member).map(([k, by, m]) => ["ZINCRBY", k, by, m]),
  fc
    .tuple(fc.constantFrom("ZCOUNT", "ZREMRANGEBYSCORE"), setKey, score, score)
    .map((words) => [...words]),
  fc.tuple(fc.constantFrom("ZREMRANGEBYRANK"), setKey, count, count).map((words) => [...words]),
  fc
    .tuple(fc.constantFrom("ZRANGEBYSCORE", "ZREVRANGEBYSCORE"), setKey, score, score)
    .chain(([name, k, low, high]) =>
      rangeOptions.map((options) => [name, k, low, high, ...options]),
    ),
  fc
    .tuple(
      fc.constantFrom("ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZLEXCOUNT", "ZREMRANGEBYLEX"),
      setKey,
      lexBound,
      lexBound,
    )
    .map((words) => [...words]),
  fc
    .tuple(
      fc.constantFrom("ZRANGE", "ZREVRANGE"),
      setKey,
      count,
      count,
      fc.constantFrom([], ["WITHSCORES"], ["ZZ"]),
    )
    .map(([name, k, start, stop, options]) => [name, k, start, stop, ...options]),
  fc
    .tuple(
      setKey,
      fc.oneof(score, lexBound, count),
      fc.oneof(score, lexBound, count),
      zrangeOptions,
    )
    .map(([k, low, high, options]) => ["ZRANGE", k, low, high, ...options]),
  fc
    .constantFrom(
      ["SADD", "t"],
      ["ZADD", "z"],
      ["ZADD", "z", "1"],
      ["ZRANGE", "z", "0"],
      ["SET", "s", "v"],
    )
    .map((words) => [...words]),
);

/**
 * MULTI ... EXEC: blocks of queued commands ended by EXEC or DISCARD, after WATCH or not, with
 * the commands that are errors inside one (nested MULTI, WATCH, unknown or malformed commands)
 * among them; and the transaction commands alone, out of place. KEYS and SMEMBERS stay out of
 * blocks: `plain` sorts their replies only at the top level.
 */
const queueable = fc
  .oneof(command, collectionCommand)
  .filter((sent) => sent[0] !== "KEYS" && sent[0] !== "SMEMBERS");
const transactionWord = fc.constantFrom<string[]>(
  ["MULTI"],
  ["EXEC"],
  ["DISCARD"],
  ["UNWATCH"],
  ["WATCH", "s"],
  ["WATCH", "n", "h"],
  ["WATCH"],
  ["EXEC", "x"],
  ["MULTI", "x"],
);
const transactionBlock: fc.Arbitrary<string[][]> = fc
  .tuple(
    fc.constantFrom<string[][]>([], [["WATCH", "s"]], [["WATCH", "s", "missing", "l"]]),
    fc.array(queueable, { maxLength: 2 }),
    fc.array(fc.oneof({ arbitrary: queueable, weight: 6 }, transactionWord), { maxLength: 5 }),
    fc.constantFrom<string[]>(["EXEC"], ["DISCARD"]),
  )
  .map(([watch, between, body, end]) => [...watch, ...between, ["MULTI"], ...body, end]);
const transactionSequence: fc.Arbitrary<string[][]> = fc
  .array(
    fc.oneof(
      { arbitrary: transactionBlock, weight: 3 },
      { arbitrary: queueable.map((sent) => [sent]), weight: 2 },
      { arbitrary: transactionWord.map((sent) => [sent]), weight: 1 },
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((blocks) => blocks.flat());

/**
 * A command run inside a script, `EVAL "return redis.pcall(unpack(ARGV))" 0 <command>`: its
 * reply goes through Redis's conversions both ways, its error comes back as an error table. Not
 * the commands onelog refuses in scripts (those that read every key, decision 0020), not the
 * ones whose members come in each server's own order (sorted only at the top level), not the
 * blocking ones, which Redis 7.0 refuses in scripts with a different error.
 */
const notScripted = new Set([
  "KEYS",
  "SCAN",
  "RANDOMKEY",
  "DBSIZE",
  "FLUSHALL",
  "FLUSHDB",
  "SMEMBERS",
  "SINTER",
  "SUNION",
  "SDIFF",
  "SSCAN",
  "HSCAN",
  "ZSCAN",
  "BLPOP",
  "BRPOP",
  "BLMOVE",
  "BLMPOP",
  "BRPOPLPUSH",
  "BZPOPMIN",
  "BZPOPMAX",
  "BZMPOP",
  "WAIT",
  "WAITAOF",
]);
const scripted: fc.Arbitrary<string[]> = queueable
  .filter((sent) => sent.length > 0 && !notScripted.has((sent[0] as string).toUpperCase()))
  .map((sent) => ["EVAL", "return redis.pcall(unpack(ARGV))", "0", ...sent]);

/** Byte streams a client might send, well formed or not (networking.c processInlineBuffer, processMultibulkBuffer). */
const rawPayloads = [
  "PING\r\n",
  "ping\n",
  "  PING   hello  \r\n",
  'SET a "b c"\r\nGET a\r\n',
  'GET "a\r\n',
  "ECHO 'it''s'\r\n",
  'ECHO "\\x41\\n"\r\n',
  "\r\n",
  "\n\n",
  "*0\r\n",
  "*-1\r\n",
  "*1\r\n$-1\r\n",
  "*1\r\n$x\r\n",
  "*1\r\nfoo\r\n",
  "*x\r\n",
  "*2000000000\r\n",
  "*1\r\n$999999999999\r\n",
  "*1\r\n$4\r\nPINGxx",
  "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
  "$3\r\nabc\r\n",
  ":1\r\n",
  "*1\r\n$4\r\nQUIT\r\nPING\r\n",
  '"unbalanced\r\n',
  'ECHO "a"b\r\n',
  "*1\r\n$ 4\r\nping\r\n",
  "*+1\r\n$4\r\nping\r\n",
  "*01\r\n$04\r\nping\r\n",
];

/** A reply as plain data: errors as their text, KEYS and SMEMBERS sorted. */
function plain(reply: unknown, sent: readonly string[]): unknown {
  if (reply instanceof Error) return { error: reply.message };
  if (Buffer.isBuffer(reply)) return reply.toString("latin1");
  if (reply instanceof Map) return [...reply].map(([k, v]) => [plain(k, sent), plain(v, sent)]);
  if (reply instanceof Set) return plain([...reply], ["SMEMBERS"]);
  if (Array.isArray(reply)) {
    const items = reply.map((item) => plain(item, sent));
    // SSCAN's members: an intset answers them in numeric order, a hash table in its own.
    if (sent[0] === "SSCAN" && Array.isArray(items[1])) return [items[0], [...items[1]].sort()];
    // Redis answers these in its hash tables' order, onelog in byte order.
    return ["KEYS", "SMEMBERS", "SINTER", "SUNION", "SDIFF"].includes(sent[0] as string)
      ? items.sort()
      : items;
  }
  return reply;
}

async function replyOf(client: Client, sent: string[]): Promise<unknown> {
  try {
    return plain(await client.sendCommand(sent), sent);
  } catch (error) {
    return plain(error, sent);
  }
}

describe("onelog answers as redis-server does", () => {
  let servers: BesideRedis;
  let ports: { redis: number; onelog: number };
  const clients: Array<{ protocol: 2 | 3; redis: Client; onelog: Client }> = [];

  before(async () => {
    servers = await BesideRedis.start("redis-diff");
    ports = { redis: servers.redisPort, onelog: servers.onelogPort };
    for (const protocol of [2, 3] as const) {
      clients.push({
        protocol,
        redis: await open(ports.redis, protocol),
        onelog: await open(ports.onelog, protocol),
      });
    }
  });

  after(async () => {
    for (const { redis, onelog } of clients) {
      redis.destroy();
      onelog.destroy();
    }
    await servers?.stop();
  });

  it("answers the same bytes to inline commands and malformed streams, and closes alike", async () => {
    // Each payload on connections of its own, all at once: the wait for silence is paid once.
    const answers = await Promise.all(
      rawPayloads.map((payload) =>
        Promise.all([
          exchange(ports.redis, payload, { quietMs: 400 }),
          exchange(ports.onelog, payload, { quietMs: 400 }),
        ]),
      ),
    );
    for (const [index, [expected, actual]] of answers.entries()) {
      assert.deepEqual(actual, expected, JSON.stringify(rawPayloads[index]));
    }
  });

  /** Sends `sequence` to both servers, from an empty keyspace and no transaction or watch. */
  async function sameReplies(pair: (typeof clients)[number], sequence: readonly string[][]) {
    for (const client of [pair.redis, pair.onelog]) {
      // DISCARD fails outside MULTI; either way no transaction or watched key is left.
      await replyOf(client, ["DISCARD"]);
      await client.sendCommand(["UNWATCH"]);
      await client.sendCommand(["FLUSHALL"]);
    }
    for (const sent of sequence) {
      const expected = await replyOf(pair.redis, sent);
      const actual = await replyOf(pair.onelog, sent);
      assert.deepEqual(actual, expected, `after ${JSON.stringify(sent)}`);
    }
  }

  it("answers OBJECT and MEMORY as redis-server does, but for what 7.0 encodes otherwise", async () => {
    // Not lists or sets of strings, which 7.0 encodes as quicklist and hashtable where 7.2 and
    // onelog (7.4) say listpack; not MEMORY USAGE's figure, an estimate (introspection.ts); not
    // OBJECT IDLETIME, which a slow run makes 1 on redis-server (onelog keeps no access times).
    const setup = [
      ["SET", "k", "value"],
      ["SET", "n", "123"],
      ["SET", "big", "a".repeat(60)],
      ["HSET", "h", "f", "v"],
      ["SADD", "s", "1", "2"],
      ["ZADD", "z", "1", "a"],
    ];
    const probes = [
      ...["k", "n", "big", "h", "s", "z", "missing"].map((key) => ["OBJECT", "ENCODING", key]),
      ["OBJECT", "REFCOUNT", "k"],
      ["OBJECT", "REFCOUNT", "n"],
      ["OBJECT", "REFCOUNT", "missing"],
      ["OBJECT", "FREQ", "k"],
      ["OBJECT", "FOO", "k"],
      ["OBJECT", "ENCODING"],
      ["OBJECT", "ENCODING", "k", "extra"],
      ["MEMORY", "USAGE", "missing"],
      ["MEMORY", "USAGE", "k", "SAMPLES", "x"],
      ["MEMORY", "USAGE", "k", "FOO"],
      ["MEMORY", "FOO"],
    ];
    for (const pair of clients) await sameReplies(pair, [...setup, ...probes]);
  });

  it("reads SCAN's cursor as redis-server does, over one key", async () => {
    // Not "-1": where a cursor lands in Redis's table depends on the hash seed of its start.
    const cursors = ["0", "", "+0", "-0", "00", "+", "-", " 1", "1x"];
    for (const pair of clients) {
      await sameReplies(pair, [["SET", "a", "1"], ...cursors.map((cursor) => ["SCAN", cursor])]);
    }
  });

  for (const protocol of [2, 3] as const) {
    it(`gives the same replies to random command sequences in RESP${protocol}`, async () => {
      const pair = clients.find((candidate) => candidate.protocol === protocol);
      assert.ok(pair);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(command, collectionCommand), { minLength: 1, maxLength: 8 }),
          (sequence) => sameReplies(pair, sequence),
        ),
        { numRuns: 150, seed: 20261127 + protocol },
      );
    });

    it(`gives the same replies to commands run inside scripts in RESP${protocol}`, async () => {
      const pair = clients.find((candidate) => candidate.protocol === protocol);
      assert.ok(pair);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(command, collectionCommand, scripted), { minLength: 1, maxLength: 8 }),
          (sequence) => sameReplies(pair, sequence),
        ),
        { numRuns: 150, seed: 20261129 + protocol },
      );
    });

    it(`gives the same replies to MULTI, EXEC, DISCARD and WATCH in RESP${protocol}`, async () => {
      const pair = clients.find((candidate) => candidate.protocol === protocol);
      assert.ok(pair);
      await fc.assert(
        fc.asyncProperty(transactionSequence, (sequence) => sameReplies(pair, sequence)),
        { numRuns: 150, seed: 20261128 + protocol },
      );
    });
  }
});
