/**
 * Times the checker on generated linearizable histories (test/checker/generate.ts):
 * a 5-process single cas register of 200 operations with ~15% info (aim < 50 ms), a 10-key kv
 * history of 10,000 operations from 10 processes, and a 100,000-operation 100-key history (aim
 * < 5 s). Times include parsing the JSON Lines text, as `onelog check` does. Then refutation,
 * where the search must rule out every order: 20 of the cas-register histories (seeds 1-20),
 * each with one read of a value nobody wrote appended, 20 s each at most.
 * Run: npm run bench:checker
 */
import {
  checkLinearizable,
  findAnomalies,
  pairEvents,
  parseHistory,
} from "../src/checker/index.js";
import {
  type GenerateOptions,
  generateHistory,
  toJsonLines,
  withImpossibleRead,
} from "../test/checker/generate.js";

interface Case {
  name: string;
  aimMs: number | undefined;
  generate: GenerateOptions;
  model: string;
}

const casRegister: GenerateOptions = {
  seed: 1,
  processCount: 5,
  operationCount: 200,
  keyCount: 0,
  infoRatio: 0.15,
  workload: "cas-register",
};

const cases: Case[] = [
  {
    name: "cas register, 5 processes, 200 ops, 15% info",
    aimMs: 50,
    generate: casRegister,
    model: "cas-register",
  },
  {
    name: "kv, 10 keys, 10 processes, 10,000 ops, 5% info",
    aimMs: undefined,
    generate: {
      seed: 2,
      processCount: 10,
      operationCount: 10_000,
      keyCount: 10,
      infoRatio: 0.05,
      workload: "cas-register",
    },
    model: "kv",
  },
  {
    name: "kv, 100 keys, 20 processes, 100,000 ops, 5% info",
    aimMs: 5000,
    generate: {
      seed: 3,
      processCount: 20,
      operationCount: 100_000,
      keyCount: 100,
      infoRatio: 0.05,
      workload: "cas-register",
    },
    model: "kv",
  },
];

const repetitions = 5;

for (const benchCase of cases) {
  const text = toJsonLines(generateHistory(benchCase.generate));
  const timesMs: number[] = [];
  let verdict = "";
  for (let repetition = 0; repetition < repetitions; repetition++) {
    const startMs = performance.now();
    const history = parseHistory(text, "jsonl");
    if (history.kind === "error")
      throw new Error(`generated history is malformed: ${history.error.message}`);
    const result = checkLinearizable(history.value, benchCase.model, { timeLimitMs: 60_000 });
    findAnomalies(history.value);
    timesMs.push(performance.now() - startMs);
    verdict = result.verdict;
  }
  timesMs.sort((a, b) => a - b);
  const medianMs = timesMs[Math.floor(timesMs.length / 2)]!;
  const aim = benchCase.aimMs === undefined ? "" : ` (aim < ${benchCase.aimMs} ms)`;
  console.log(
    `${benchCase.name}: verdict ${verdict}, median ${medianMs.toFixed(1)} ms, ` +
      `min ${timesMs[0]!.toFixed(1)} ms over ${repetitions} runs${aim}`,
  );
}

const refutedSeeds = 20;
const refutationTimesMs: number[] = [];
const refutationVerdicts = new Map<string, number>();
for (let seed = 1; seed <= refutedSeeds; seed++) {
  const paired = pairEvents(withImpossibleRead(generateHistory({ ...casRegister, seed })));
  if (paired.kind === "error") throw new Error(`generated history: ${paired.error.message}`);
  const startMs = performance.now();
  const { verdict } = checkLinearizable(paired.value, "cas-register", { timeLimitMs: 20_000 });
  refutationTimesMs.push(performance.now() - startMs);
  refutationVerdicts.set(verdict, (refutationVerdicts.get(verdict) ?? 0) + 1);
}
refutationTimesMs.sort((a, b) => a - b);
console.log(
  `cas register, 200 ops, 15% info, plus one impossible read, ${refutedSeeds} seeds: ` +
    `${[...refutationVerdicts].map(([verdict, count]) => `${count} ${verdict}`).join(", ")}; ` +
    `median ${refutationTimesMs[refutedSeeds / 2]!.toFixed(0)} ms, ` +
    `max ${refutationTimesMs.at(-1)!.toFixed(0)} ms`,
);
