/**
 * The consistency matrix of a preset: one run per write × read concern combination the preset
 * offers (promises.ts), each judged against what the reference promises for it. A row agrees
 * when no anomaly the combination rules out was observed and, where promised, the history is
 * linearizable. The allowed anomalies a row observed show the nemesis reaches the weak cases.
 */
import { join } from "node:path";
import type { AnomalyKind } from "../checker/index.js";
import type { NetworkMode } from "./cluster.js";
import type { NemesisKind } from "./nemesis_plan.js";
import {
  type Combination,
  type LabPreset,
  type Promise_,
  presetCombinations,
  promiseOf,
} from "./promises.js";
import { type RunOptions, runLab } from "./run.js";
import type { WorkloadName } from "./workloads/index.js";

export interface MatrixRow {
  combination: Combination;
  promise: Promise_;
  observed: Partial<Record<AnomalyKind, number>>;
  linearizability: string;
  invariantViolations: number;
  agrees: boolean;
  operations: number;
  reportDir: string;
}

export interface MatrixOptions {
  preset: LabPreset;
  workload: WorkloadName;
  nemesis: readonly NemesisKind[];
  durationMs: number;
  concurrency: number;
  seed: number;
  outDir: string;
  network?: NetworkMode;
  onRow?: (row: MatrixRow, index: number, total: number) => void;
  onProgress?: RunOptions["onProgress"];
}

export async function runMatrix(options: MatrixOptions): Promise<MatrixRow[]> {
  const combinations = presetCombinations[options.preset];
  const rows: MatrixRow[] = [];
  for (const [index, combination] of combinations.entries()) {
    const reportDir = join(options.outDir, `w-${combination.write}_r-${combination.read}`);
    const results = await runLab({
      preset: options.preset,
      workload: options.workload,
      nemesis: options.nemesis,
      durationMs: options.durationMs,
      concurrency: options.concurrency,
      write: combination.write,
      read: combination.read,
      seed: options.seed + index,
      outDir: reportDir,
      ...(options.network === undefined ? {} : { network: options.network }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    const observed: Partial<Record<AnomalyKind, number>> = {};
    for (const anomaly of results.verdict.anomalies) {
      observed[anomaly.kind] = (observed[anomaly.kind] ?? 0) + 1;
    }
    const row: MatrixRow = {
      combination,
      promise: promiseOf(options.preset, combination),
      observed,
      linearizability: results.verdict.linearizability,
      invariantViolations: results.verdict.invariantViolations.length,
      agrees: results.verdict.agrees,
      operations: results.counts.ok + results.counts.fail + results.counts.info,
      reportDir,
    };
    rows.push(row);
    options.onRow?.(row, index, combinations.length);
  }
  return rows;
}
