/**
 * The kv state machine against the naive reference (reference_kv.ts): random runs of apply, skip,
 * truncate, collectGarbage and reads at random offsets and clocks must always agree.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { KvStateMachine } from "../../../src/core/state/index.js";
import { offset } from "../../../src/core/types.js";
import {
  clockMsMax,
  keyArbitrary,
  keys,
  nowMsArbitrary,
  recordArbitrary,
} from "./kv_arbitraries.js";
import { ReferenceKv, read } from "./reference_kv.js";

/** `pick` chooses an offset in [horizon, applied] whatever the state is when the step runs. */
const stepArbitrary = fc.oneof(
  {
    arbitrary: recordArbitrary.map((record) => ({ kind: "apply" as const, ...record })),
    weight: 10,
  },
  { arbitrary: fc.constant({ kind: "skip" as const }), weight: 1 },
  { arbitrary: fc.nat().map((pick) => ({ kind: "truncate" as const, pick })), weight: 2 },
  { arbitrary: fc.nat().map((pick) => ({ kind: "collect" as const, pick })), weight: 2 },
  {
    arbitrary: fc
      .record({ key: keyArbitrary, pick: fc.nat(), nowMs: nowMsArbitrary })
      .map((read) => ({ kind: "query" as const, ...read })),
    weight: 4,
  },
);

const pickOffset = (reference: ReferenceKv, pick: number): number =>
  reference.horizonOffset + (pick % (reference.appliedOffset - reference.horizonOffset + 1));

function assertSameReads(machine: KvStateMachine, reference: ReferenceKv): void {
  for (let at = reference.horizonOffset; at <= reference.appliedOffset; at++) {
    const state = reference.replay(at);
    for (const key of keys) {
      for (let nowMs = 0; nowMs <= clockMsMax + 1; nowMs += 3) {
        assert.deepEqual(
          machine.query({ kind: "get", key }, offset(at), nowMs),
          read(state, key, nowMs),
          `get ${key} at offset ${at}, nowMs ${nowMs}`,
        );
      }
    }
  }
}

test("kv agrees with a replayed Map under apply, truncate, collect and reads", () => {
  fc.assert(
    fc.property(fc.array(stepArbitrary, { maxLength: 80, size: "max" }), (steps) => {
      const machine = new KvStateMachine();
      const reference = new ReferenceKv();
      for (const step of steps) {
        switch (step.kind) {
          case "apply":
            assert.deepEqual(
              machine.apply(offset(reference.appliedOffset), step.command, step.nowMs),
              reference.apply(step.command, step.nowMs),
              `apply ${JSON.stringify(step.command, (_, v) => (typeof v === "bigint" ? `${v}n` : v))}`,
            );
            break;
          case "skip":
            machine.skip(offset(reference.appliedOffset));
            reference.skip();
            break;
          case "truncate": {
            const fromOffset = pickOffset(reference, step.pick);
            machine.truncate(offset(fromOffset));
            reference.truncate(fromOffset);
            break;
          }
          case "collect": {
            const belowOffset = pickOffset(reference, step.pick);
            machine.collectGarbage(offset(belowOffset));
            reference.collectGarbage(belowOffset);
            break;
          }
          case "query": {
            const at = pickOffset(reference, step.pick);
            assert.deepEqual(
              machine.query({ kind: "get", key: step.key }, offset(at), step.nowMs),
              reference.get(step.key, at, step.nowMs),
            );
            break;
          }
        }
        assert.equal(machine.appliedOffset, reference.appliedOffset);
        assert.equal(machine.horizonOffset, reference.horizonOffset);
      }
      assertSameReads(machine, reference);
    }),
    { numRuns: 300 },
  );
});
