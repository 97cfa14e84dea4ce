/**
 * The kv state machine against the naive reference (reference_kv.ts): random runs of apply, skip,
 * truncate, collectGarbage and every kind of query at random offsets and clocks must always
 * agree; at the end of each run, a fixed set of queries (and whole SCAN walks) at every offset
 * held and several clocks.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type KvCommand, type KvQuery, KvStateMachine } from "../../../src/core/state/index.js";
import { offset } from "../../../src/core/types.js";
import { collectionCommandArbitrary, collectionQueryArbitrary } from "./collection_arbitraries.js";
import {
  clockMsMax,
  commandArbitrary,
  keyArbitrary,
  keys,
  listCommandArbitrary,
  nowMsArbitrary,
  queryArbitrary,
  readTransactionArbitrary,
  recordArbitrary,
  transactionArbitrary,
} from "./kv_arbitraries.js";
import { answer, ReferenceKv } from "./reference_kv.js";

const describe = (value: unknown): string =>
  JSON.stringify(value, (_, inner) => (typeof inner === "bigint" ? `${inner}n` : inner));

/** Queries asked at every offset and clock at the end of a run. */
const fixedQueries: KvQuery[] = [
  ...keys.flatMap((key): KvQuery[] => [
    { kind: "get", key },
    { kind: "type", key },
    { kind: "ttl", key },
    { kind: "strlen", key },
    { kind: "getRange", key, start: 0, end: -1 },
    { kind: "llen", key },
    { kind: "lrange", key, start: 0, stop: -1 },
    { kind: "hgetall", key },
    { kind: "smembers", key },
    { kind: "zrange", key, range: { by: "rank", start: 0, stop: -1 } },
  ]),
  { kind: "exists", keys: [...keys, ...keys] },
  { kind: "mget", keys: [...keys] },
  { kind: "keys", pattern: "*" },
  { kind: "dbSize" },
  { kind: "keyCounts" },
  { kind: "randomKey", seed: 1 },
  { kind: "expiredKeys", limit: 10 },
];

/**
 * Steps that apply `records` and ask `queries`; `pick` chooses an offset in [horizon, applied]
 * whatever the state is when the step runs.
 */
const stepsOf = (
  records: fc.Arbitrary<{ command: KvCommand; nowMs: number }>,
  queries: fc.Arbitrary<KvQuery>,
) =>
  fc.oneof(
    {
      arbitrary: records.map((record) => ({ kind: "apply" as const, ...record })),
      weight: 10,
    },
    { arbitrary: fc.constant({ kind: "skip" as const }), weight: 1 },
    { arbitrary: fc.nat().map((pick) => ({ kind: "truncate" as const, pick })), weight: 2 },
    { arbitrary: fc.nat().map((pick) => ({ kind: "collect" as const, pick })), weight: 2 },
    {
      arbitrary: fc
        .record({ query: queries, pick: fc.nat(), nowMs: nowMsArbitrary })
        .map((read) => ({ kind: "query" as const, ...read })),
      weight: 4,
    },
  );

const pickOffset = (reference: ReferenceKv, pick: number): number =>
  reference.horizonOffset + (pick % (reference.appliedOffset - reference.horizonOffset + 1));

function assertSameReads(machine: KvStateMachine, reference: ReferenceKv): void {
  for (let at = reference.horizonOffset; at <= reference.appliedOffset; at++) {
    const state = reference.replay(at);
    for (let nowMs = 0; nowMs <= clockMsMax + 1; nowMs += 3) {
      for (const query of fixedQueries) {
        assert.deepEqual(
          machine.query(query, offset(at), nowMs),
          answer(state, query, nowMs),
          `${describe(query)} at offset ${at}, nowMs ${nowMs}`,
        );
      }
      // A whole SCAN walk, one key a call, visits every present key once, in order.
      let cursor = "0";
      const walked: string[] = [];
      do {
        const query: KvQuery = { kind: "scan", cursor, count: 1 };
        const page = machine.query(query, offset(at), nowMs);
        assert.deepEqual(page, answer(state, query, nowMs), `${describe(query)} at ${at}`);
        walked.push(...page.keys);
        cursor = page.cursor;
      } while (cursor !== "0");
      assert.deepEqual(
        walked,
        machine.query({ kind: "keys", pattern: "*" }, offset(at), nowMs).keys,
      );
    }
  }
}

