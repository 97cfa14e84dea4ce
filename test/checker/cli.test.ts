/** The built CLI on the fixtures in testdata/checker: exit codes, messages, --json and --html. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const fixture = (name: string) => join(root, "testdata/checker", name);

function check(...args: string[]) {
  return checkWith({}, ...args);
}

function checkWith(env: Record<string, string>, ...args: string[]) {
  const run = spawnSync(process.execPath, [join(root, "dist/src/cli/main.js"), "check", ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("valid histories exit 0 in every format", () => {
  for (const name of ["onelog_valid.jsonl", "cas_register_valid.jepsen.txt"]) {
    const run = check(fixture(name));
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /valid/);
  }
});

test("a violation or an anomaly exits 1 and explains itself", () => {
  const edn = check(fixture("cas_register_invalid.edn"));
  assert.equal(edn.code, 1);
  assert.match(edn.stdout, /cannot be placed/);
  assert.match(edn.stdout, /read -> ok 1/);
  const stale = check(fixture("onelog_stale_read.jsonl"));
  assert.equal(stale.code, 1);
  assert.match(stale.stdout, /stale-read key "x": .*stale by 1 offsets and 22 ms/);
});

test("bad input exits 2 naming the file, the line and what was expected", () => {
  const run = check(fixture("malformed.jsonl"));
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /malformed\.jsonl:3: expected "type" to be one of invoke, ok, fail, info/,
  );
  const wrongModel = check("--model", "mutex", fixture("onelog_valid.jsonl"));
  assert.equal(wrongModel.code, 2);
  assert.match(wrongModel.stderr, /onelog_valid\.jsonl:1: model mutex has no operation "write"/);
  assert.equal(check("--model", "nonsense", fixture("onelog_valid.jsonl")).code, 2);
  assert.equal(check(join(tmpdir(), "onelog-no-such-file.jsonl")).code, 2);
});

/** `writers` concurrent writes, then a read of a value none wrote: refuting it tries every order. */
function hardHistory(writers: number): string {
  const lines: string[] = [];
  for (let process = 0; process < writers; process++)
    lines.push(JSON.stringify({ process, type: "invoke", f: "write", value: process }));
  for (let process = 0; process < writers; process++)
    lines.push(JSON.stringify({ process, type: "ok", f: "write", value: process }));
  lines.push(JSON.stringify({ process: 99, type: "invoke", f: "read", value: null }));
  lines.push(JSON.stringify({ process: 99, type: "ok", f: "read", value: 1000 }));
  const file = join(mkdtempSync(join(tmpdir(), "onelog-check-")), "hard.jsonl");
  writeFileSync(file, lines.join("\n"));
  return file;
}

test("a search that hits the time limit exits 3", () => {
  const file = hardHistory(16);
  const run = check("--model", "register", "--time-limit", "0.001", file);
  assert.equal(run.code, 3, run.stdout + run.stderr);
  assert.match(run.stdout, /unknown/);
  assert.match(run.stdout, /Give it longer with --time-limit <seconds>\./);
});

test("a search that fills a small heap exits 3 instead of dying", () => {
  const small = { NODE_OPTIONS: "--max-old-space-size=48" };
  const run = checkWith(small, "--model", "register", "--time-limit", "600", hardHistory(18));
  assert.equal(run.code, 3, run.stdout + run.stderr);
  assert.match(run.stdout, /the memory limit was reached/);
  assert.match(run.stdout, /Give it a larger heap: NODE_OPTIONS=--max-old-space-size=<MB>/);
});

test("several files: the worst exit code, a progress bar on stderr, one JSON document", () => {
  const run = check("--json", fixture("onelog_valid.jsonl"), fixture("onelog_stale_read.jsonl"));
  assert.equal(run.code, 1);
  const document = JSON.parse(run.stdout) as {
    exitCode: number;
    files: Array<{ exitCode: number; anomalies: unknown[] }>;
  };
  assert.deepEqual(
    document.files.map((file) => file.exitCode),
    [0, 1],
  );
  assert.equal(document.files[1]?.anomalies.length, 1);
  assert.match(run.stderr, /checking/);
  assert.equal(check(fixture("onelog_valid.jsonl"), fixture("malformed.jsonl")).code, 2);
});

test("--html writes a self-contained report with a timeline per process", () => {
  const folder = mkdtempSync(join(tmpdir(), "onelog-html-"));
  const run = check("--html", folder, fixture("cas_register_invalid.edn"));
  assert.equal(run.code, 1);
  const html = readFileSync(join(folder, "cas_register_invalid.edn.html"), "utf8");
  assert.match(html, /class="bar blocked"/);
  assert.equal((html.match(/class="row"/g) ?? []).length, 3);
  assert.doesNotMatch(html, /<script|<link|src=|https?:/);
});

test("--knossos treats a failed cas as not having happened", () => {
  const file = join(mkdtempSync(join(tmpdir(), "onelog-knossos-")), "failed_cas.edn");
  writeFileSync(
    file,
    "{:process 0 :type :invoke :f :write :value 1}\n{:process 0 :type :ok :f :write :value 1}\n" +
      "{:process 1 :type :invoke :f :cas :value [1 2]}\n{:process 1 :type :fail :f :cas :value [1 2]}\n",
  );
  assert.equal(check(file).code, 1);
  assert.equal(check("--knossos", file).code, 0);
});
