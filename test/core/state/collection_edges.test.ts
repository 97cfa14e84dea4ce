/**
 * Sets and sorted sets through the public state machine, one table row or test each. Expected
 * answers are Redis's, from https://redis.io/docs/latest/commands/ (sadd/, spop/, srandmember/,
 * zadd/, zrange/, zrank/, zcount/, zpopmin/) and redis/src/t_set.c, t_zset.c.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type KvCommand,
  type KvQuery,
  type KvQueryResult,
  type KvResult,
  KvStateMachine,
  type ZrangeSpec,
} from "../../../src/core/state/index.js";
import { offset } from "../../../src/core/types.js";

class Harness {
  readonly machine = new KvStateMachine();

  run(command: KvCommand): KvResult {
    return this.machine.apply(this.machine.appliedOffset, command, 0);
  }

  ask(query: KvQuery): KvQueryResult {
    return this.machine.query(query, this.machine.appliedOffset, 0);
  }

  /** A sorted set `z` holding `entries`. */
  static zset(...entries: Array<[string, number]>): Harness {
    const kv = new Harness();
    kv.run({ kind: "zadd", key: "z", entries });
    return kv;
  }

  entries(key = "z"): unknown {
    const found = this.ask({ kind: "get", key });
    return found.kind === "value" && found.value?.type === "zset" ? found.value.entries : null;
  }
}

const count = (value: number): KvResult => ({ kind: "count", count: value });
const strings = (...values: string[]): KvQueryResult => ({ kind: "strings", values });

describe("SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD", () => {
  test("a member named twice counts once; members are answered in byte order", () => {
    const kv = new Harness();
    assert.deepEqual(
      kv.run({ kind: "sadd", key: "s", members: ["b", "a", "b", "\xff"] }),
      count(3),
    );
    assert.deepEqual(kv.run({ kind: "sadd", key: "s", members: ["a", "c"] }), count(1));
    assert.deepEqual(kv.ask({ kind: "smembers", key: "s" }), strings("a", "b", "c", "\xff"));
    assert.deepEqual(kv.ask({ kind: "scard", key: "s" }), count(4));
    assert.deepEqual(kv.ask({ kind: "sismember", key: "s", member: "c" }), count(1));
    assert.deepEqual(kv.ask({ kind: "smismember", key: "s", members: ["a", "x", "a"] }), {
      kind: "counts",
      counts: [1, 0, 1],
    });
    assert.deepEqual(kv.ask({ kind: "type", key: "s" }), { kind: "type", type: "set" });
  });

  test("SREM of the last members deletes the key; an absent key is an empty set", () => {
    const kv = new Harness();
    kv.run({ kind: "sadd", key: "s", members: ["a", "b"] });
    assert.deepEqual(kv.run({ kind: "srem", key: "s", members: ["a", "x", "b"] }), count(2));
    assert.deepEqual(kv.ask({ kind: "type", key: "s" }), { kind: "type", type: "none" });
    assert.deepEqual(kv.run({ kind: "srem", key: "s", members: ["a"] }), count(0));
    assert.deepEqual(kv.ask({ kind: "smembers", key: "s" }), strings());
    assert.deepEqual(kv.ask({ kind: "scard", key: "s" }), count(0));
  });

  test("every set command and query on another type is WRONGTYPE, and the reverse", () => {
    const kv = new Harness();
    kv.run({ kind: "set", key: "k", value: "v" });
    kv.run({ kind: "sadd", key: "s", members: ["a"] });
    const wrongType = { kind: "error", code: "wrong_type" };
    for (const command of [
      { kind: "sadd", key: "k", members: ["a"] },
      { kind: "srem", key: "k", members: ["a"] },
      { kind: "spop", key: "k", seed: 1 },
      { kind: "zadd", key: "s", entries: [["a", 1]] },
      { kind: "push", key: "s", side: "left", elements: ["a"] },
      { kind: "incr", key: "s", by: 1n },
    ] satisfies KvCommand[]) {
      assert.deepEqual(kv.run(command), wrongType, command.kind);
    }
    for (const query of [
      { kind: "smembers", key: "k" },
      { kind: "sismember", key: "k", member: "a" },
      { kind: "srandmember", key: "k", seed: 1 },
      { kind: "zrange", key: "s", range: { by: "rank", start: 0, stop: -1 } },
      { kind: "zscore", key: "s", member: "a" },
      { kind: "lrange", key: "s", start: 0, stop: -1 },
      { kind: "hgetall", key: "s" },
    ] satisfies KvQuery[]) {
      assert.deepEqual(kv.ask(query), wrongType, query.kind);
    }
  });
});

