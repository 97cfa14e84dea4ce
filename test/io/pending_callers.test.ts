/**
 * The driver's table of waiting callers: against a Map of ids as the model, any sequence of adds
 * and takes finds each caller exactly once under the id it was given, never two pending callers
 * under one id, and a reply to an id already answered reaches nobody.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { PendingCallers } from "../../src/io/driver/pending_callers.js";

type Step =
  | { op: "add"; kind: "write" | "read"; fedAtMs: number }
  | { op: "take"; pick: number; kind: "write" | "read" | "own" };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant("add" as const),
    kind: fc.constantFrom("write" as const, "read" as const),
    fedAtMs: fc.nat(1000),
  }),
  fc.record({
    op: fc.constant("take" as const),
    pick: fc.nat(),
    kind: fc.constantFrom("own" as const, "own" as const, "write" as const, "read" as const),
  }),
);

test("callers come back once each, under their own ids, with their feeding time", () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
      const table = new PendingCallers<{ name: number }, { name: number }>();
      const model = new Map<number, { kind: "write" | "read"; caller: object; fedAtMs: number }>();
      const answered: number[] = [];
      let made = 0;
      let mostPending = 0;
      for (const next of steps) {
        if (next.op === "add") {
          const caller = { name: made++ };
          const id = table.add(next.kind as "write", caller);
          assert.ok(!model.has(id), `id ${id} given to two pending callers`);
          table.fed(id, next.fedAtMs);
          model.set(id, { kind: next.kind, caller, fedAtMs: next.fedAtMs });
          mostPending = Math.max(mostPending, model.size);
          // Ids are reused: none is above the most callers ever pending at once.
          assert.ok(id <= mostPending, `id ${id} with at most ${mostPending} pending`);
        } else if (model.size > 0 && next.kind === "own") {
          const id = [...model.keys()][next.pick % model.size] as number;
          const expected = model.get(id)!;
          assert.equal(table.fedAtMs(id), expected.fedAtMs);
          assert.equal(table.take(expected.kind as "write", id), expected.caller);
          model.delete(id);
          answered.push(id);
        } else if (answered.length > 0) {
          // A late reply: to an id answered and not given out again since, it reaches nobody.
          const id = answered[next.pick % answered.length] as number;
          if (!model.has(id)) assert.equal(table.take(next.kind as "write", id), undefined);
        }
        assert.equal(table.size, model.size);
      }
      const pendingWrites = [...model].filter(([, entry]) => entry.kind === "write");
      assert.deepEqual(
        table.ids("write"),
        pendingWrites.map(([id]) => id).sort((a, b) => a - b),
      );
    }),
  );
});

test("a reply of the other kind than its request's is a bug, caught", () => {
  const table = new PendingCallers<string, string>();
  const id = table.add("write", "writer");
  assert.throws(() => table.take("read", id), /a read reply to request 1, not a read/);
  assert.equal(table.take("write", id), "writer");
});

test("an answered id is given to the next caller", () => {
  const table = new PendingCallers<string, string>();
  const first = table.add("write", "a");
  table.add("write", "b");
  table.take("write", first);
  assert.equal(table.add("read", "c"), first);
  assert.equal(table.size, 2);
});
