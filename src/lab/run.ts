/**
 * One lab run: a cluster of real nodes, client workers running a workload at chosen concerns,
 * the nemesis on its seeded schedule for the run's duration; then every fault is healed, the
 * cluster must converge, and one linearizable read of every key records the final state. The
 * history is judged (verdict.ts) and written with the results and an HTML report (report/).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ReadLevel, ReadPreference, WriteConcern } from "../core/concern/index.js";
import { seededRandom } from "../core/random.js";
import { presets } from "../server/presets.js";
import { LabCluster, type NetworkMode, sleep } from "./cluster.js";
import { waitForConvergence } from "./converge.js";
import { HistoryRecorder } from "./history.js";
import { runNemesis } from "./nemesis.js";
import { type NemesisKind, planNemesis, type ScheduledFault } from "./nemesis_plan.js";
import { type Combination, type LabPreset, promiseOf, type WriteLabel } from "./promises.js";
import { renderRunReport } from "./report/run_report.js";
import { judgeHistory, type Verdict } from "./verdict.js";
import {
  type Concerns,
  createWorkers,
  makeWorkload,
  type WorkloadName,
} from "./workloads/index.js";

export interface RunOptions {
  preset: LabPreset;
  workload: WorkloadName;
  nemesis: readonly NemesisKind[];
  durationMs: number;
  concurrency: number;
  write: WriteLabel;
  read: ReadLevel;
  readPreference?: ReadPreference;
  seed: number;
  outDir: string;
  nodeCount?: number;
  /** Loopback (the default), or one network namespace per node with firewall partitions. */
  network?: NetworkMode;
  onProgress?: (progress: Progress) => void;
}

export interface Progress {
  phase: "starting" | "running" | "healing" | "final reads" | "checking";
  elapsedMs: number;
  operations: number;
  faults: number;
}

export interface RunResults {
  preset: LabPreset;
  workload: WorkloadName;
  concern: { write: WriteLabel; read: ReadLevel; readPreference: ReadPreference };
  seed: number;
  durationMs: number;
  concurrency: number;
  nodeCount: number;
  network: NetworkMode;
  nemesis: readonly NemesisKind[];
  schedule: ScheduledFault[];
  counts: Record<"ok" | "fail" | "info", number>;
  convergence: string;
  promise: ReturnType<typeof promiseOf>;
  verdict: Verdict;
  command: string;
}

/** A call's deadline: a fault longer than this makes writes `info` and reads `fail`. */
const requestTimeoutMs = 2000;
const concernTimeoutMs = 1000;
const leaderWaitMs = 20_000;
const convergeWaitMs = 20_000;
const finalReadAttempts = 30;

