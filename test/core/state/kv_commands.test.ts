/**
 * Each command's Redis edge cases, one table row or test each, through the public state machine.
 * References: https://redis.io/docs/latest/commands/set/, incr/, del/, append/, rpush/, and
 * string2ll in redis/src/util.c for what INCR accepts as an integer.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type KvCommand,
  type KvResult,
  KvStateMachine,
  type Value,
} from "../../../src/core/state/index.js";
import { offset } from "../../../src/core/types.js";
import { AssertionError } from "../../../src/util/assert.js";

const int64Max = 2n ** 63n - 1n;
const int64Min = -(2n ** 63n);

/** A machine with a helper that applies at the next offset, at `nowMs` 0 unless given. */
class Harness {
  readonly machine = new KvStateMachine();

  run(command: KvCommand, nowMs = 0): KvResult {
    return this.machine.apply(this.machine.appliedOffset, command, nowMs);
  }

  get(key: string, nowMs = 0): Value | null {
    return this.machine.query({ kind: "get", key }, this.machine.appliedOffset, nowMs).value;
  }

  set(key: string, value: string, extra: Partial<Extract<KvCommand, { kind: "set" }>> = {}) {
    return this.run({ kind: "set", key, value, ...extra });
  }
}

const text = (data: string): Value => ({ type: "string", data });
const list = (...items: string[]): Value => ({ type: "list", items });
const ok: KvResult = { kind: "ok" };
const count = (value: number): KvResult => ({ kind: "count", count: value });
const error = (code: "wrong_type" | "not_integer" | "overflow"): KvResult => ({
  kind: "error",
  code,
});

describe("INCR", () => {
  const rejected = ["", "-", "+1", " 1", "1 ", "01", "-01", "-0", "00", "0x1", "1e3", "1.0", "abc"];
  for (const stored of [...rejected, "9223372036854775808", "-9223372036854775809"]) {
    test(`"${stored}" is not an integer and stays as it was`, () => {
      const kv = new Harness();
      kv.set("k", stored);
      assert.deepEqual(kv.run({ kind: "incr", key: "k", by: 1n }), error("not_integer"));
      assert.deepEqual(kv.get("k"), text(stored));
      assert.equal(kv.machine.appliedOffset, 2, "the failed record still consumes its offset");
    });
  }

  const accepted: Array<[string, bigint, bigint]> = [
    ["0", 1n, 1n],
    ["-1", 1n, 0n],
    ["9223372036854775806", 1n, int64Max],
    ["-9223372036854775808", 1n, int64Min + 1n],
    ["-9223372036854775807", -1n, int64Min],
    ["10", -25n, -15n],
  ];
  for (const [stored, by, expected] of accepted) {
    test(`"${stored}" + ${by} = ${expected}`, () => {
      const kv = new Harness();
      kv.set("k", stored);
      assert.deepEqual(kv.run({ kind: "incr", key: "k", by }), {
        kind: "integer",
        value: expected,
      });
      assert.deepEqual(kv.get("k"), text(expected.toString()));
    });
  }

  const overflows: Array<[string, bigint]> = [
    ["9223372036854775807", 1n],
    ["-9223372036854775808", -1n],
    ["1", int64Max],
    ["-2", int64Min],
  ];
  for (const [stored, by] of overflows) {
    test(`"${stored}" + ${by} overflows and stays as it was`, () => {
      const kv = new Harness();
      kv.set("k", stored);
      assert.deepEqual(kv.run({ kind: "incr", key: "k", by }), error("overflow"));
      assert.deepEqual(kv.get("k"), text(stored));
    });
  }

  test("an absent key starts at 0", () => {
    const kv = new Harness();
    assert.deepEqual(kv.run({ kind: "incr", key: "k", by: 5n }), { kind: "integer", value: 5n });
    assert.deepEqual(kv.get("k"), text("5"));
  });

  test("keeps the key's expiry", () => {
    const kv = new Harness();
    kv.set("k", "5", { expireAtMs: 100 });
    kv.run({ kind: "incr", key: "k", by: 1n }, 10);
    assert.deepEqual(kv.get("k", 99), text("6"));
    assert.equal(kv.get("k", 100), null);
  });

  test("an expired key starts at 0 with no expiry", () => {
    const kv = new Harness();
    kv.set("k", "5", { expireAtMs: 10 });
    assert.deepEqual(kv.run({ kind: "incr", key: "k", by: 1n }, 10), {
      kind: "integer",
      value: 1n,
    });
    assert.deepEqual(kv.get("k", 1_000_000), text("1"));
  });

  test("a list is wrong_type", () => {
    const kv = new Harness();
    kv.run({ kind: "listAppend", key: "k", element: "1" });
    assert.deepEqual(kv.run({ kind: "incr", key: "k", by: 1n }), error("wrong_type"));
    assert.deepEqual(kv.get("k"), list("1"));
  });

  test("an increment outside 64 bits is a programmer error", () => {
    const kv = new Harness();
    assert.throws(() => kv.run({ kind: "incr", key: "k", by: int64Max + 1n }), AssertionError);
  });
});

