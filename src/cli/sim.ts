/**
 * `onelog sim`: runs the deterministic simulator over many seeds (or replays one), with a progress
 * bar on stderr and a summary; a failing seed prints `seed=<n>` and the command that replays it.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { InvalidArgumentError, Option } from "commander";
import type { Mutation } from "../core/replica/index.js";
import { historyToJsonLines } from "../sim/history.js";
import { formatRegression } from "../sim/regressions.js";
import { runSeed, type SeedResult } from "../sim/run.js";
import type { ScenarioOverrides } from "../sim/scenario.js";

const mutations: Mutation[] = [
  "double_vote",
  "commit_old_epoch",
  "ack_before_durable",
  "skip_divergence_check",
  "read_without_quorum",
];

interface SimOptions {
  seeds?: number;
  seed?: number;
  from: number;
  ops?: number;
  nodes?: number;
  mutation?: Mutation;
  json?: boolean;
  history?: string;
  record?: string | boolean;
}

export interface SimSummary {
  seeds: number;
  passed: number;
  failed: number;
  operations: number;
  virtualSeconds: number;
  wallSeconds: number;
  seedsPerSecond: number;
  operationsPerSecond: number;
  /** Seeds whose concerns promise linearizability and whose history the checker proved so. */
  linearizableSeeds: number;
  /** Anomalies the weaker concerns allow, observed across all seeds, by kind. */
  allowedAnomalies: Record<string, number>;
  failures: Array<{
    seed: number;
    phase: string;
    message: string;
    replay: string;
    faults: string[];
  }>;
}

const positiveInteger = (value: string): number => {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0)
    throw new InvalidArgumentError("expected a non-negative integer");
  return number;
};

export function registerSimCommand(program: Command): void {
  program
    .command("sim")
    .description("run whole clusters under virtual time with seeded faults, checking every step")
    .option("--seeds <n>", "run this many seeds", positiveInteger)
    .option("--seed <s>", "replay one seed", positiveInteger)
    .option("--from <s>", "first seed of --seeds", positiveInteger, 1)
    .option("--ops <n>", "client operations per seed (default 1000)", positiveInteger)
    .addOption(
      new Option("--nodes <n>", "cluster size (default: drawn from the seed)")
        .choices(["1", "3", "5"])
        .argParser(Number),
    )
    .addOption(
      new Option("--mutation <m>", "run a deliberately broken core (mutation testing)").choices(
        mutations,
      ),
    )
    .option("--json", "print the summary as JSON")
    .option("--history <file>", "with --seed: write the client history as JSON Lines")
    .option("--record [file]", "append failing seeds to the regression list", false)
    .action((options: SimOptions) => {
      const summary = simulate(options);
      process.exitCode = summary.failed > 0 ? 1 : 0;
    });
}

function simulate(options: SimOptions): SimSummary {
  if (options.seed === undefined && options.seeds === undefined) options.seeds = 100;
  const seeds =
    options.seed !== undefined
      ? [options.seed]
      : Array.from({ length: options.seeds ?? 0 }, (_, index) => options.from + index);
  const overrides: ScenarioOverrides = {};
  if (options.ops !== undefined) overrides.operationCount = options.ops;
  if (options.nodes !== undefined) overrides.nodeCount = options.nodes;
  if (options.mutation !== undefined) overrides.mutations = new Set([options.mutation]);

  const bar =
    process.stderr.isTTY && seeds.length > 1
      ? new SingleBar({
          format: "sim [{bar}] {value}/{total} seeds | {failed} failed | {eta_formatted} left",
          stream: process.stderr,
          hideCursor: true,
        })
      : undefined;
  bar?.start(seeds.length, 0, { failed: 0 });

  const started = performance.now();
  const summary: SimSummary = {
    seeds: seeds.length,
    passed: 0,
    failed: 0,
    operations: 0,
    virtualSeconds: 0,
    wallSeconds: 0,
    seedsPerSecond: 0,
    operationsPerSecond: 0,
    linearizableSeeds: 0,
    allowedAnomalies: {},
    failures: [],
  };
  let last: SeedResult | undefined;
  for (const seed of seeds) {
    const result = runSeed(seed, overrides);
    last = result;
    summary.operations += result.operations;
    summary.virtualSeconds += result.virtualMs / 1000;
    if (result.check?.linearizable === "ok") summary.linearizableSeeds++;
    for (const [kind, count] of Object.entries(result.check?.allowedAnomalies ?? {})) {
      summary.allowedAnomalies[kind] = (summary.allowedAnomalies[kind] ?? 0) + count;
    }
    if (result.ok) summary.passed++;
    else {
      summary.failed++;
      const violation = result.violation as NonNullable<SeedResult["violation"]>;
      summary.failures.push({
        seed,
        phase: violation.phase,
        message: violation.message,
        replay: replayCommand(seed, options),
        faults: result.faults.slice(-10),
      });
      if (options.record !== false) {
        const file =
          typeof options.record === "string" ? options.record : "testdata/sim/regressions.txt";
        appendFileSync(file, `${formatRegression(seed, overrides, violation.message)}\n`);
      }
    }
    bar?.increment(1, { failed: summary.failed });
  }
  bar?.stop();
  summary.wallSeconds = (performance.now() - started) / 1000;
  summary.seedsPerSecond = summary.seeds / summary.wallSeconds;
  summary.operationsPerSecond = summary.operations / summary.wallSeconds;
  if (options.history !== undefined && last !== undefined)
    writeFileSync(options.history, historyToJsonLines(last.history));
  if (options.json) console.log(JSON.stringify(summary, null, 2));
  else printSummary(summary);
  return summary;
}

function replayCommand(seed: number, options: SimOptions): string {
  const parts = ["npx onelog sim", `--seed ${seed}`];
  if (options.ops !== undefined) parts.push(`--ops ${options.ops}`);
  if (options.nodes !== undefined) parts.push(`--nodes ${options.nodes}`);
  if (options.mutation !== undefined) parts.push(`--mutation ${options.mutation}`);
  return parts.join(" ");
}

function printSummary(summary: SimSummary): void {
  for (const failure of summary.failures) {
    console.log(`seed=${failure.seed} FAILED in the ${failure.phase} phase: ${failure.message}`);
    if (failure.faults.length > 0) console.log(`  last faults: ${failure.faults.join("; ")}`);
    console.log(`  replay: ${failure.replay}`);
  }
  const lines = [
    ["seeds", `${summary.seeds} (${summary.passed} passed, ${summary.failed} failed)`],
    ["operations", String(summary.operations)],
    [
      "linearizable (checked)",
      `${summary.linearizableSeeds} seeds with majority writes and linearizable reads`,
    ],
    [
      "allowed anomalies",
      Object.entries(summary.allowedAnomalies)
        .map(([kind, count]) => `${kind} ${count}`)
        .join(", ") || "none",
    ],
    ["virtual time", `${summary.virtualSeconds.toFixed(1)} s`],
    ["wall time", `${summary.wallSeconds.toFixed(2)} s`],
    ["seeds per second", summary.seedsPerSecond.toFixed(1)],
    ["operations per second", summary.operationsPerSecond.toFixed(0)],
  ];
  for (const [name, value] of lines) console.log(`${(name as string).padEnd(22)} ${value}`);
}
