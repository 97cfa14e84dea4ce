/**
 * The state Lua scripts run against (script_state.ts): the scripts' writes on top of the replica's
 * newest versions, the keys they consulted with the versions seen (what their record watches),
 * a stopped script's writes rolled back, and whole-keyspace reads refused. That a batch's record
 * keeps scripts atomic on a cluster is test/server/redis_scripting.test.ts's.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type KvCommand,
  KvStateMachine,
  ScriptState,
  type StepCommand,
} from "../../../src/core/state/index.js";

const set = (key: string, value: string): StepCommand => ({ kind: "set", key, value });
const incr = (key: string): StepCommand => ({ kind: "incr", key, by: 1n });

/** The string a GET of `key` answers, or null. */
function stringOf(result: unknown): string | null {
  const { value } = result as { value: { data: string } | null };
  return value === null ? null : value.data;
}

function machineWith(...commands: KvCommand[]): KvStateMachine {
  const machine = new KvStateMachine();
  for (const command of commands) machine.apply(machine.appliedOffset, command, 0);
  return machine;
}

test("a script reads the newest versions with its own writes on top", () => {
  const machine = machineWith(set("a", "1"));
  const state = new ScriptState(machine.newestState, 0);
  assert.equal(stringOf(state.read({ kind: "get", key: "a" })), "1");
  assert.deepEqual(state.write(incr("a")), { kind: "integer", value: 2n });
  assert.equal(stringOf(state.read({ kind: "get", key: "a" })), "2");
  const replica = machine.query({ kind: "get", key: "a" }, machine.appliedOffset, 0);
  assert.equal(stringOf(replica), "1", "the replica's state is untouched");
  assert.deepEqual(state.steps, [{ write: incr("a") }]);
});

test("each key consulted is watched once, with the version it had before the script wrote", () => {
  const machine = machineWith(set("a", "1"), set("b", "x"));
  const state = new ScriptState(machine.newestState, 0);
  state.write(incr("a"));
  state.write(incr("a"));
  state.read({ kind: "get", key: "b" });
  state.read({ kind: "get", key: "absent" });
  assert.deepEqual(state.watched, [
    { key: "a", version: 0, live: true },
    { key: "b", version: 1, live: true },
    { key: "absent", version: null, live: false },
  ]);
});

test("rollback forgets the writes after the mark and keeps those before", () => {
  const machine = machineWith(set("a", "1"));
  const state = new ScriptState(machine.newestState, 0);
  state.write(incr("a"));
  const mark = state.mark();
  state.write(incr("a"));
  state.write(set("b", "stopped"));
  state.rollback(mark);
  assert.deepEqual(state.steps, [{ write: incr("a") }]);
  assert.equal(stringOf(state.read({ kind: "get", key: "a" })), "2");
  assert.equal(stringOf(state.read({ kind: "get", key: "b" })), null);
});

test("commands that read every key are refused, and leave no step", () => {
  const machine = machineWith(set("a", "1"));
  const state = new ScriptState(machine.newestState, 0);
  assert.equal(state.read({ kind: "keys", pattern: "*" }), undefined);
  assert.equal(state.read({ kind: "dbSize" }), undefined);
  assert.equal(state.write({ kind: "flushAll" }), undefined);
  assert.deepEqual(state.steps, []);
});