describe("SET", () => {
  test("NX on an expired key sets it: the key is absent at the command's time", () => {
    const kv = new Harness();
    kv.set("k", "old", { expireAtMs: 10 });
    assert.deepEqual(kv.run({ kind: "set", key: "k", value: "new", condition: "nx" }, 10), ok);
    assert.deepEqual(kv.get("k", 1_000), text("new"));
  });

  test("NX on a live key answers the current value and changes nothing", () => {
    const kv = new Harness();
    kv.set("k", "old", { expireAtMs: 10 });
    assert.deepEqual(kv.run({ kind: "set", key: "k", value: "new", condition: "nx" }, 9), {
      kind: "not_applied",
      current: text("old"),
    });
    assert.deepEqual(kv.get("k", 9), text("old"));
    assert.equal(kv.get("k", 10), null, "the expiry is untouched");
  });

  test("XX on an absent key is not applied and the key stays absent", () => {
    const kv = new Harness();
    assert.deepEqual(kv.set("k", "v", { condition: "xx" }), { kind: "not_applied", current: null });
    assert.equal(kv.get("k"), null);
    assert.equal(kv.machine.keyCount, 0);
  });

  test("XX on an expired key is not applied; on a live one it is", () => {
    const kv = new Harness();
    kv.set("k", "old", { expireAtMs: 10 });
    assert.deepEqual(kv.run({ kind: "set", key: "k", value: "new", condition: "xx" }, 10), {
      kind: "not_applied",
      current: null,
    });
    assert.deepEqual(kv.run({ kind: "set", key: "k", value: "new", condition: "xx" }, 9), ok);
    assert.deepEqual(kv.get("k", 1_000), text("new"));
  });

  test("a plain SET discards the expiry", () => {
    const kv = new Harness();
    kv.set("k", "a", { expireAtMs: 10 });
    kv.set("k", "b");
    assert.deepEqual(kv.get("k", 1_000), text("b"));
  });

  test("keepTtl keeps the expiry of a live key", () => {
    const kv = new Harness();
    kv.set("k", "a", { expireAtMs: 10 });
    kv.set("k", "b", { keepTtl: true });
    assert.deepEqual(kv.get("k", 9), text("b"));
    assert.equal(kv.get("k", 10), null);
  });

  test("keepTtl on an expired key sets it without expiry", () => {
    const kv = new Harness();
    kv.set("k", "a", { expireAtMs: 10 });
    kv.run({ kind: "set", key: "k", value: "b", keepTtl: true }, 10);
    assert.deepEqual(kv.get("k", 1_000), text("b"));
  });

  test("keepTtl with an expiry is a programmer error", () => {
    const kv = new Harness();
    assert.throws(() => kv.set("k", "a", { keepTtl: true, expireAtMs: 5 }), AssertionError);
  });

  test("an expiry hides the key from readers at or after it", () => {
    const kv = new Harness();
    kv.set("k", "a", { expireAtMs: 10 });
    assert.deepEqual(kv.get("k", 9), text("a"));
    assert.equal(kv.get("k", 10), null);
  });

  test("returnOld answers the old string, or null when absent or expired", () => {
    const kv = new Harness();
    assert.deepEqual(kv.set("k", "a", { returnOld: true }), { kind: "old", value: null });
    assert.deepEqual(kv.set("k", "b", { returnOld: true, expireAtMs: 10 }), {
      kind: "old",
      value: "a",
    });
    assert.deepEqual(kv.run({ kind: "set", key: "k", value: "c", returnOld: true }, 10), {
      kind: "old",
      value: null,
    });
    assert.deepEqual(kv.get("k"), text("c"));
  });

  test("returnOld on a list is wrong_type and sets nothing, even with a failing NX", () => {
    for (const condition of [undefined, "nx", "xx"] as const) {
      const kv = new Harness();
      kv.run({ kind: "listAppend", key: "k", element: "x" });
      assert.deepEqual(kv.set("k", "v", { returnOld: true, condition }), error("wrong_type"));
      assert.deepEqual(kv.get("k"), list("x"));
    }
  });

  test("returnOld with a failed NX answers the current value", () => {
    const kv = new Harness();
    kv.set("k", "a");
    assert.deepEqual(kv.set("k", "b", { returnOld: true, condition: "nx" }), {
      kind: "not_applied",
      current: text("a"),
    });
    assert.deepEqual(kv.get("k"), text("a"));
  });

  test("a SET without GET replaces a list", () => {
    const kv = new Harness();
    kv.run({ kind: "listAppend", key: "k", element: "x" });
    assert.deepEqual(kv.set("k", "v"), ok);
    assert.deepEqual(kv.get("k"), text("v"));
  });
});