type Step = typeof stepArbitrary extends fc.Arbitrary<infer Item> ? Item : never;

const stepArbitrary = stepsOf(recordArbitrary, queryArbitrary);

/**
 * Sets and sorted sets are a small share of all commands, so they get runs of their own where
 * they are most of them: enough members for SPOP's draw, ZRANGE's ranks and ZADD's options to
 * matter, and a few other commands for WRONGTYPE, deletion and expiry.
 */
const collectionStepArbitrary = stepsOf(
  fc.record({
    command: fc.oneof(
      { arbitrary: collectionCommandArbitrary(keyArbitrary), weight: 8 },
      { arbitrary: commandArbitrary, weight: 1 },
    ),
    nowMs: nowMsArbitrary,
  }),
  fc.oneof(
    { arbitrary: collectionQueryArbitrary(keyArbitrary), weight: 4 },
    { arbitrary: queryArbitrary, weight: 1 },
  ),
);

/** Lists likewise: pushes long enough for LTRIM and LPOP with a count to cut inside them. */
const listStepArbitrary = stepsOf(
  fc.record({
    command: fc.oneof(
      { arbitrary: listCommandArbitrary(), weight: 8 },
      { arbitrary: commandArbitrary, weight: 1 },
    ),
    nowMs: nowMsArbitrary,
  }),
  queryArbitrary,
);

/**
 * MULTI ... EXEC: transactions among plain commands. Each step must answer as the same command
 * applied alone at that point would, and the record must leave what the steps would in turn.
 */
const transactionStepArbitrary = stepsOf(
  fc.record({
    command: fc.oneof(
      { arbitrary: transactionArbitrary, weight: 2 },
      { arbitrary: commandArbitrary, weight: 1 },
    ),
    nowMs: nowMsArbitrary,
  }),
  fc.oneof(
    { arbitrary: readTransactionArbitrary, weight: 1 },
    { arbitrary: queryArbitrary, weight: 1 },
  ),
);

test("kv agrees with a replayed Map under apply, truncate, collect and reads", () => {
  fc.assert(
    fc.property(fc.array(stepArbitrary, { maxLength: 80, size: "max" }), agreesWithReference),
    { numRuns: 300 },
  );
});

test("sets and sorted sets agree with the replayed Map too", () => {
  fc.assert(
    fc.property(
      fc.array(collectionStepArbitrary, { maxLength: 80, size: "max" }),
      agreesWithReference,
    ),
    { numRuns: 200 },
  );
});

function agreesWithReference(steps: Step[]): void {
  const machine = new KvStateMachine();
  const reference = new ReferenceKv();
  for (const step of steps) {
    switch (step.kind) {
      case "apply":
        assert.deepEqual(
          machine.apply(offset(reference.appliedOffset), step.command, step.nowMs),
          reference.apply(step.command, step.nowMs),
          `apply ${describe(step.command)}`,
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
          machine.query(step.query, offset(at), step.nowMs),
          reference.query(step.query, at, step.nowMs),
          `${describe(step.query)} at offset ${at}, nowMs ${step.nowMs}`,
        );
        break;
      }
    }
    assert.equal(machine.appliedOffset, reference.appliedOffset);
    assert.equal(machine.horizonOffset, reference.horizonOffset);
  }
  assertSameReads(machine, reference);
}

test("transactions agree with their steps applied one by one", () => {
  fc.assert(
    fc.property(
      fc.array(transactionStepArbitrary, { maxLength: 60, size: "max" }),
      agreesWithReference,
    ),
    { numRuns: 200 },
  );
});

test("lists agree with the replayed Map too", () => {
  fc.assert(
    fc.property(fc.array(listStepArbitrary, { maxLength: 80, size: "max" }), agreesWithReference),
    { numRuns: 200 },
  );
});
