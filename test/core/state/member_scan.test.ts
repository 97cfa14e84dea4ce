/**
 * HSCAN, SSCAN and ZSCAN on the kv machine past the small-value size (member_scan.ts): the walk
 * answers every member present throughout exactly once, whatever is written between its calls,
 * and small values come back whole in their own order.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type KvCommand, KvStateMachine } from "../../../src/core/state/index.js";
import { smallScanMembers } from "../../../src/core/state/member_scan.js";

function machine() {
  const kv = new KvStateMachine();
  const run = (command: KvCommand) => kv.apply(kv.appliedOffset, command, 0);
  const scan = (type: "hash" | "set" | "zset", cursor: string, count: number, pattern?: string) => {
    const query = { kind: "memberScan", key: "k", type, cursor, count } as const;
    const result = kv.query(
      pattern === undefined ? query : { ...query, pattern },
      kv.appliedOffset,
      0,
    );
    assert.equal(result.kind, "memberScan");
    return result.kind === "memberScan" ? result : { cursor: "0", items: [] };
  };
  return { kv, run, scan };
}

const names = (count: number, prefix = "m") =>
  Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(3, "0")}`);

/** Adds `members` to key k as a hash (value v-<member>), a set or a sorted set. */
function add(type: "hash" | "set" | "zset", members: readonly string[]): KvCommand {
  if (type === "hash") {
    return { kind: "hset", key: "k", pairs: members.map((member) => [member, `v-${member}`]) };
  }
  if (type === "set") return { kind: "sadd", key: "k", members: [...members] };
  return { kind: "zadd", key: "k", entries: members.map((member) => [member, 1] as const) };
}

function remove(type: "hash" | "set" | "zset", members: string[]): KvCommand {
  if (type === "hash") return { kind: "hdel", key: "k", fields: members };
  if (type === "set") return { kind: "srem", key: "k", members };
  return { kind: "zrem", key: "k", members };
}

for (const type of ["hash", "set", "zset"] as const) {
  test(`a large ${type} is walked in pages, members present throughout answered once`, () => {
    const { run, scan } = machine();
    run(add(type, names(300).reverse()));
    const seen: string[] = [];
    let cursor = "0";
    let calls = 0;
    do {
      const page = scan(type, cursor, 50);
      for (const [member, value] of page.items) {
        if (type === "hash") assert.equal(value, `v-${member}`);
        seen.push(member);
      }
      cursor = page.cursor;
      calls += 1;
      // Between calls: a visited member goes, an unvisited one goes, a new one comes before and
      // after the cursor.
      if (calls === 2) {
        run(remove(type, ["m000", "m299"]));
        run(add(type, ["a-new", "z-new"]));
      }
    } while (cursor !== "0");
    assert.ok(calls > 5, `${calls} calls`);
    const throughout = names(300).filter((member) => member !== "m000" && member !== "m299");
    for (const member of throughout) {
      assert.equal(seen.filter((each) => each === member).length, 1, member);
    }
    assert.ok(seen.includes("z-new"), "a member added ahead of the cursor is met");
    assert.ok(!seen.includes("a-new"), "one added behind it is not");
  });
}

test("large sets and sorted sets are walked in member byte order, with MATCH", () => {
  const { run, scan } = machine();
  run({ kind: "sadd", key: "k", members: names(200) });
  const page = scan("set", "0", 10, "m0*");
  assert.deepEqual(
    page.items.map(([member]) => member),
    names(10),
  );
  run({ kind: "del", keys: ["k"] });
  run({
    kind: "zadd",
    key: "k",
    entries: names(200).map((member, index) => [member, 200 - index] as const),
  });
  const first = scan("zset", "0", 3);
  assert.deepEqual(first.items, [
    ["m000", 200],
    ["m001", 199],
    ["m002", 198],
  ]);
  assert.notEqual(first.cursor, "0");
});

test("a small value comes back whole in its own order, whatever COUNT says", () => {
  const { kv, run, scan } = machine();
  const fields = names(smallScanMembers).reverse();
  run({ kind: "hset", key: "k", pairs: fields.map((field) => [field, "v"]) });
  const page = scan("hash", "0", 1);
  assert.equal(page.cursor, "0");
  assert.deepEqual(
    page.items.map(([field]) => field),
    fields,
    "a hash's fields as inserted",
  );
  const asSet = { kind: "memberScan", key: "k", type: "set", cursor: "0", count: 1 } as const;
  assert.deepEqual(kv.query(asSet, kv.appliedOffset, 0), { kind: "error", code: "wrong_type" });
  assert.equal(scan("hash", "0", 1, "nothing*").items.length, 0);
});
