/**
 * Redis edge cases of the commands and queries added for Redis compatibility, one table row or
 * test each, through the public state machine. Expected answers are Redis's, from
 * https://redis.io/docs/latest/commands/ (getrange/, lrange/, lpop/, hincrby/, setrange/,
 * incrbyfloat/, expire/, rename/, copy/, scan/) and the functions cited beside each table.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type ExpireCondition,
  type KvCommand,
  type KvQuery,
  type KvQueryResult,
  type KvResult,
  KvStateMachine,
} from "../../../src/core/state/index.js";

class Harness {
  readonly machine = new KvStateMachine();

  run(command: KvCommand, nowMs = 0): KvResult {
    return this.machine.apply(this.machine.appliedOffset, command, nowMs);
  }

  ask(query: KvQuery, nowMs = 0): KvQueryResult {
    return this.machine.query(query, this.machine.appliedOffset, nowMs);
  }
}

const count = (value: number): KvResult => ({ kind: "count", count: value });

describe("GETRANGE (getrangeCommand, redis/src/t_string.c)", () => {
  const table: Array<[number, number, string]> = [
    [0, 3, "This"],
    [-3, -1, "ing"],
    [0, -1, "This is a string"],
    [10, 100, "string"],
    [5, 3, ""],
    [-1, -5, ""], // both negative and start > end
    [-100, 3, "This"],
    [0, -100, "T"], // end clamps to 0
    [16, 20, ""],
  ];
  for (const [start, end, expected] of table) {
    test(`GETRANGE "This is a string" ${start} ${end} = "${expected}"`, () => {
      const kv = new Harness();
      kv.run({ kind: "set", key: "k", value: "This is a string" });
      assert.deepEqual(kv.ask({ kind: "getRange", key: "k", start, end }), {
        kind: "string",
        value: expected,
      });
    });
  }
  test("an absent key is the empty string; a list is wrong_type", () => {
    const kv = new Harness();
    assert.deepEqual(kv.ask({ kind: "getRange", key: "k", start: 0, end: -1 }), {
      kind: "string",
      value: "",
    });
    kv.run({ kind: "push", key: "k", side: "right", elements: ["a"] });
    assert.deepEqual(kv.ask({ kind: "getRange", key: "k", start: 0, end: -1 }), {
      kind: "error",
      code: "wrong_type",
    });
  });
});

describe("LRANGE (lrangeCommand, redis/src/t_list.c)", () => {
  const table: Array<[number, number, string[]]> = [
    [0, 0, ["one"]],
    [-3, 2, ["one", "two", "three"]],
    [-100, 100, ["one", "two", "three"]],
    [5, 10, []],
    [0, -1, ["one", "two", "three"]],
    [-1, -1, ["three"]],
    [2, 1, []],
    [0, -4, []],
  ];
  for (const [start, stop, expected] of table) {
    test(`LRANGE [one two three] ${start} ${stop}`, () => {
      const kv = new Harness();
      kv.run({ kind: "push", key: "l", side: "right", elements: ["one", "two", "three"] });
      assert.deepEqual(kv.ask({ kind: "lrange", key: "l", start, stop }), {
        kind: "strings",
        values: expected,
      });
    });
  }
});

describe("LPUSH, LPOP and RPOP with count", () => {
  test("LPUSH pushes each element in turn; LPUSHX on an absent key does nothing", () => {
    const kv = new Harness();
    assert.deepEqual(
      kv.run({ kind: "push", key: "l", side: "left", elements: ["x"], onlyIfExists: true }),
      count(0),
    );
    assert.deepEqual(kv.ask({ kind: "type", key: "l" }), { kind: "type", type: "none" });
    assert.deepEqual(
      kv.run({ kind: "push", key: "l", side: "left", elements: ["a", "b", "c"] }),
      count(3),
    );
    assert.deepEqual(kv.ask({ kind: "lrange", key: "l", start: 0, stop: -1 }), {
      kind: "strings",
      values: ["c", "b", "a"],
    });
  });
  test("a count beyond the length pops all, in pop order, and deletes the key", () => {
    const kv = new Harness();
    kv.run({ kind: "push", key: "l", side: "right", elements: ["a", "b"] });
    assert.deepEqual(kv.run({ kind: "pop", key: "l", side: "right", count: 5 }), {
      kind: "popped",
      elements: ["b", "a"],
    });
    assert.deepEqual(kv.ask({ kind: "exists", keys: ["l"] }), count(0));
    assert.deepEqual(kv.run({ kind: "pop", key: "l", side: "left", count: 2 }), {
      kind: "popped",
      elements: null,
    });
  });
  test("count 0 on an existing list answers an empty array and keeps the list", () => {
    const kv = new Harness();
    kv.run({ kind: "push", key: "l", side: "right", elements: ["a"] });
    assert.deepEqual(kv.run({ kind: "pop", key: "l", side: "left", count: 0 }), {
      kind: "popped",
      elements: [],
    });
    assert.deepEqual(kv.ask({ kind: "llen", key: "l" }), count(1));
  });
  test("popping keeps the list's expiry", () => {
    const kv = new Harness();
    kv.run({ kind: "push", key: "l", side: "right", elements: ["a", "b"] });
    kv.run({ kind: "expire", key: "l", expireAtMs: 100 });
    kv.run({ kind: "pop", key: "l", side: "left" });
    assert.deepEqual(kv.ask({ kind: "ttl", key: "l" }, 40), {
      kind: "ttl",
      remainingMs: 60,
      expireAtMs: 100,
    });
  });
});

describe("hashes", () => {
  test("HINCRBY on a non-integer field is an error and changes nothing", () => {
    const kv = new Harness();
    kv.run({
      kind: "hset",
      key: "h",
      pairs: [
        ["f", "1.5"],
        ["g", "01"],
      ],
    });
    for (const field of ["f", "g"]) {
      assert.deepEqual(kv.run({ kind: "hincrBy", key: "h", field, by: 1n }), {
        kind: "error",
        code: "hash_not_integer",
      });
    }
    assert.deepEqual(kv.ask({ kind: "hgetall", key: "h" }), {
      kind: "pairs",
      pairs: [
        ["f", "1.5"],
        ["g", "01"],
      ],
    });
  });
  test("HINCRBY past 64 bits overflows; on an absent field starts at 0", () => {
    const kv = new Harness();
    kv.run({ kind: "hset", key: "h", pairs: [["f", "9223372036854775807"]] });
    assert.deepEqual(kv.run({ kind: "hincrBy", key: "h", field: "f", by: 1n }), {
      kind: "error",
      code: "overflow",
    });
    assert.deepEqual(kv.run({ kind: "hincrBy", key: "h", field: "n", by: -5n }), {
      kind: "integer",
      value: -5n,
    });
  });
  test("HSET counts new fields only; HDEL of the last field deletes the key", () => {
    const kv = new Harness();
    assert.deepEqual(
      kv.run({
        kind: "hset",
        key: "h",
        pairs: [
          ["a", "1"],
          ["a", "2"],
        ],
      }),
      count(1),
    );
    assert.deepEqual(
      kv.run({
        kind: "hset",
        key: "h",
        pairs: [
          ["a", "3"],
          ["b", "4"],
        ],
      }),
      count(1),
    );
    assert.deepEqual(kv.ask({ kind: "hmget", key: "h", fields: ["a", "x", "b"] }), {
      kind: "strings",
      values: ["3", null, "4"],
    });
    assert.deepEqual(kv.run({ kind: "hdel", key: "h", fields: ["a", "a", "b", "z"] }), count(2));
    assert.deepEqual(kv.ask({ kind: "type", key: "h" }), { kind: "type", type: "none" });
  });
  test("a string command on a hash, and a hash command on a string, are wrong_type", () => {
    const kv = new Harness();
    kv.run({ kind: "hset", key: "h", pairs: [["a", "1"]] });
    kv.run({ kind: "set", key: "s", value: "v" });
    const wrongType = { kind: "error", code: "wrong_type" };
    assert.deepEqual(kv.run({ kind: "append", key: "h", value: "x" }), wrongType);
    assert.deepEqual(kv.run({ kind: "incr", key: "h", by: 1n }), wrongType);
    assert.deepEqual(kv.run({ kind: "hset", key: "s", pairs: [["a", "1"]] }), wrongType);
    assert.deepEqual(kv.ask({ kind: "hget", key: "s", field: "a" }), wrongType);
    assert.deepEqual(kv.ask({ kind: "mget", keys: ["h", "s"] }), {
      kind: "strings",
      values: [null, "v"],
    });
  });
});

describe("SETRANGE (setrangeCommand, redis/src/t_string.c)", () => {
  test("past the end pads with zero bytes", () => {
    const kv = new Harness();
    kv.run({ kind: "set", key: "k", value: "Hello" });
    assert.deepEqual(kv.run({ kind: "setRange", key: "k", offsetBytes: 8, value: "X" }), count(9));
    assert.deepEqual(kv.ask({ kind: "getRange", key: "k", start: 0, end: -1 }), {
      kind: "string",
      value: "Hello\x00\x00\x00X",
    });
  });
  test("inside the string overwrites; on an absent key pads from nothing", () => {
    const kv = new Harness();
    kv.run({ kind: "set", key: "k", value: "Hello World" });
    assert.deepEqual(
      kv.run({ kind: "setRange", key: "k", offsetBytes: 6, value: "Redis" }),
      count(11),
    );
    assert.deepEqual(kv.ask({ kind: "mget", keys: ["k"] }), {
      kind: "strings",
      values: ["Hello Redis"],
    });
    assert.deepEqual(kv.run({ kind: "setRange", key: "n", offsetBytes: 2, value: "a" }), count(3));
    assert.deepEqual(kv.ask({ kind: "mget", keys: ["n"] }), {
      kind: "strings",
      values: ["\x00\x00a"],
    });
  });
  test("an empty value answers the length and creates no key", () => {
    const kv = new Harness();
    assert.deepEqual(kv.run({ kind: "setRange", key: "n", offsetBytes: 5, value: "" }), count(0));
    assert.deepEqual(kv.ask({ kind: "exists", keys: ["n"] }), count(0));
  });
  test("up to 8 MiB is written, past it is string_too_long", () => {
    const kv = new Harness();
    const limit = 8 * 1024 * 1024;
    assert.deepEqual(
      kv.run({ kind: "setRange", key: "n", offsetBytes: limit - 1, value: "x" }),
      count(limit),
    );
    assert.deepEqual(kv.run({ kind: "setRange", key: "n", offsetBytes: limit, value: "x" }), {
      kind: "error",
      code: "string_too_long",
    });
    assert.deepEqual(
      kv.run({ kind: "setRange", key: "n", offsetBytes: 512 * 1024 * 1024, value: "x" }),
      {
        kind: "error",
        code: "string_too_long",
      },
    );
    assert.deepEqual(kv.ask({ kind: "strlen", key: "n" }), count(limit), "refusals change nothing");
  });
});

describe("APPEND (appendCommand)", () => {
  test("growing a string past 8 MiB is string_too_long and leaves it as it was", () => {
    const kv = new Harness();
    const mebibyte = "m".repeat(1024 * 1024);
    for (let size = 1; size <= 8; size++) {
      assert.deepEqual(
        kv.run({ kind: "append", key: "k", value: mebibyte }),
        count(size * 1024 * 1024),
      );
    }
    assert.deepEqual(kv.run({ kind: "append", key: "k", value: "x" }), {
      kind: "error",
      code: "string_too_long",
    });
    assert.deepEqual(kv.ask({ kind: "strlen", key: "k" }), count(8 * 1024 * 1024));
  });
});

describe("INCRBYFLOAT (incrbyfloatCommand)", () => {
  // redis-server 7.0.15 (x86-64) answers INCRBYFLOAT k 1e308 on k = "1e308" with this.
  const twoE308 =
    "199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096";
  const table: Array<[string | undefined, string, KvResult]> = [
    ["10.50", "0.1", { kind: "float", value: "10.6" }],
    [undefined, "3.0e3", { kind: "float", value: "3000" }],
    ["5.0e3", "2.0e2", { kind: "float", value: "5200" }],
    ["0.1", "0.2", { kind: "float", value: "0.3" }],
    ["3", "-3", { kind: "float", value: "0" }],
    ["abc", "1", { kind: "error", code: "not_float" }],
    ["1", "x", { kind: "error", code: "not_float" }],
    ["1", "inf", { kind: "error", code: "nan_or_infinity" }],
    // Long double reaches 1.19e4932, so 2e308 is a number, as in Redis.
    ["1e308", "1e308", { kind: "float", value: twoE308 }],
    ["1e4932", "1e4932", { kind: "error", code: "nan_or_infinity" }],
  ];
  for (const [stored, by, expected] of table) {
    test(`${stored ?? "(absent)"} + ${by}`, () => {
      const kv = new Harness();
      if (stored !== undefined) kv.run({ kind: "set", key: "k", value: stored });
      assert.deepEqual(kv.run({ kind: "incrByFloat", key: "k", by }), expected);
      const held = expected.kind === "float" ? expected.value : (stored ?? null);
      assert.deepEqual(kv.ask({ kind: "mget", keys: ["k"] }), { kind: "strings", values: [held] });
    });
  }
});

describe("LTRIM (ltrimCommand)", () => {
  // What redis-server 7.0.15 leaves of a b c d e after LTRIM start stop ([] deletes the key).
  const table: Array<[number, number, string[]]> = [
    [0, -1, ["a", "b", "c", "d", "e"]],
    [1, 2, ["b", "c"]],
    [1, -1, ["b", "c", "d", "e"]],
    [-2, -1, ["d", "e"]],
    [2, 1, []],
    [5, 10, []],
    [-100, 1, ["a", "b"]],
    [0, 0, ["a"]],
    [-1, -100, []],
    [3, 3, ["d"]],
    [1, 100, ["b", "c", "d", "e"]],
  ];
  for (const [start, stop, left] of table) {
    test(`${start} ${stop} leaves [${left.join(" ")}]`, () => {
      const kv = new Harness();
      kv.run({ kind: "push", key: "l", side: "right", elements: ["a", "b", "c", "d", "e"] });
      assert.deepEqual(kv.run({ kind: "ltrim", key: "l", start, stop }), { kind: "ok" });
      assert.deepEqual(kv.ask({ kind: "lrange", key: "l", start: 0, stop: -1 }), {
        kind: "strings",
        values: left,
      });
      assert.deepEqual(kv.ask({ kind: "exists", keys: ["l"] }), {
        kind: "count",
        count: left.length > 0 ? 1 : 0,
      });
    });
  }
  test("an absent key is OK, another type WRONGTYPE", () => {
    const kv = new Harness();
    kv.run({ kind: "set", key: "s", value: "v" });
    assert.deepEqual(kv.run({ kind: "ltrim", key: "missing", start: 0, stop: 1 }), { kind: "ok" });
    assert.deepEqual(kv.run({ kind: "ltrim", key: "s", start: 0, stop: 1 }), {
      kind: "error",
      code: "wrong_type",
    });
  });
});

describe("LSET, LINSERT and LREM (lsetCommand, linsertCommand, lremCommand)", () => {
  // One session with redis-server 7.0.15, from l = a b c a b a and s = "v", in order.
  const steps: Array<[KvCommand, KvResult, string[]]> = [
    [{ kind: "lset", key: "missing", index: 0, element: "v" }, failed("no_such_key"), []],
    [{ kind: "lset", key: "s", index: 0, element: "v" }, failed("wrong_type"), []],
    [{ kind: "lset", key: "l", index: 10, element: "v" }, failed("index_out_of_range"), []],
    [{ kind: "lset", key: "l", index: -1, element: "z" }, { kind: "ok" }, []],
    [{ kind: "lrem", key: "missing", count: 0, element: "a" }, counted(0), []],
    [{ kind: "lrem", key: "s", count: 0, element: "a" }, failed("wrong_type"), []],
    [linsert("missing", false, "a"), counted(0), []],
    [linsert("s", false, "a"), failed("wrong_type"), []],
    [linsert("l", false, "nope"), counted(-1), []],
    [linsert("l", true, "a"), counted(7), ["a", "x", "b", "c", "a", "b", "z"]],
    [{ kind: "lrem", key: "l", count: -2, element: "a" }, counted(2), ["x", "b", "c", "b", "z"]],
    [{ kind: "lrem", key: "l", count: 0, element: "b" }, counted(2), ["x", "c", "z"]],
    [{ kind: "lrem", key: "l", count: 1, element: "z" }, counted(1), ["x", "c"]],
  ];
  test("answer and leave what Redis does, step by step", () => {
    const kv = new Harness();
    kv.run({ kind: "set", key: "s", value: "v" });
    kv.run({ kind: "push", key: "l", side: "right", elements: ["a", "b", "c", "a", "b", "a"] });
    for (const [command, expected, left] of steps) {
      assert.deepEqual(kv.run(command), expected, JSON.stringify(command));
      if (left.length === 0) continue;
      assert.deepEqual(kv.ask({ kind: "lrange", key: "l", start: 0, stop: -1 }), {
        kind: "strings",
        values: left,
      });
    }
  });
  test("LREM of every element deletes the list", () => {
    const kv = new Harness();
    kv.run({ kind: "push", key: "l", side: "right", elements: ["a", "a"] });
    assert.deepEqual(kv.run({ kind: "lrem", key: "l", count: 0, element: "a" }), counted(2));
    assert.deepEqual(kv.ask({ kind: "exists", keys: ["l"] }), counted(0));
  });
});

function failed(code: Extract<KvResult, { kind: "error" }>["code"]): KvResult {
  return { kind: "error", code };
}

function counted(count: number): { kind: "count"; count: number } {
  return { kind: "count", count };
}

function linsert(key: string, after: boolean, pivot: string): KvCommand {
  return { kind: "linsert", key, after, pivot, element: "x" };
}

describe("ZREMRANGEBYSCORE and ZREMRANGEBYRANK (zremrangeGenericCommand)", () => {
  const bound = (score: number, exclusive = false) => ({ score, exclusive });
  // What redis-server 7.0.15 answers on z = {a:1 b:2 c:3 d:4 e:5}, and what it leaves.
  const table: Array<[KvCommand, number, string[]]> = [
    [{ kind: "zremRange", key: "z", by: "score", min: bound(2), max: bound(4) }, 3, ["a", "e"]],
    [
      { kind: "zremRange", key: "z", by: "score", min: bound(2, true), max: bound(4) },
      2,
      ["a", "b", "e"],
    ],
    [
      { kind: "zremRange", key: "z", by: "score", min: bound(-Infinity), max: bound(3, true) },
      2,
      ["c", "d", "e"],
    ],
    [
      { kind: "zremRange", key: "z", by: "score", min: bound(4), max: bound(2) },
      0,
      ["a", "b", "c", "d", "e"],
    ],
    [{ kind: "zremRange", key: "z", by: "rank", start: 1, stop: 2 }, 2, ["a", "d", "e"]],
    [{ kind: "zremRange", key: "z", by: "rank", start: -2, stop: -1 }, 2, ["a", "b", "c"]],
    [{ kind: "zremRange", key: "z", by: "rank", start: 0, stop: -1 }, 5, []],
    [{ kind: "zremRange", key: "z", by: "rank", start: 3, stop: 1 }, 0, ["a", "b", "c", "d", "e"]],
    [{ kind: "zremRange", key: "z", by: "rank", start: -100, stop: 0 }, 1, ["b", "c", "d", "e"]],
    [{ kind: "zremRange", key: "z", by: "rank", start: 5, stop: 10 }, 0, ["a", "b", "c", "d", "e"]],
  ];
  for (const [command, removed, left] of table) {
    test(`${JSON.stringify(command)} removes ${removed}`, () => {
      const kv = new Harness();
      const entries: Array<[string, number]> = [
        ["a", 1],
        ["b", 2],
        ["c", 3],
        ["d", 4],
        ["e", 5],
      ];
      kv.run({ kind: "zadd", key: "z", entries });
      assert.deepEqual(kv.run(command), { kind: "count", count: removed });
      const range = { by: "rank", start: 0, stop: -1 } as const;
      const held = kv.ask({ kind: "zrange", key: "z", range });
      assert.deepEqual(
        held.kind === "scored" ? held.entries.map(([member]) => member) : held,
        left,
      );
    });
  }
});

describe("HINCRBYFLOAT (hincrbyfloatCommand)", () => {
  // What redis-server 7.0.15 (x86-64) answers, in this order, on h = {f: 10.5, n: abc, i: inf}.
  test("adds in long double and answers Redis's texts", () => {
    const kv = new Harness();
    kv.run({
      kind: "hset",
      key: "h",
      pairs: [
        ["f", "10.5"],
        ["n", "abc"],
        ["i", "inf"],
      ],
    });
    kv.run({ kind: "set", key: "s", value: "v" });
    const incr = (key: string, field: string, by: string) =>
      kv.run({ kind: "hincrByFloat", key, field, by });
    assert.deepEqual(incr("h", "f", "0.1"), { kind: "float", value: "10.6" });
    assert.deepEqual(incr("h", "g", "300"), { kind: "float", value: "300" });
    assert.deepEqual(incr("h", "g", "0.1"), { kind: "float", value: "300.10000000000000001" });
    assert.deepEqual(incr("h", "n", "1"), { kind: "error", code: "hash_not_float" });
    assert.deepEqual(incr("h", "i", "1"), { kind: "error", code: "nan_or_infinity" });
    assert.deepEqual(incr("h", "f", "0x10"), { kind: "float", value: "26.6" });
    assert.deepEqual(incr("s", "f", "1"), { kind: "error", code: "wrong_type" });
    // The increment is read before the key's type.
    assert.deepEqual(incr("s", "f", "x"), { kind: "error", code: "not_float" });
    assert.equal(incr("h", "f", "1e4932").kind, "float");
    assert.deepEqual(incr("h", "f", "1e4932"), { kind: "error", code: "nan_or_infinity" });
    assert.deepEqual(kv.ask({ kind: "hget", key: "h", field: "g" }), {
      kind: "string",
      value: "300.10000000000000001",
    });
  });
});

describe("EXPIRE conditions (expireGenericCommand, redis/src/expire.c)", () => {
  // [current expiry or none, conditions, new expiry, answer]
  const table: Array<[number | undefined, ExpireCondition[], number, 0 | 1]> = [
    [undefined, ["nx"], 50, 1],
    [30, ["nx"], 50, 0],
    [undefined, ["xx"], 50, 0],
    [30, ["xx"], 50, 1],
    [undefined, ["gt"], 50, 0], // no expiry is infinite: nothing is greater
    [30, ["gt"], 50, 1],
    [30, ["gt"], 30, 0],
    [30, ["gt"], 20, 0],
    [undefined, ["lt"], 50, 1], // anything is less than infinite
    [30, ["lt"], 20, 1],
    [30, ["lt"], 30, 0],
    [30, ["lt"], 50, 0],
    [undefined, ["xx", "lt"], 50, 0],
    [30, ["xx", "lt"], 20, 1],
  ];
  for (const [current, conditions, next, answer] of table) {
    test(`expiry ${current ?? "none"}, ${conditions.join(" ")} ${next} → ${answer}`, () => {
      const kv = new Harness();
      kv.run({
        kind: "set",
        key: "k",
        value: "v",
        ...(current === undefined ? {} : { expireAtMs: current }),
      });
      assert.deepEqual(
        kv.run({ kind: "expire", key: "k", expireAtMs: next, conditions }, 10),
        count(answer),
      );
      const expected = answer === 1 ? next : (current ?? -1);
      assert.equal(
        (kv.ask({ kind: "ttl", key: "k" }, 10) as { expireAtMs: number }).expireAtMs,
        expected,
      );
    });
  }
  test("an expiry in the past deletes the key and answers 1; an absent key answers 0", () => {
    const kv = new Harness();
    kv.run({ kind: "set", key: "k", value: "v" });
    assert.deepEqual(kv.run({ kind: "expire", key: "k", expireAtMs: 5 }, 10), count(1));
    assert.deepEqual(kv.ask({ kind: "ttl", key: "k" }, 0), {
      kind: "ttl",
      remainingMs: -2,
      expireAtMs: -2,
    });
    assert.deepEqual(kv.run({ kind: "expire", key: "k", expireAtMs: 50 }, 10), count(0));
  });
  test("PERSIST removes an expiry once", () => {
    const kv = new Harness();
    kv.run({ kind: "set", key: "k", value: "v", expireAtMs: 50 });
    assert.deepEqual(kv.run({ kind: "persist", key: "k" }), count(1));
    assert.deepEqual(kv.run({ kind: "persist", key: "k" }), count(0));
    assert.deepEqual(kv.ask({ kind: "ttl", key: "k" }), {
      kind: "ttl",
      remainingMs: -1,
      expireAtMs: -1,
    });
  });
});

describe("RENAME and COPY (redis/src/db.c)", () => {
  test("RENAME onto itself answers OK and changes nothing; RENAMENX answers 0", () => {
    const kv = new Harness();
    kv.run({ kind: "set", key: "k", value: "v", expireAtMs: 50 });
    const before = kv.machine.appliedOffset;
    assert.deepEqual(kv.run({ kind: "rename", source: "k", destination: "k" }), { kind: "ok" });
    assert.deepEqual(kv.run({ kind: "rename", source: "k", destination: "k", nx: true }), {
      kind: "not_applied",
    });
    assert.deepEqual(kv.ask({ kind: "get", key: "k" }), {
      kind: "value",
      value: { type: "string", data: "v" },
      version: before - 1,
    });
  });
  test("RENAME of an absent key is no_such_key, even onto itself", () => {
    const kv = new Harness();
    for (const destination of ["d", "k"]) {
      assert.deepEqual(kv.run({ kind: "rename", source: "k", destination }), {
        kind: "error",
        code: "no_such_key",
      });
    }
  });
  test("RENAME moves the value and its expiry over a destination of another type", () => {
    const kv = new Harness();
    kv.run({ kind: "hset", key: "s", pairs: [["f", "v"]] });
    kv.run({ kind: "expire", key: "s", expireAtMs: 50 });
    kv.run({ kind: "push", key: "d", side: "left", elements: ["x"] });
    assert.deepEqual(kv.run({ kind: "rename", source: "s", destination: "d" }), { kind: "ok" });
    assert.deepEqual(kv.ask({ kind: "keys", pattern: "*" }), { kind: "keys", keys: ["d"] });
    assert.deepEqual(kv.ask({ kind: "ttl", key: "d" }), {
      kind: "ttl",
      remainingMs: 50,
      expireAtMs: 50,
    });
    assert.deepEqual(kv.ask({ kind: "type", key: "d" }), { kind: "type", type: "hash" });
  });
  test("COPY without REPLACE onto an existing key answers 0; with REPLACE, 1", () => {
    const kv = new Harness();
    kv.run({ kind: "set", key: "s", value: "new" });
    kv.run({ kind: "set", key: "d", value: "old" });
    assert.deepEqual(kv.run({ kind: "copy", source: "s", destination: "d" }), count(0));
    assert.deepEqual(kv.ask({ kind: "mget", keys: ["d"] }), { kind: "strings", values: ["old"] });
    assert.deepEqual(
      kv.run({ kind: "copy", source: "s", destination: "d", replace: true }),
      count(1),
    );
    assert.deepEqual(kv.ask({ kind: "mget", keys: ["s", "d"] }), {
      kind: "strings",
      values: ["new", "new"],
    });
    assert.deepEqual(kv.run({ kind: "copy", source: "s", destination: "s" }), {
      kind: "error",
      code: "same_object",
    });
  });
});

describe("the keyspace", () => {
  test("KEYS * and SCAN MATCH * include the empty key; EXISTS counts a key named twice twice", () => {
    const kv = new Harness();
    kv.run({
      kind: "mset",
      pairs: [
        ["", "e"],
        ["a", "1"],
        ["a", "2"],
      ],
    });
    assert.deepEqual(kv.ask({ kind: "keys", pattern: "*" }), { kind: "keys", keys: ["", "a"] });
    assert.deepEqual(kv.ask({ kind: "scan", cursor: "0", count: 10, pattern: "*" }), {
      kind: "scan",
      cursor: "0",
      keys: ["", "a"],
    });
    assert.deepEqual(kv.ask({ kind: "exists", keys: ["a", "a", "z"] }), count(2));
    assert.deepEqual(kv.ask({ kind: "mget", keys: ["a"] }), { kind: "strings", values: ["2"] });
  });
  test("HSCAN, SSCAN and ZSCAN MATCH * include the empty field or member, small and large", () => {
    for (const size of [1, 200]) {
      const kv = new Harness();
      const others = Array.from({ length: size }, (_, index) => `m${index}`);
      kv.run({ kind: "sadd", key: "s", members: ["", ...others] });
      kv.run({
        kind: "hset",
        key: "h",
        pairs: [["", "v"], ...others.map((m): [string, string] => [m, "v"])],
      });
      kv.run({
        kind: "zadd",
        key: "z",
        entries: [["", 1], ...others.map((m): [string, number] => [m, 2])],
      });
      for (const [key, type] of [
        ["s", "set"],
        ["h", "hash"],
        ["z", "zset"],
      ] as const) {
        const seen: string[] = [];
        let cursor = "0";
        do {
          const answer = kv.ask({ kind: "memberScan", key, type, cursor, count: 7, pattern: "*" });
          assert.equal(answer.kind, "memberScan");
          if (answer.kind !== "memberScan") return;
          seen.push(...answer.items.map(([member]) => member));
          cursor = answer.cursor;
        } while (cursor !== "0");
        assert.deepEqual(seen.sort(), ["", ...others].sort(), `${type} of ${size + 1}`);
      }
    }
  });
  test("a SCAN walk returns every key present throughout exactly once, whatever is written between calls", () => {
    const kv = new Harness();
    const kept = ["k1", "k3", "k5", "k7", "k9"];
    for (const key of kept) kv.run({ kind: "set", key, value: "v" });
    kv.run({ kind: "set", key: "k2", value: "doomed" });
    const walked: string[] = [];
    let cursor = "0";
    let step = 0;
    do {
      const page = kv.machine.query(
        { kind: "scan", cursor, count: 2 },
        kv.machine.appliedOffset,
        0,
      );
      walked.push(...page.keys.filter((key) => kept.includes(key)));
      cursor = page.cursor;
      // Between calls: a key before the cursor goes, keys appear on both sides of it.
      kv.run({ kind: "del", keys: ["k2"] });
      kv.run({ kind: "set", key: `k${step}x`, value: "new" });
      step += 1;
    } while (cursor !== "0");
    assert.deepEqual(walked, kept);
  });
  test("expiredKeys names held keys past their expiry, which DEL then removes", () => {
    const kv = new Harness();
    kv.run({ kind: "set", key: "a", value: "1", expireAtMs: 10 });
    kv.run({ kind: "set", key: "b", value: "1", expireAtMs: 30 });
    kv.run({ kind: "set", key: "c", value: "1" });
    assert.deepEqual(kv.ask({ kind: "expiredKeys", limit: 10 }, 20), { kind: "keys", keys: ["a"] });
    assert.deepEqual(kv.ask({ kind: "dbSize" }, 20), count(2));
    assert.deepEqual(kv.run({ kind: "del", keys: ["a"] }, 20), count(0));
    assert.deepEqual(kv.ask({ kind: "expiredKeys", limit: 10 }, 40), { kind: "keys", keys: ["b"] });
    assert.deepEqual(kv.ask({ kind: "expiredKeys", limit: 0 }, 40), { kind: "keys", keys: [] });
  });
  test("RANDOMKEY is the present key at the seed's position; null on an empty keyspace", () => {
    const kv = new Harness();
    assert.deepEqual(kv.ask({ kind: "randomKey", seed: 3 }), { kind: "key", key: null });
    kv.run({
      kind: "mset",
      pairs: [
        ["b", "1"],
        ["a", "1"],
        ["c", "1"],
      ],
    });
    assert.deepEqual(kv.ask({ kind: "randomKey", seed: 4 }), { kind: "key", key: "b" });
  });
  test("FLUSHALL deletes every key, and reads before it still see them", () => {
    const kv = new Harness();
    kv.run({
      kind: "mset",
      pairs: [
        ["a", "1"],
        ["b", "2"],
      ],
    });
    kv.run({ kind: "hset", key: "h", pairs: [["f", "v"]] });
    const before = kv.machine.appliedOffset;
    assert.deepEqual(kv.run({ kind: "flushAll" }), { kind: "ok" });
    assert.deepEqual(kv.ask({ kind: "dbSize" }), count(0));
    assert.deepEqual(kv.machine.query({ kind: "dbSize" }, before, 0), count(3));
  });
  test("GETEX changes the expiry; GETDEL deletes; both answer the value", () => {
    const kv = new Harness();
    kv.run({ kind: "set", key: "k", value: "v" });
    assert.deepEqual(kv.run({ kind: "getEx", key: "k", expireAtMs: 40 }, 10), {
      kind: "old",
      value: "v",
    });
    assert.deepEqual(kv.ask({ kind: "ttl", key: "k" }, 10), {
      kind: "ttl",
      remainingMs: 30,
      expireAtMs: 40,
    });
    assert.deepEqual(kv.run({ kind: "getEx", key: "k", persist: true }, 10), {
      kind: "old",
      value: "v",
    });
    assert.deepEqual(kv.ask({ kind: "ttl", key: "k" }, 10), {
      kind: "ttl",
      remainingMs: -1,
      expireAtMs: -1,
    });
    assert.deepEqual(kv.run({ kind: "getDel", key: "k" }), { kind: "old", value: "v" });
    assert.deepEqual(kv.run({ kind: "getDel", key: "k" }), { kind: "old", value: null });
    kv.run({ kind: "set", key: "p", value: "w" });
    assert.deepEqual(kv.run({ kind: "getEx", key: "p", expireAtMs: 5 }, 10), {
      kind: "old",
      value: "w",
    });
    assert.deepEqual(kv.ask({ kind: "exists", keys: ["p"] }, 0), count(0));
  });
  test("MSETNX sets nothing when any key exists, even of another type", () => {
    const kv = new Harness();
    kv.run({ kind: "push", key: "l", side: "left", elements: ["x"] });
    assert.deepEqual(
      kv.run({
        kind: "msetNx",
        pairs: [
          ["a", "1"],
          ["l", "2"],
        ],
      }),
      count(0),
    );
    assert.deepEqual(kv.ask({ kind: "exists", keys: ["a"] }), count(0));
    assert.deepEqual(
      kv.run({
        kind: "msetNx",
        pairs: [
          ["a", "1"],
          ["b", "2"],
        ],
      }),
      count(1),
    );
  });
});
