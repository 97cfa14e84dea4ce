/**
 * Times the checker on generated linearizable histories (test/checker/generate.ts):
 * a 5-process single cas register of 200 operations with ~15% info (aim < 50 ms), a 10-key kv
 * history of 10,000 operations from 10 processes, and a 100,000-operation 100-key history (aim
 * < 5 s). Times include parsing the JSON Lines text, as `onelog check` does.
 * Run: npm run bench:checker
 */
import { checkLinearizable, findAnomalies, parseHistory } from "../src/checker/index.js";
import { type GenerateOptions, generateHistory, toJsonLines } from "../test/checker/generate.js";

interface Case {
  name: string;
  aimMs: number | undefined;
  generate: GenerateOptions;
  model: string;
}

const cases: Case[] = [
  {
    name: "cas register, 5 processes, 200 ops, 15% info",
    aimMs: 50,
    generate: {
      seed: 1,
      processCount: 5,
      operationCount: 200,
      keyCount: 0,
      infoRatio: 0.15,
      workload: "cas-register",
    },
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
