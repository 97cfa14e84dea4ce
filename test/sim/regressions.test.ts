import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseRegressions } from "../../src/sim/regressions.js";
import { runSeed } from "../../src/sim/run.js";

const seeds = parseRegressions(readFileSync("testdata/sim/regressions.txt", "utf8"));

test("the regression list is not empty", () => {
  assert.ok(seeds.length > 0);
});

for (const { seed, overrides, note } of seeds) {
  test(`regression seed ${seed}: ${note}`, () => {
    const result = runSeed(seed, overrides);
    assert.equal(result.violation, undefined, `seed ${seed}: ${result.violation?.message}`);
    assert.ok(result.operations > 0, "the seed ran client operations");
  });
}

test("regression lines parse seeds, overrides and notes, and reject junk", () => {
  const parsed = parseRegressions(
    "# header\n7 mutation=double_vote ops=50 # two votes\n\n9 # plain\n",
  );
  assert.deepEqual(
    parsed.map((entry) => [
      entry.seed,
      [...(entry.overrides.mutations ?? [])],
      entry.overrides.operationCount,
      entry.note,
    ]),
    [
      [7, ["double_vote"], 50, "two votes"],
      [9, [], undefined, "plain"],
    ],
  );
  assert.throws(() => parseRegressions("x # nope"), /line 1: expected a seed/);
  assert.throws(() => parseRegressions("3 colour=red"), /unknown option/);
});
