/**
 * `onelog lab run` end to end against real node processes: raft, majority writes, linearizable
 * reads, kills and partitions for 8 s. Nothing may break the promise, and the report directory
 * holds its three files. The same for MULTI ... EXEC transactions, checked whole with the
 * multi-register model, for a queue of RPUSH and BLPOP, checked with its invariant, and for the
 * bank with half its transfers as Lua scripts, checked as a register and with the bank invariant.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { RunResults } from "../../src/lab/run.js";

const main = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

/** `onelog lab run` of `workload` under raft, kills and partitions for 8 s, seed 11. */
function labRun(workload: string, out: string) {
  return spawnSync(
    process.execPath,
    [
      main,
      "lab",
      "run",
      "--preset",
      "raft",
      "--workload",
      workload,
      "--nemesis",
      "kill,partition",
      "--duration",
      "8s",
      "--concurrency",
      "4",
      "--seed",
      "11",
      "--out",
      out,
    ],
    { encoding: "utf8", timeout: 55_000 },
  );
}

/**
 * Runs `workload` (labRun) into a fresh report directory, requires exit 0, a nemesis that struck
 * and more than 100 successful operations, and hands the results and the history to `check`.
 */
function checkedRun(
  workload: string,
  check: (results: RunResults, history: string, out: string) => void,
) {
  const out = mkdtempSync(join(tmpdir(), `onelog-lab-${workload}-`));
  try {
    const run = labRun(workload, out);
    assert.equal(run.status, 0, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as RunResults;
    assert.ok(results.counts.ok > 100, `${results.counts.ok} operations succeeded`);
    assert.ok(results.schedule.length >= 2, "the nemesis struck");
    check(results, readFileSync(join(out, "history.jsonl"), "utf8"), out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test(
  "raft w:majority + linearizable under kill and partition: linearizable, no anomaly",
  {
    timeout: 60_000,
  },
  () =>
    checkedRun("register", (results, history, out) => {
      for (const file of ["history.jsonl", "results.json", "index.html"]) {
        assert.ok(existsSync(join(out, file)), `${file} written`);
      }
      assert.equal(results.verdict.linearizability, "ok");
      assert.deepEqual(results.verdict.anomalies, []);
      assert.match(history, /"process":"nemesis"/);
      assert.match(history, /"final":true/);
    }),
);

test(
  "raft transactions under kill and partition: linearizable as a multi-register",
  {
    timeout: 60_000,
  },
  () =>
    checkedRun("txn", (results, history) => {
      assert.equal(results.verdict.linearizability, "ok");
      // Some transaction read a value some transaction wrote.
      assert.match(history, /\["r","[xyz]","[0-9]+-[0-9]+"\]/);
      assert.match(history, /"final":true/);
    }),
);

test(
  "raft queue under kill and partition: every element delivered once",
  {
    timeout: 60_000,
  },
  () =>
    checkedRun("queue", (results, history) => {
      assert.deepEqual(results.verdict.invariantViolations, []);
      // Some dequeue popped an element, and the final drain ran.
      assert.match(
        history,
        /"f":"dequeue","key":"queue","time":[0-9.]+,"type":"ok","value":"[0-9]+-/,
      );
      assert.match(history, /"f":"drain"[^\n]*"final":true/);
    }),
);

test(
  "raft bank with Lua-script transfers under kill and partition: linearizable, the total kept",
  {
    timeout: 60_000,
  },
  () =>
    checkedRun("bank-script", (results, history) => {
      assert.equal(results.verdict.linearizability, "ok");
      assert.deepEqual(results.verdict.invariantViolations, []);
      // Transfers succeeded both ways: OL.CAS answers an offset, a script does not.
      const transfers = history.split("\n").filter((line) => /"f":"cas".*"type":"ok"/.test(line));
      assert.ok(
        transfers.some((line) => line.includes('"offset"')),
        "an OL.CAS transfer",
      );
      assert.ok(
        transfers.some((line) => !line.includes('"offset"')),
        "a script transfer",
      );
    }),
);
