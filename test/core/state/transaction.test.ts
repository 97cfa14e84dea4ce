/**
 * MULTI ... EXEC on the kv machine (transaction.ts, transaction_ops.ts): WATCH's version check
 * in every direction it can fail or hold, and what one transaction record leaves in the version
 * chains. That each step answers as it would alone is the model test's (kv_model.test.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type KvCommand,
  type KvQuery,
  KvStateMachine,
  type StepCommand,
  type WatchedKey,
} from "../../../src/core/state/index.js";
import { offset } from "../../../src/core/types.js";

const set = (
  key: string,
  value: string,
  expireAtMs?: number,
): Extract<StepCommand, { kind: "set" }> => ({
  kind: "set",
  key,
  value,
  ...(expireAtMs === undefined ? {} : { expireAtMs }),
});
const get = (key: string) => ({ kind: "get", key }) as const;

function apply(machine: KvStateMachine, command: KvCommand, nowMs = 0) {
  return machine.apply(machine.appliedOffset, command, nowMs);
}

function watch(machine: KvStateMachine, key: string, nowMs = 0): WatchedKey {
  const result = machine.query({ kind: "watch", key }, machine.appliedOffset, nowMs);
  return result.watched;
}

/** EXEC of `SET key value` guarded by `watched`. */
const guardedSet = (watched: WatchedKey[], key = "a", value = "mine"): KvCommand => ({
  kind: "exec",
  steps: [{ write: set(key, value) }],
  watched,
});

const stringAt = (machine: KvStateMachine, key: string, nowMs = 0) => {
  const result = machine.query(get(key), machine.appliedOffset, nowMs);
  return result.value?.type === "string" ? result.value.data : null;
};

test("a transaction whose watched keys nobody wrote runs", () => {
  const machine = new KvStateMachine();
  apply(machine, set("a", "1"));
  const watched = [watch(machine, "a"), watch(machine, "absent")];
  apply(machine, set("b", "other key"));
  const result = apply(machine, guardedSet(watched));
  assert.deepEqual(result, { kind: "transaction", results: [{ kind: "ok" }] });
  assert.equal(stringAt(machine, "a"), "mine");
});

test("a write to a watched key after WATCH aborts the transaction, which writes nothing", () => {
  for (const [name, write] of [
    ["SET", set("a", "theirs")],
    ["the same value again", set("a", "1")],
    ["DEL", { kind: "del", keys: ["a"] }],
    ["EXPIRE", { kind: "expire", key: "a", expireAtMs: 100 }],
    ["FLUSHALL", { kind: "flushAll" }],
  ] as const) {
    const machine = new KvStateMachine();
    apply(machine, set("a", "1"));
    const watched = [watch(machine, "a")];
    apply(machine, write);
    const before = stringAt(machine, "a");
    assert.deepEqual(apply(machine, guardedSet(watched)), { kind: "aborted" }, name);
    assert.equal(stringAt(machine, "a"), before, name);
  }
});

test("a command that leaves the watched key alone does not abort", () => {
  const machine = new KvStateMachine();
  apply(machine, set("a", "1"));
  const watched = [watch(machine, "a")];
  apply(machine, { ...set("a", "2"), condition: "nx" });
  apply(machine, { kind: "persist", key: "a" });
  assert.equal(apply(machine, guardedSet(watched)).kind, "transaction");
});

test("a watched absent key that someone created aborts, even if deleted again", () => {
  const machine = new KvStateMachine();
  const watched = [watch(machine, "a")];
  apply(machine, set("a", "theirs"));
  apply(machine, { kind: "del", keys: ["a"] });
  assert.deepEqual(apply(machine, guardedSet(watched)), { kind: "aborted" });
});