describe("SPOP and SRANDMEMBER (spopWithCountCommand, srandmemberWithCountCommand)", () => {
  const letters = ["a", "b", "c", "d", "e", "f"];
  const filled = (): Harness => {
    const kv = new Harness();
    kv.run({ kind: "sadd", key: "s", members: letters });
    return kv;
  };

  test("SPOP removes the members it answers; the same seed picks the same members", () => {
    const first = filled();
    const second = filled();
    const popped = first.run({ kind: "spop", key: "s", count: 2, seed: 42 });
    assert.deepEqual(second.run({ kind: "spop", key: "s", count: 2, seed: 42 }), popped);
    assert.ok(popped.kind === "popped" && popped.elements?.length === 2);
    const left = first.ask({ kind: "smembers", key: "s" });
    assert.ok(left.kind === "strings");
    assert.deepEqual(
      [...left.values, ...(popped.elements ?? [])].sort(),
      letters,
      "popped and left make the set",
    );
  });

  test("seeds spread SPOP's choice over every member", () => {
    const chosen = new Set<string>();
    for (let seed = 0; seed < 60; seed++) {
      const popped = filled().run({ kind: "spop", key: "s", seed });
      if (popped.kind === "popped") chosen.add(popped.elements?.[0] ?? "");
    }
    assert.deepEqual([...chosen].sort(), letters);
  });

  test("a replica restored from a snapshot pops what the leader pops", () => {
    const leader = filled();
    const follower = new Harness();
    follower.machine.restore(leader.machine.snapshotAt(leader.machine.appliedOffset));
    const command: KvCommand = { kind: "spop", key: "s", count: 3, seed: 7 };
    assert.deepEqual(follower.run(command), leader.run(command));
  });

  test("SPOP edges: count 0, count past the size, an absent key", () => {
    const kv = filled();
    assert.deepEqual(kv.run({ kind: "spop", key: "s", count: 0, seed: 1 }), {
      kind: "popped",
      elements: [],
    });
    assert.deepEqual(kv.run({ kind: "spop", key: "s", count: 10, seed: 1 }), {
      kind: "popped",
      elements: letters,
    });
    assert.deepEqual(kv.ask({ kind: "type", key: "s" }), { kind: "type", type: "none" });
    assert.deepEqual(kv.run({ kind: "spop", key: "s", seed: 1 }), {
      kind: "popped",
      elements: null,
    });
  });

  const table: Array<[count: number | undefined, size: number, distinct: boolean]> = [
    [undefined, 1, true],
    [0, 0, true],
    [3, 3, true],
    [6, 6, true],
    [10, 6, true],
    [-3, 3, false],
    [-10, 10, false],
  ];
  for (const [wanted, size, distinct] of table) {
    test(`SRANDMEMBER of 6 members with count ${wanted} answers ${size}`, () => {
      const kv = filled();
      const query: KvQuery = {
        kind: "srandmember",
        key: "s",
        seed: 3,
        ...(wanted === undefined ? {} : { count: wanted }),
      };
      const answer = kv.ask(query);
      assert.ok(answer.kind === "strings");
      assert.equal(answer.values.length, size);
      if (distinct) assert.equal(new Set(answer.values).size, size);
      assert.ok(answer.values.every((value) => letters.includes(value ?? "")));
      assert.deepEqual(kv.ask(query), answer, "a read changes nothing and repeats");
    });
  }
});