describe("DEL", () => {
  test("counts the keys that existed, not absent or expired ones, and deletes them all", () => {
    const kv = new Harness();
    kv.set("a", "1");
    kv.run({ kind: "listAppend", key: "b", element: "x" });
    kv.set("d", "4", { expireAtMs: 10 });
    assert.deepEqual(kv.run({ kind: "del", keys: ["a", "b", "c", "d"] }, 10), count(2));
    for (const key of ["a", "b", "c", "d"]) {
      assert.equal(kv.get(key, 0), null, `${key} is gone even for a reader before the expiry`);
    }
  });

  test("a key named twice counts once", () => {
    const kv = new Harness();
    kv.set("a", "1");
    assert.deepEqual(kv.run({ kind: "del", keys: ["a", "a"] }), count(1));
  });

  test("nothing to delete counts 0 and writes nothing", () => {
    const kv = new Harness();
    assert.deepEqual(kv.run({ kind: "del", keys: ["a"] }), count(0));
    assert.equal(kv.machine.versionCount, 0);
  });
});

describe("APPEND", () => {
  test("creates, then extends, answering the new length", () => {
    const kv = new Harness();
    assert.deepEqual(kv.run({ kind: "append", key: "k", value: "foo" }), count(3));
    assert.deepEqual(kv.run({ kind: "append", key: "k", value: "bar" }), count(6));
    assert.deepEqual(kv.get("k"), text("foobar"));
  });

  test("keeps the expiry; an expired key starts from empty", () => {
    const kv = new Harness();
    kv.set("k", "foo", { expireAtMs: 10 });
    kv.run({ kind: "append", key: "k", value: "bar" }, 5);
    assert.deepEqual(kv.get("k", 9), text("foobar"));
    assert.equal(kv.get("k", 10), null);
    assert.deepEqual(kv.run({ kind: "append", key: "k", value: "baz" }, 10), count(3));
    assert.deepEqual(kv.get("k", 1_000), text("baz"));
  });

  test("a list is wrong_type", () => {
    const kv = new Harness();
    kv.run({ kind: "listAppend", key: "k", element: "x" });
    assert.deepEqual(kv.run({ kind: "append", key: "k", value: "y" }), error("wrong_type"));
    assert.deepEqual(kv.get("k"), list("x"));
  });
});