test("a transaction that creates and deletes a watched key still aborts its watcher", () => {
  const machine = new KvStateMachine();
  const watched = [watch(machine, "a")];
  apply(machine, {
    kind: "exec",
    steps: [{ write: set("a", "theirs") }, { write: { kind: "del", keys: ["a"] } }],
  });
  assert.deepEqual(apply(machine, guardedSet(watched)), { kind: "aborted" });
});

test("a watched key that expires before EXEC aborts it, as in Redis 7", () => {
  const machine = new KvStateMachine();
  apply(machine, set("a", "1", 10), 0);
  const watched = [watch(machine, "a", 5)];
  assert.deepEqual(apply(machine, guardedSet(watched), 10), { kind: "aborted" });
  // Expired already at WATCH: still expired at EXEC is no change.
  const late = [watch(machine, "a", 10)];
  assert.equal(apply(machine, guardedSet(late), 12).kind, "transaction");
});

test("WATCH at an older offset sees the write after it as a change", () => {
  const machine = new KvStateMachine();
  apply(machine, set("a", "1"));
  const readAt = machine.appliedOffset;
  apply(machine, set("a", "2"));
  const stale = machine.query({ kind: "watch", key: "a" }, readAt, 0).watched;
  assert.deepEqual(apply(machine, guardedSet([stale])), { kind: "aborted" });
});

test("a tombstone garbage collection dropped counts as changed (a safe abort)", () => {
  const machine = new KvStateMachine();
  apply(machine, set("a", "1"));
  apply(machine, { kind: "del", keys: ["a"] });
  const watched = [watch(machine, "a")];
  assert.notEqual(watched[0]?.version, null);
  machine.collectGarbage(machine.appliedOffset);
  assert.deepEqual(apply(machine, guardedSet(watched)), { kind: "aborted" });
});

test("a read-only transaction checks WATCH at the offset it reads", () => {
  const machine = new KvStateMachine();
  apply(machine, set("a", "1"));
  const watched = [watch(machine, "a")];
  const multi: KvQuery = { kind: "multi", queries: [get("a")], watched };
  const before = machine.appliedOffset;
  assert.equal(machine.query(multi, before, 0).kind, "transaction");
  apply(machine, set("a", "2"));
  assert.deepEqual(machine.query(multi, machine.appliedOffset, 0), { kind: "aborted" });
  assert.equal(machine.query(multi, before, 0).kind, "transaction");
});

test("one transaction leaves one version per key, and truncation undoes all of it", () => {
  const machine = new KvStateMachine();
  apply(machine, set("a", "0"));
  const at = machine.appliedOffset;
  const result = apply(machine, {
    kind: "exec",
    steps: [
      { write: set("a", "1") },
      { write: { kind: "incr", key: "a", by: 41n } },
      { write: set("fresh", "x") },
      { read: { kind: "keys", pattern: "*" } },
      { write: { kind: "incr", key: "fresh", by: 1n } },
      { read: get("a") },
      { write: { kind: "del", keys: ["fresh"] } },
    ],
  });
  assert.deepEqual(result, {
    kind: "transaction",
    results: [
      { kind: "ok" },
      { kind: "integer", value: 42n },
      { kind: "ok" },
      { kind: "keys", keys: ["a", "fresh"] },
      { kind: "error", code: "not_integer" },
      { kind: "value", value: { type: "string", data: "42" }, version: at },
      { kind: "count", count: 1 },
    ],
  });
  assert.equal(machine.versionCount, 3, "a: 0 and 42; fresh: one tombstone");
  assert.deepEqual(machine.query({ kind: "dbSize" }, machine.appliedOffset, 0), {
    kind: "count",
    count: 1,
  });
  assert.deepEqual(machine.query({ kind: "keyCounts" }, machine.appliedOffset, 0), {
    kind: "keyCounts",
    keys: 1,
    expires: 0,
  });
  machine.truncate(at);
  assert.equal(stringAt(machine, "a"), "0");
  assert.equal(machine.keyCount, 1);
  assert.equal(machine.appliedOffset, offset(at));
});