describe("ZADD options (zaddGenericCommand, zsetAdd)", () => {
  const score = (value: number | null): KvResult => ({ kind: "score", score: value });
  const table: Array<[string, Partial<Extract<KvCommand, { kind: "zadd" }>>, KvResult, unknown]> = [
    [
      "plain add and update",
      {
        entries: [
          ["a", 5],
          ["c", 3],
        ],
      },
      count(1),
      [
        ["b", 2],
        ["c", 3],
        ["a", 5],
      ],
    ],
    [
      "CH counts updates",
      {
        entries: [
          ["a", 5],
          ["c", 3],
        ],
        changed: true,
      },
      count(2),
      [
        ["b", 2],
        ["c", 3],
        ["a", 5],
      ],
    ],
    [
      "NX only adds",
      {
        entries: [
          ["a", 5],
          ["c", 3],
        ],
        condition: "nx",
      },
      count(1),
      [
        ["a", 1],
        ["b", 2],
        ["c", 3],
      ],
    ],
    [
      "XX only updates",
      {
        entries: [
          ["a", 5],
          ["c", 3],
        ],
        condition: "xx",
        changed: true,
      },
      count(1),
      [
        ["b", 2],
        ["a", 5],
      ],
    ],
    [
      "GT keeps a higher score",
      {
        entries: [
          ["b", 1],
          ["a", 3],
        ],
        compare: "gt",
        changed: true,
      },
      count(1),
      [
        ["b", 2],
        ["a", 3],
      ],
    ],
    [
      "LT keeps a lower score, adds new",
      {
        entries: [
          ["b", 1],
          ["a", 3],
          ["d", 0],
        ],
        compare: "lt",
        changed: true,
      },
      count(2),
      [
        ["d", 0],
        ["a", 1],
        ["b", 1],
      ],
    ],
    [
      "INCR answers the new score",
      { entries: [["a", 2.5]], increment: true },
      score(3.5),
      [
        ["b", 2],
        ["a", 3.5],
      ],
    ],
    [
      "INCR NX on a member is nil",
      { entries: [["a", 2]], increment: true, condition: "nx" },
      score(null),
      [
        ["a", 1],
        ["b", 2],
      ],
    ],
    [
      "INCR GT that lowers is nil",
      { entries: [["a", -2]], increment: true, compare: "gt" },
      score(null),
      [
        ["a", 1],
        ["b", 2],
      ],
    ],
    [
      "same score is no update",
      { entries: [["a", 1]], changed: true },
      count(0),
      [
        ["a", 1],
        ["b", 2],
      ],
    ],
  ];
  for (const [name, options, result, after] of table) {
    test(name, () => {
      const kv = Harness.zset(["a", 1], ["b", 2]);
      const command = { kind: "zadd", key: "z", entries: [], ...options } as KvCommand;
      assert.deepEqual(kv.run(command), result);
      assert.deepEqual(kv.entries(), after);
    });
  }

  test("XX on an absent key creates nothing; INCR to NaN fails and changes nothing", () => {
    const kv = new Harness();
    assert.deepEqual(
      kv.run({ kind: "zadd", key: "z", entries: [["a", 1]], condition: "xx" }),
      count(0),
    );
    assert.deepEqual(kv.ask({ kind: "type", key: "z" }), { kind: "type", type: "none" });
    kv.run({ kind: "zadd", key: "z", entries: [["a", Infinity]] });
    assert.deepEqual(
      kv.run({ kind: "zadd", key: "z", entries: [["a", -Infinity]], increment: true }),
      { kind: "error", code: "score_nan" },
    );
    assert.deepEqual(kv.entries(), [["a", Infinity]]);
  });
});

