/** A small judged run for the report tests: one lost w:1 append and a dirty read of it. */
import assert from "node:assert/strict";
import { HistoryRecorder } from "../../src/lab/history.js";
import { promiseOf } from "../../src/lab/promises.js";
import type { RunResults } from "../../src/lab/run.js";
import { judgeHistory } from "../../src/lab/verdict.js";

/** A w:1 append acknowledged, read by a local read, then missing from the final list. */
export function lostAppendRun() {
  let nowMs = 0;
  const recorder = new HistoryRecorder(() => nowMs++);
  recorder.invoke(0, "list-append", "l0", "0-1", { write: "1" });
  recorder.complete(0, "list-append", "l0", { type: "ok", value: "0-1", offset: 1 });
  recorder.nemesis("start-partition", {
    fault: 0,
    phase: "start",
    description: "partition isolate-leader",
    nodes: [1, 2, 3],
  });
  recorder.invoke(1, "read", "l0", null, { read: "local,primary" });
  recorder.complete(1, "read", "l0", { type: "ok", value: ["0-1"], offset: 1, version: 1 });
  recorder.nemesis("end-partition", {
    fault: 0,
    phase: "end",
    description: "heal partition",
    nodes: [1, 2, 3],
  });
  recorder.invoke(2, "list-append", "l0", "2-2", { write: "1" });
  recorder.complete(2, "list-append", "l0", { type: "ok", value: "2-2", offset: 1 });
  recorder.invoke(3, "read", "l0", null, { read: "linearizable" });
  recorder.complete(3, "read", "l0", {
    type: "ok",
    value: ["2-2"],
    offset: 1,
    version: 1,
    final: true,
  });
  const promise = promiseOf("mongodb", { write: "1", read: "local" });
  const judged = judgeHistory(recorder.events, promise, "list-append");
  assert.ok(!("error" in judged));
  const results = {
    preset: "mongodb",
    workload: "list-append",
    concern: { write: "1", read: "local", readPreference: "primary" },
    seed: 1,
    durationMs: 1000,
    concurrency: 4,
    nodeCount: 3,
    network: "loopback",
    nemesis: ["partition"],
    schedule: [],
    counts: { ok: 4, fail: 0, info: 0 },
    convergence: "converged in 5 ms, leader 2",
    promise: promiseOf("mongodb", { write: "1", read: "local" }),
    verdict: judged.verdict,
    command: "onelog lab run --preset mongodb",
  } satisfies RunResults;
  return { results, events: recorder.events, history: judged.history };
}