describe("CAS", () => {
  test("expected null sets an absent or expired key, and fails on a present one", () => {
    const kv = new Harness();
    assert.deepEqual(kv.run({ kind: "cas", key: "k", expected: null, value: "a" }), ok);
    assert.deepEqual(kv.run({ kind: "cas", key: "k", expected: null, value: "b" }), {
      kind: "not_applied",
      current: text("a"),
    });
    kv.set("e", "old", { expireAtMs: 10 });
    assert.deepEqual(kv.run({ kind: "cas", key: "e", expected: null, value: "new" }, 10), ok);
    assert.deepEqual(kv.get("e", 1_000), text("new"), "the new value has no expiry");
  });

  test("a matching string is replaced; another answers the current value", () => {
    const kv = new Harness();
    kv.set("k", "a");
    assert.deepEqual(kv.run({ kind: "cas", key: "k", expected: "x", value: "b" }), {
      kind: "not_applied",
      current: text("a"),
    });
    assert.deepEqual(kv.run({ kind: "cas", key: "k", expected: "a", value: "b" }), ok);
    assert.deepEqual(kv.get("k"), text("b"));
  });

  test("a list never matches", () => {
    const kv = new Harness();
    kv.run({ kind: "listAppend", key: "k", element: "a" });
    assert.deepEqual(kv.run({ kind: "cas", key: "k", expected: "a", value: "b" }), {
      kind: "not_applied",
      current: list("a"),
    });
  });
});

describe("listAppend", () => {
  test("creates, then appends, answering the new length; a list once read never changes", () => {
    const kv = new Harness();
    assert.deepEqual(kv.run({ kind: "listAppend", key: "k", element: "x" }), count(1));
    const first = kv.get("k");
    assert.deepEqual(kv.run({ kind: "listAppend", key: "k", element: "y" }), count(2));
    assert.deepEqual(kv.get("k"), list("x", "y"));
    assert.deepEqual(first, list("x"));
  });

  test("an expired string is absent to it: a new list, with no expiry", () => {
    const kv = new Harness();
    kv.set("k", "s", { expireAtMs: 10 });
    assert.deepEqual(kv.run({ kind: "listAppend", key: "k", element: "x" }, 10), count(1));
    assert.deepEqual(kv.get("k", 1_000), list("x"));
  });

  test("a string is wrong_type", () => {
    const kv = new Harness();
    kv.set("k", "s");
    assert.deepEqual(kv.run({ kind: "listAppend", key: "k", element: "x" }), error("wrong_type"));
    assert.deepEqual(kv.get("k"), text("s"));
  });
});

test("apply, skip and reads outside [horizon, applied] are programmer errors", () => {
  const kv = new Harness();
  kv.set("k", "a");
  assert.throws(() => kv.machine.apply(offset(0), { kind: "del", keys: ["k"] }, 0), AssertionError);
  assert.throws(() => kv.machine.skip(offset(2)), AssertionError);
  assert.throws(() => kv.machine.query({ kind: "get", key: "k" }, offset(2), 0), AssertionError);
  kv.machine.skip(offset(1));
  kv.machine.collectGarbage(offset(1));
  assert.throws(() => kv.machine.query({ kind: "get", key: "k" }, offset(0), 0), AssertionError);
  assert.throws(() => kv.machine.truncate(offset(0)), AssertionError);
  assert.throws(() => kv.machine.collectGarbage(offset(3)), AssertionError);
  assert.deepEqual(kv.get("k"), text("a"));
});
