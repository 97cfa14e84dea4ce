/**
 * The regression list: seeds that once failed, replayed by the tests forever after. One seed a
 * line, optionally with overrides, then a comment saying what it found:
 *
 *     12 # a tick event lost at the end of the safety phase stopped a node's clock
 *     115 mutation=read_without_quorum # ...
 */
import type { Mutation } from "../core/replica/index.js";
import type { ScenarioOverrides } from "./scenario.js";

export interface RegressionSeed {
  seed: number;
  overrides: ScenarioOverrides;
  /** The comment: what the seed once found. */
  note: string;
  line: number;
}

export function parseRegressions(text: string): RegressionSeed[] {
  const seeds: RegressionSeed[] = [];
  text.split("\n").forEach((raw, index) => {
    const [body = "", ...comment] = raw.split("#");
    const words = body.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return;
    const seed = Number(words[0]);
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new Error(`regressions line ${index + 1}: expected a seed, got "${words[0]}"`);
    }
    const overrides: ScenarioOverrides = {};
    for (const word of words.slice(1)) {
      const [name, value = ""] = word.split("=");
      if (name === "mutation") overrides.mutations = new Set(value.split(",") as Mutation[]);
      else if (name === "ops") overrides.operationCount = Number(value);
      else throw new Error(`regressions line ${index + 1}: unknown option "${word}"`);
    }
    seeds.push({ seed, overrides, note: comment.join("#").trim(), line: index + 1 });
  });
  return seeds;
}

export function formatRegression(seed: number, overrides: ScenarioOverrides, note: string): string {
  const options: string[] = [];
  if (overrides.mutations !== undefined && overrides.mutations.size > 0) {
    options.push(`mutation=${[...overrides.mutations].join(",")}`);
  }
  if (overrides.operationCount !== undefined) options.push(`ops=${overrides.operationCount}`);
  return `${[String(seed), ...options].join(" ")} # ${note.replace(/\n/g, " ")}`;
}
