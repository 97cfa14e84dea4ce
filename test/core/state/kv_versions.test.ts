/**
 * The version chains: reads at older offsets, truncation restoring the exact prior state, and
 * garbage collection keeping every read at or above the horizon exact while bounding memory.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type KvCommand, KvStateMachine } from "../../../src/core/state/index.js";
import { type Offset, offset } from "../../../src/core/types.js";
import { clockMsMax, keys, recordArbitrary } from "./kv_arbitraries.js";

type Record = { command: KvCommand; nowMs: number };

function applyAll(machine: KvStateMachine, records: readonly Record[]): void {
  for (const { command, nowMs } of records) {
    machine.apply(machine.appliedOffset, command, nowMs);
  }
}

/** Every read the two machines may both answer: each key, offset from `fromOffset`, clock. */
function assertSameReads(actual: KvStateMachine, expected: KvStateMachine, fromOffset: number) {
  assert.equal(actual.appliedOffset, expected.appliedOffset);
  for (let at = fromOffset; at <= actual.appliedOffset; at++) {
    for (const key of keys) {
      for (let nowMs = 0; nowMs <= clockMsMax + 1; nowMs++) {
        const query = { kind: "get", key } as const;
        assert.deepEqual(
          actual.query(query, offset(at), nowMs),
          expected.query(query, offset(at), nowMs),
          `get ${key} at ${at}, nowMs ${nowMs}`,
        );
      }
    }
  }
}

const recordsArbitrary = fc.array(recordArbitrary, { maxLength: 40, size: "max" });

test("reads at an older offset see the version before it; the newest read sees the last", () => {
  const machine = new KvStateMachine();
  const values = ["a", "b", "c", "d", "e"];
  for (const value of values) applyAll(machine, [{ command: set("k", value), nowMs: 0 }]);
  machine.skip(machine.appliedOffset);
  const readAt = (at: number) => machine.query({ kind: "get", key: "k" }, offset(at), 0);
  assert.deepEqual(readAt(0), { kind: "value", value: null });
  values.forEach((value, index) => {
    assert.deepEqual(readAt(index + 1), {
      kind: "value",
      value: { type: "string", data: value },
      version: index,
    });
  });
  assert.deepEqual(readAt(6), { kind: "value", value: { type: "string", data: "e" }, version: 4 });
});

test("truncation restores the exact state of a machine that never applied the suffix", () => {
  fc.assert(
    fc.property(recordsArbitrary, recordsArbitrary, recordArbitrary, (prefix, suffix, next) => {
      const truncated = new KvStateMachine();
      applyAll(truncated, [...prefix, ...suffix]);
      truncated.truncate(offset(prefix.length));
      const fresh = new KvStateMachine();
      applyAll(fresh, prefix);
      // Structural equality covers the chains, the journal and the counters, not only reads.
      assert.deepStrictEqual(truncated, fresh);
      assert.deepStrictEqual(
        truncated.apply(truncated.appliedOffset, next.command, next.nowMs),
        fresh.apply(fresh.appliedOffset, next.command, next.nowMs),
      );
    }),
    { numRuns: 300 },
  );
});

test("collection keeps reads at or above the horizon exact, also after later truncations", () => {
  fc.assert(
    fc.property(
      recordsArbitrary,
      recordsArbitrary,
      fc.nat(),
      fc.nat(),
      (before, after, horizonPick, truncatePick) => {
        const collected = new KvStateMachine();
        const kept = new KvStateMachine();
        applyAll(collected, before);
        applyAll(kept, before);
        const horizon = offset(horizonPick % (before.length + 1));
        collected.collectGarbage(horizon);
        assertSameReads(collected, kept, horizon);
        applyAll(collected, after);
        applyAll(kept, after);
        assertSameReads(collected, kept, horizon);
        const fromOffset = offset(
          horizon + (truncatePick % (collected.appliedOffset - horizon + 1)),
        );
        collected.truncate(fromOffset);
        kept.truncate(fromOffset);
        assertSameReads(collected, kept, horizon);
        collected.collectGarbage(collected.appliedOffset);
        assertSameReads(collected, kept, collected.appliedOffset);
      },
    ),
    { numRuns: 200 },
  );
});