describe("ZRANGE (zrangeGenericCommand)", () => {
  // Equal scores order by member bytes: one < three < two.
  const members: Array<[string, number]> = [
    ["one", 1],
    ["two", 2],
    ["three", 2],
    ["four", 4],
  ];
  const table: Array<[ZrangeSpec, boolean, string[]]> = [
    [{ by: "rank", start: 0, stop: -1 }, false, ["one", "three", "two", "four"]],
    [{ by: "rank", start: -2, stop: -1 }, false, ["two", "four"]],
    [{ by: "rank", start: 0, stop: 0 }, true, ["four"]],
    [{ by: "rank", start: 5, stop: 10 }, false, []],
    [{ by: "rank", start: -100, stop: 1 }, true, ["four", "two"]],
    [
      {
        by: "score",
        min: { score: 2, exclusive: false },
        max: { score: Infinity, exclusive: false },
      },
      false,
      ["three", "two", "four"],
    ],
    [
      { by: "score", min: { score: 1, exclusive: true }, max: { score: 4, exclusive: true } },
      false,
      ["three", "two"],
    ],
    [
      {
        by: "score",
        min: { score: -Infinity, exclusive: false },
        max: { score: 2, exclusive: false },
      },
      true,
      ["two", "three", "one"],
    ],
    [
      {
        by: "score",
        min: { score: -Infinity, exclusive: false },
        max: { score: Infinity, exclusive: false },
        offset: 1,
        limit: 2,
      },
      false,
      ["three", "two"],
    ],
    [
      {
        by: "score",
        min: { score: -Infinity, exclusive: false },
        max: { score: Infinity, exclusive: false },
        offset: 1,
        limit: -1,
      },
      true,
      ["two", "three", "one"],
    ],
    [
      {
        by: "score",
        min: { score: -Infinity, exclusive: false },
        max: { score: Infinity, exclusive: false },
        offset: -1,
        limit: 2,
      },
      false,
      [],
    ],
    [
      { by: "score", min: { score: 3, exclusive: false }, max: { score: 2, exclusive: false } },
      false,
      [],
    ],
    [{ by: "lex", min: "-", max: "+" }, false, ["one", "three", "two", "four"]],
    [
      {
        by: "lex",
        min: { member: "o", exclusive: false },
        max: { member: "three", exclusive: true },
      },
      false,
      ["one"],
    ],
    [{ by: "lex", min: "+", max: "-" }, false, []],
  ];
  for (const [range, reverse, expected] of table) {
    test(`ZRANGE ${JSON.stringify(range)}${reverse ? " REV" : ""}`, () => {
      const kv = Harness.zset(...members);
      const answer = kv.ask({ kind: "zrange", key: "z", range, reverse });
      assert.ok(answer.kind === "scored");
      assert.deepEqual(
        answer.entries.map(([member]) => member),
        expected,
      );
    });
  }
});

