/**
 * Mutation tests: the simulator must catch a deliberately broken core within a few hundred
 * seeds — otherwise a clean run would prove nothing. Each seed that catches a mutation must pass
 * with the correct core, so the violation is the mutation's doing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Mutation } from "../../src/core/replica/index.js";
import { runSeed } from "../../src/sim/run.js";

const seedsMax = 500;

/** The first seed whose run names a violation; a checker that could not decide is no catch. */
function firstCatch(mutation: Mutation): { seed: number; message: string } | undefined {
  for (let seed = 1; seed <= seedsMax; seed++) {
    const result = runSeed(seed, { mutations: new Set([mutation]) });
    const message = result.violation?.message;
    if (message !== undefined && !message.startsWith("the checker could not decide"))
      return { seed, message };
  }
  return undefined;
}

const expectations: Array<[Mutation, RegExp]> = [
  ["double_vote", /two leaders|log matching|committed record changed/],
  [
    "commit_old_epoch",
    /committed record changed|below commit|log matching|acknowledged majority write/,
  ],
  [
    "ack_before_durable",
    /committed record changed|below commit|acknowledged majority write|log matching/,
  ],
  ["skip_divergence_check", /log matching|committed record changed|below commit/],
  ["read_without_quorum", /stale read|not linearizable/],
];

for (const [mutation, kind] of expectations) {
  test(`the simulator catches ${mutation} within ${seedsMax} seeds`, () => {
    const caught = firstCatch(mutation);
    assert.ok(caught !== undefined, `${mutation} survived ${seedsMax} seeds`);
    assert.match(caught.message, kind);
    const clean = runSeed(caught.seed);
    assert.equal(clean.violation, undefined, `seed ${caught.seed} fails without the mutation too`);
  });
}