export async function runLab(options: RunOptions): Promise<RunResults> {
  const nodeCount = options.nodeCount ?? 3;
  const progress = (phase: Progress["phase"], elapsedMs: number, operations = 0, faults = 0) =>
    options.onProgress?.({ phase, elapsedMs, operations, faults });
  progress("starting", 0);
  const network = options.network ?? "loopback";
  const cluster = await LabCluster.start({ preset: options.preset, nodeCount, network });
  try {
    if ((await cluster.waitForLeader(leaderWaitMs)) === undefined) {
      throw new Error(`no leader within ${leaderWaitMs} ms; node logs in ${cluster.dataDir}`);
    }
    const startMs = performance.now();
    const recorder = new HistoryRecorder(() => performance.now() - startMs);
    const workload = makeWorkload(options.workload);
    const concerns: Concerns = {
      write: writeConcern(options.write),
      read: {
        level: options.read,
        readPreference: options.readPreference ?? "primary",
        timeoutMs: concernTimeoutMs,
      },
    };
    const workers = createWorkers({
      workload,
      endpoints: cluster.endpoints,
      concurrency: options.concurrency,
      concerns,
      recorder,
      random: seededRandom(options.seed),
      requestTimeoutMs,
    });
    const setupConcerns = { write: { w: "majority" as const }, read: concerns.read };
    for (const operation of workload.setup) {
      for (let attempt = 0; attempt < 10; attempt++) {
        if ((await workers.runOnce(operation, setupConcerns)) === "ok") break;
        await sleep(200);
      }
    }
    const schedule = planNemesis({
      seed: options.seed,
      kinds: options.nemesis,
      durationMs: options.durationMs,
      nodeCount,
    });
    const nemesis = runNemesis(schedule, cluster, recorder, startMs);
    workers.start();
    const operations = () => workers.counts.ok + workers.counts.fail + workers.counts.info;
    const ticker = setInterval(
      () => progress("running", performance.now() - startMs, operations(), nemesis.started()),
      250,
    );
    await sleep(options.durationMs);
    clearInterval(ticker);
    progress("healing", performance.now() - startMs, operations(), nemesis.started());
    await nemesis.stop();
    await workers.stop();
    await cluster.healAll();
    recorder.nemesis("heal-all", { description: "every node running, unpaused, links clear" });
    const converged = await waitForConvergence(cluster, convergeWaitMs);
    const convergence =
      converged.kind === "converged"
        ? `converged in ${converged.ms} ms, leader ${converged.leader}`
        : `not converged within ${convergeWaitMs} ms: ${converged.detail}`;
    progress("final reads", performance.now() - startMs, operations(), nemesis.started());
    const finalConcerns = {
      write: concerns.write,
      read: { level: "linearizable" as const, timeoutMs: concernTimeoutMs },
    };
    const finals =
      workload.final ?? workload.keys.map((key) => ({ f: "read" as const, key, value: null }));
    for (const final of finals) {
      for (let attempt = 0; attempt < finalReadAttempts; attempt++) {
        if ((await workers.runOnce(final, finalConcerns, true)) === "ok") break;
        await sleep(200);
      }
    }
    await workers.close();
    progress("checking", performance.now() - startMs, operations(), nemesis.started());
    const promise = promiseOf(options.preset, concernsJudged(options));
    const judged = judgeHistory(recorder.events, promise, options.workload);
    if ("error" in judged) throw new Error(`the recorded history is malformed: ${judged.error}`);
    const results: RunResults = {
      preset: options.preset,
      workload: options.workload,
      concern: {
        write: options.write,
        read: options.read,
        readPreference: concerns.read.readPreference ?? "primary",
      },
      seed: options.seed,
      durationMs: options.durationMs,
      concurrency: options.concurrency,
      nodeCount,
      network,
      nemesis: options.nemesis,
      schedule,
      counts: { ...workers.counts },
      convergence,
      promise,
      verdict: judged.verdict,
      command: commandLine(options),
    };
    mkdirSync(options.outDir, { recursive: true });
    writeFileSync(join(options.outDir, "history.jsonl"), recorder.toJsonLines());
    writeFileSync(join(options.outDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(
      join(options.outDir, "index.html"),
      renderRunReport({ results, events: recorder.events, history: judged.history }),
    );
    return results;
  } finally {
    await cluster.stop();
  }
}

/**
 * The concerns the run's operations carry: the run's own, except for transactions, which take
 * the preset's defaults (docs/commands.md, "Transactions").
 */
function concernsJudged(options: RunOptions): Combination {
  if (options.workload !== "txn") return { write: options.write, read: options.read };
  const { defaultWrite, defaultRead } = presets[options.preset];
  return { write: defaultWrite.w === "majority" ? "majority" : "1", read: defaultRead.level };
}

function writeConcern(write: WriteLabel): WriteConcern {
  return { w: write === "majority" ? "majority" : 1, timeoutMs: concernTimeoutMs };
}

/** The command that repeats this run (the seed fixes the schedule and the workers' draws). */
export function commandLine(options: RunOptions): string {
  const parts = [
    "onelog lab run",
    `--preset ${options.preset}`,
    `--workload ${options.workload}`,
    `--nemesis ${options.nemesis.length === 0 ? "none" : options.nemesis.join(",")}`,
    `--duration ${options.durationMs / 1000}s`,
    `--concurrency ${options.concurrency}`,
    `--write-concern ${options.write}`,
    `--read-concern ${options.read}`,
  ];
  if (options.readPreference !== undefined)
    parts.push(`--read-preference ${options.readPreference}`);
  if (options.network === "netns") parts.push("--network netns");
  parts.push(`--seed ${options.seed}`);
  return parts.join(" ");
}