test("collection at the applied offset leaves one version per key and forgets deleted keys", () => {
  const machine = new KvStateMachine();
  for (let round = 0; round < 100; round++) {
    applyAll(machine, [
      { command: set("kept", String(round)), nowMs: 0 },
      { command: set("deleted", String(round)), nowMs: 0 },
    ]);
  }
  applyAll(machine, [{ command: { kind: "del", keys: ["deleted"] }, nowMs: 0 }]);
  assert.equal(machine.versionCount, 201);
  machine.collectGarbage(offset(100));
  assert.equal(machine.versionCount, 2 + 100 + 1, "one version below 100 per key, all above");
  machine.collectGarbage(machine.appliedOffset);
  assert.equal(machine.versionCount, 1);
  assert.equal(machine.keyCount, 1);
  assert.deepEqual(read(machine, "kept", machine.appliedOffset), { type: "string", data: "99" });
});

test("a tombstone below the horizon is forgotten even when newer versions follow it", () => {
  const machine = new KvStateMachine();
  applyAll(machine, [
    { command: set("k", "a"), nowMs: 0 },
    { command: { kind: "del", keys: ["k"] }, nowMs: 0 },
    { command: set("k", "b"), nowMs: 0 },
  ]);
  machine.collectGarbage(offset(2));
  assert.equal(machine.versionCount, 1);
  assert.equal(read(machine, "k", offset(2)), null);
  machine.truncate(offset(2));
  assert.equal(machine.keyCount, 0);
  assert.equal(read(machine, "k", offset(2)), null);
});

test("a long run collected in small steps stays exact and holds few versions", () => {
  const records: Record[] = [];
  for (let index = 0; index < 5000; index++) {
    const key = keys[index % keys.length]!;
    const command: KvCommand =
      index % 11 === 0 ? { kind: "del", keys: [key] } : { kind: "incr", key, by: 1n };
    records.push({ command, nowMs: 0 });
  }
  const collected = new KvStateMachine();
  for (const record of records) {
    applyAll(collected, [record]);
    if (collected.appliedOffset % 7 === 0) {
      // Collect, then rewind to the horizon and apply again, as a follower told to truncate.
      const appliedOffset = collected.appliedOffset;
      collected.collectGarbage(offset(appliedOffset - 3));
      collected.truncate(collected.horizonOffset);
      applyAll(collected, records.slice(collected.horizonOffset, appliedOffset));
    }
  }
  // One version per key below the horizon, and at most one per record above it.
  const versionsMax = keys.length + collected.appliedOffset - collected.horizonOffset;
  assert.ok(collected.versionCount <= versionsMax, `${collected.versionCount} > ${versionsMax}`);
  const fromOffset = collected.horizonOffset + 1;
  collected.truncate(offset(fromOffset));
  const kept = new KvStateMachine();
  applyAll(kept, records.slice(0, fromOffset));
  assertSameReads(collected, kept, collected.horizonOffset);
});

const set = (key: string, value: string): KvCommand => ({ kind: "set", key, value });

const read = (machine: KvStateMachine, key: string, at: Offset) =>
  machine.query({ kind: "get", key }, at, 0).value;

test("a snapshot restored elsewhere answers like the original, then and after more commands", () => {
  fc.assert(
    fc.property(recordsArbitrary, recordsArbitrary, fc.nat(), (before, after, cut) => {
      const original = new KvStateMachine();
      applyAll(original, before);
      const at = offset(cut % (original.appliedOffset + 1));
      const snapshot = original.snapshotAt(at);
      const restored = new KvStateMachine();
      restored.restore(snapshot);
      assert.equal(restored.appliedOffset, at);
      assert.equal(restored.horizonOffset, at);
      // The original, rewound to the snapshot's offset, is what the restored machine must be.
      original.truncate(at);
      assertSameReads(restored, original, at);
      applyAll(original, after);
      applyAll(restored, after);
      assertSameReads(restored, original, at);
    }),
    { numRuns: 200 },
  );
});