describe("ZRANK, ZCOUNT, ZSCORE, ZMSCORE, ZCARD, ZREM", () => {
  test("ranks count from the lowest score, or the highest with reverse", () => {
    const kv = Harness.zset(["a", 1], ["b", 2], ["c", 3]);
    assert.deepEqual(kv.ask({ kind: "zrank", key: "z", member: "b" }), {
      kind: "rank",
      rank: 1,
      score: 2,
    });
    assert.deepEqual(kv.ask({ kind: "zrank", key: "z", member: "a", reverse: true }), {
      kind: "rank",
      rank: 2,
      score: 1,
    });
    assert.deepEqual(kv.ask({ kind: "zrank", key: "z", member: "x" }), {
      kind: "rank",
      rank: null,
      score: null,
    });
    assert.deepEqual(kv.ask({ kind: "zrank", key: "absent", member: "a" }), {
      kind: "rank",
      rank: null,
      score: null,
    });
  });

  test("ZCOUNT honours exclusive bounds and infinities", () => {
    const kv = Harness.zset(["a", 1], ["b", 2], ["c", 3], ["d", Infinity]);
    const zcount = (min: number, minEx: boolean, max: number, maxEx: boolean) =>
      kv.ask({
        kind: "zcount",
        key: "z",
        min: { score: min, exclusive: minEx },
        max: { score: max, exclusive: maxEx },
      });
    assert.deepEqual(zcount(-Infinity, false, Infinity, false), count(4));
    assert.deepEqual(zcount(1, true, 3, false), count(2));
    assert.deepEqual(zcount(1, true, 3, true), count(1));
    assert.deepEqual(zcount(Infinity, false, Infinity, false), count(1));
    assert.deepEqual(zcount(3, false, 1, false), count(0));
  });

  test("scores, cardinality, and ZREM deleting the last member", () => {
    const kv = Harness.zset(["a", 1.5], ["b", -Infinity]);
    assert.deepEqual(kv.ask({ kind: "zscore", key: "z", member: "a" }), {
      kind: "score",
      score: 1.5,
    });
    assert.deepEqual(kv.ask({ kind: "zmscore", key: "z", members: ["b", "x"] }), {
      kind: "scores",
      scores: [-Infinity, null],
    });
    assert.deepEqual(kv.ask({ kind: "zmscore", key: "absent", members: ["a"] }), {
      kind: "scores",
      scores: [null],
    });
    assert.deepEqual(kv.ask({ kind: "zcard", key: "z" }), count(2));
    assert.deepEqual(kv.run({ kind: "zrem", key: "z", members: ["a", "b", "a", "x"] }), count(2));
    assert.deepEqual(kv.ask({ kind: "type", key: "z" }), { kind: "type", type: "none" });
  });
});

describe("ZPOPMIN / ZPOPMAX (genericZpopCommand)", () => {
  test("pop from either end in order, ties by member, and delete the emptied key", () => {
    const kv = Harness.zset(["b", 1], ["a", 1], ["c", 5]);
    assert.deepEqual(kv.run({ kind: "zpop", key: "z", side: "min" }), {
      kind: "scored",
      entries: [["a", 1]],
    });
    assert.deepEqual(kv.run({ kind: "zpop", key: "z", side: "max", count: 0 }), {
      kind: "scored",
      entries: [],
    });
    assert.deepEqual(kv.run({ kind: "zpop", key: "z", side: "max", count: 5 }), {
      kind: "scored",
      entries: [
        ["c", 5],
        ["b", 1],
      ],
    });
    assert.deepEqual(kv.ask({ kind: "type", key: "z" }), { kind: "type", type: "none" });
    assert.deepEqual(kv.run({ kind: "zpop", key: "z", side: "min", count: 2 }), {
      kind: "scored",
      entries: [],
    });
  });
});

describe("versions of sets and sorted sets (MVCC)", () => {
  test("a read at an older offset sees the members as they were, after later writes", () => {
    const kv = new Harness();
    kv.run({ kind: "sadd", key: "s", members: ["a"] });
    kv.run({ kind: "zadd", key: "z", entries: [["a", 1]] });
    const before = kv.machine.appliedOffset;
    kv.run({ kind: "sadd", key: "s", members: ["b"] });
    kv.run({
      kind: "zadd",
      key: "z",
      entries: [
        ["a", 9],
        ["b", 2],
      ],
    });
    kv.run({ kind: "spop", key: "s", seed: 0 });
    const at = (query: KvQuery) => kv.machine.query(query, offset(before), 0);
    assert.deepEqual(at({ kind: "smembers", key: "s" }), strings("a"));
    assert.deepEqual(at({ kind: "zrange", key: "z", range: { by: "rank", start: 0, stop: -1 } }), {
      kind: "scored",
      entries: [["a", 1]],
    });
    assert.deepEqual(kv.entries(), [
      ["b", 2],
      ["a", 9],
    ]);
  });
});
