/**
 * `onelog lab run` and `onelog lab matrix`: Jepsen-style runs against real node processes
 * (src/lab). A run exits 0 when what it observed agrees with what its concerns promise, 1 when
 * an anomaly they rule out was seen, 3 when the checker could not decide; a matrix exits 1 if
 * any row disagrees. Progress goes to stderr.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import type { ReadLevel, ReadPreference } from "../core/concern/index.js";
import { type NetworkMode, networkModes } from "../lab/cluster.js";
import { runMatrix } from "../lab/matrix.js";
import { type NemesisKind, parseNemesisKinds } from "../lab/nemesis_plan.js";
import { type LabPreset, labPresets, type WriteLabel } from "../lab/promises.js";
import { matrixHtml, matrixMarkdown } from "../lab/report/matrix_report.js";
import { type Progress, runLab } from "../lab/run.js";
import { type WorkloadName, workloadNames } from "../lab/workloads/index.js";

interface CommonOptions {
  preset: string;
  workload: string;
  nemesis: string;
  duration: string;
  concurrency: string;
  seed?: string;
  out?: string;
  network: string;
}

interface RunCliOptions extends CommonOptions {
  writeConcern: string;
  readConcern: string;
  readPreference?: string;
}

const readLevels = ["linearizable", "majority", "local"] as const;
const readPreferences = [
  "primary",
  "primaryPreferred",
  "secondary",
  "secondaryPreferred",
  "nearest",
];

export function registerLabCommand(program: Command): void {
  const lab = program
    .command("lab")
    .description("fault-injection runs against real node processes");
  const common = (command: Command, duration: string, workload = "register") =>
    command
      .option("--preset <name>", "raft or mongodb", "raft")
      .option("--workload <name>", workloadNames.join(", "), workload)
      .option(
        "--nemesis <kinds>",
        "comma-separated: kill, pause, partition, latency, loss, or none",
        "kill,pause,partition",
      )
      .option("--duration <time>", "fault phase length: 60s, 500ms, 2m", duration)
      .option("--concurrency <n>", "client workers", "10")
      .option("--seed <n>", "seed of the nemesis schedule and the workers (default: random)")
      .option(
        "--network <mode>",
        "loopback, or netns: a network namespace per node, partitions by firewall (root)",
        "loopback",
      )
      .option("--out <dir>", "report directory");
  common(
    lab.command("run").description("one run: workload, nemesis, heal, final reads, verdict"),
    "60s",
  )
    .option("--write-concern <w>", "majority or 1", "majority")
    .option("--read-concern <level>", "linearizable, majority or local", "linearizable")
    .option(
      "--read-preference <mode>",
      "primary, primaryPreferred, secondary, secondaryPreferred, nearest",
    )
    .action(async (options: RunCliOptions) => {
      const parsed = parseCommon(options);
      const write = oneOf<WriteLabel>("--write-concern", options.writeConcern, ["majority", "1"]);
      const read = oneOf<ReadLevel>("--read-concern", options.readConcern, readLevels);
      const preference =
        options.readPreference === undefined
          ? undefined
          : oneOf<ReadPreference>("--read-preference", options.readPreference, readPreferences);
      const outDir =
        options.out ??
        `lab-reports/${parsed.preset}-${parsed.workload}-w${write}-${read}-${parsed.seed}`;
      const progress = progressBar(parsed.durationMs);
      const results = await runLab({
        ...parsed,
        write,
        read,
        ...(preference === undefined ? {} : { readPreference: preference }),
        outDir,
        onProgress: progress.update,
      }).finally(progress.stop);
      const { verdict } = results;
      const forbidden = verdict.anomalies.filter((anomaly) => anomaly.forbidden !== undefined);
      console.log(`${results.command}`);
      console.log(
        `${results.counts.ok} ok, ${results.counts.fail} fail, ${results.counts.info} info; ${results.schedule.length} faults; ${results.convergence}`,
      );
      console.log(
        `linearizability: ${verdict.linearizability}${verdict.linearizabilityDetail === undefined ? "" : ` (${verdict.linearizabilityDetail})`}`,
      );
      console.log(
        `anomalies: ${verdict.anomalies.length} (${forbidden.length} forbidden by the concerns)${verdict.invariantViolations.length > 0 ? `; ${verdict.invariantViolations[0]?.invariant} invariant broken ${verdict.invariantViolations.length} times` : ""}`,
      );
      const byKind = new Map<string, number>();
      for (const anomaly of verdict.anomalies)
        byKind.set(anomaly.kind, (byKind.get(anomaly.kind) ?? 0) + 1);
      for (const [kind, count] of byKind) console.log(`  ${kind}: ${count}`);
      for (const anomaly of forbidden.slice(0, 5)) {
        console.log(
          `  FORBIDDEN ${anomaly.kind} ${anomaly.key} (${anomaly.forbidden}): ${anomaly.description}`,
        );
      }
      console.log(
        `verdict: ${verdict.agrees ? "agrees with the promise" : "DISAGREES with the promise"}; report in ${outDir}/index.html`,
      );
      process.exitCode = verdict.exitCode;
    });
  // List-append by default: a lost append is visible in the final list, a lost register write
  // is usually overwritten before anyone could tell (register runs still show stale reads).
  common(
    lab.command("matrix").description("every write × read concern combination of a preset"),
    "20s",
    "list-append",
  ).action(async (options: CommonOptions) => {
    const parsed = parseCommon(options);
    const outDir = options.out ?? `lab-reports/matrix-${parsed.preset}-${parsed.seed}`;
    const command = `onelog lab matrix --preset ${parsed.preset} --workload ${parsed.workload} --nemesis ${options.nemesis} --duration ${options.duration} --concurrency ${parsed.concurrency} --seed ${parsed.seed}${parsed.network === "netns" ? " --network netns" : ""}`;
    const progress = progressBar(parsed.durationMs);
    const rows = await runMatrix({
      ...parsed,
      outDir,
      onProgress: progress.update,
      onRow: (row, index, total) =>
        process.stderr.write(
          `\nrow ${index + 1}/${total}: w:${row.combination.write} read ${row.combination.read}: ${row.agrees ? "agrees" : "DISAGREES"}\n`,
        ),
    }).finally(progress.stop);
    const markdown = matrixMarkdown(parsed.preset, rows, command);
    writeFileSync(join(outDir, "matrix.md"), markdown);
    writeFileSync(join(outDir, "index.html"), matrixHtml(parsed.preset, rows, command));
    console.log(markdown);
    console.log(`matrix in ${outDir}/index.html and ${outDir}/matrix.md`);
    process.exitCode = rows.every((row) => row.agrees) ? 0 : 1;
  });
}

function parseCommon(options: CommonOptions) {
  const preset = oneOf<LabPreset>("--preset", options.preset, labPresets);
  const workload = oneOf<WorkloadName>("--workload", options.workload, workloadNames);
  const nemesis = parseNemesisKinds(options.nemesis);
  if (typeof nemesis === "string") throw new Error(`--nemesis: ${nemesis}`);
  const durationMs = parseDurationMs(options.duration);
  if (durationMs === undefined)
    throw new Error(`--duration: expected 60s, 500ms or 2m, got ${options.duration}`);
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 200) {
    throw new Error(`--concurrency: expected 1 to 200, got ${options.concurrency}`);
  }
  const network = oneOf<NetworkMode>("--network", options.network, networkModes);
  const seed =
    options.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(options.seed);
  if (!Number.isSafeInteger(seed))
    throw new Error(`--seed: expected an integer, got ${options.seed}`);
  return {
    preset,
    workload,
    nemesis: nemesis as NemesisKind[],
    durationMs,
    concurrency,
    seed,
    network,
  };
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly string[]): T {
  if (!allowed.includes(value))
    throw new Error(`${flag}: expected ${allowed.join(", ")}, got ${value}`);
  return value as T;
}

export function parseDurationMs(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (match === null) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] ?? "s";
  return Math.round(amount * (unit === "ms" ? 1 : unit === "s" ? 1000 : 60_000));
}

/** A bar over the fault phase on a terminal; plain phase lines otherwise. */
function progressBar(durationMs: number) {
  let phase: Progress["phase"] | undefined;
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format: "lab [{bar}] {percentage}% | {phase} | {operations} ops | {faults} faults",
        stream: process.stderr,
        hideCursor: true,
      })
    : undefined;
  let started = false;
  return {
    update: (progress: Progress) => {
      if (bar === undefined) {
        if (progress.phase !== phase) process.stderr.write(`lab: ${progress.phase}\n`);
      } else {
        if (!started) {
          bar.start(durationMs, 0, { phase: progress.phase, operations: 0, faults: 0 });
          started = true;
        }
        bar.update(Math.min(durationMs, Math.round(progress.elapsedMs)), {
          phase: progress.phase,
          operations: progress.operations,
          faults: progress.faults,
        });
      }
      phase = progress.phase;
    },
    stop: () => {
      if (started) bar?.stop();
      started = false;
    },
  };
}
