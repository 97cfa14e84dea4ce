/**
 * PUBLISH on the kv machine: the record changes no key, and the machine hands its message to the
 * replica's subscribers (the `publish` hook) as it applies it, alone or as a transaction's step,
 * answering the deliveries the hook counted.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type KvCommand, KvStateMachine } from "../../../src/core/state/index.js";
import { offset } from "../../../src/core/types.js";

const publish = (channel: string, message: string) =>
  ({ kind: "publish", channel, message }) as const;

/** A machine whose hook records every delivery and answers `receivers` for each. */
function recording(receivers = 2) {
  const delivered: string[] = [];
  const machine = new KvStateMachine({
    publish: (channel, message) => {
      delivered.push(`${channel}:${message}`);
      return receivers;
    },
    written: () => {},
  });
  const apply = (command: KvCommand) => machine.apply(machine.appliedOffset, command, 0);
  return { machine, delivered, apply };
}

test("a publish record delivers its message once and answers the deliveries", () => {
  const { machine, delivered, apply } = recording(3);
  assert.deepEqual(apply(publish("news", "hello")), { kind: "count", count: 3 });
  assert.deepEqual(delivered, ["news:hello"]);
  assert.equal(machine.keyCount, 0, "no key is written");
  assert.equal(machine.appliedOffset, offset(1));
});

test("without a hook a publish record reaches nobody", () => {
  const machine = new KvStateMachine();
  const result = machine.apply(offset(0), publish("news", "hello"), 0);
  assert.deepEqual(result, { kind: "count", count: 0 });
});

test("a transaction delivers its messages in step order, each step answering its count", () => {
  const { machine, delivered, apply } = recording(1);
  const result = apply({
    kind: "exec",
    steps: [
      { write: publish("a", "1") },
      { write: { kind: "set", key: "k", value: "v" } },
      { read: { kind: "get", key: "k" } },
      { write: publish("b", "2") },
    ],
  });
  assert.equal(result.kind, "transaction");
  assert.deepEqual(result.kind === "transaction" && result.results[0], { kind: "count", count: 1 });
  assert.deepEqual(result.kind === "transaction" && result.results[1], { kind: "ok" });
  assert.deepEqual(result.kind === "transaction" && result.results[3], { kind: "count", count: 1 });
  assert.deepEqual(delivered, ["a:1", "b:2"]);
  assert.equal(machine.keyCount, 1);
});

test("a transaction aborted by WATCH delivers nothing", () => {
  const { machine, delivered, apply } = recording();
  const watched = machine.query({ kind: "watch", key: "k" }, machine.appliedOffset, 0).watched;
  apply({ kind: "set", key: "k", value: "changed" });
  const result = apply({ kind: "exec", steps: [{ write: publish("a", "1") }], watched: [watched] });
  assert.deepEqual(result, { kind: "aborted" });
  assert.deepEqual(delivered, []);
});

test("a truncated publish record is not delivered again, and a new record at its offset is", () => {
  const { machine, delivered, apply } = recording();
  apply({ kind: "set", key: "k", value: "v" });
  apply(publish("a", "old"));
  machine.truncate(offset(1));
  assert.equal(machine.appliedOffset, offset(1));
  apply(publish("a", "new"));
  assert.deepEqual(delivered, ["a:old", "a:new"]);
});
