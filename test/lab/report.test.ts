/** The run report shows the timeline rows, the faults and every anomaly with its operations. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { promiseOf } from "../../src/lab/promises.js";
import { renderRunReport } from "../../src/lab/report/run_report.js";
import { judgeHistory } from "../../src/lab/verdict.js";
import { lostAppendRun } from "./support.js";

test("a lost w:1 append and its dirty read are allowed, listed and outlined", () => {
  const run = lostAppendRun();
  const kinds = run.results.verdict.anomalies.map((anomaly) => anomaly.kind).sort();
  assert.deepEqual(kinds, ["dirty-read", "lost-write"]);
  assert.ok(run.results.verdict.agrees, "w:1 with local reads allows both");
  const html = renderRunReport(run);
  assert.match(html, /<svg class="timeline"/);
  assert.equal(html.match(/class="timeline-row"/g)?.length, 4, "one row per process");
  assert.match(html, /class="timeline-fault"/);
  assert.match(html, /<ol class="anomalies">/);
  assert.equal(html.match(/<li class="anomaly">/g)?.length, 2);
  assert.match(html, /lost-write/);
  assert.match(html, /stroke="#c00"/);
  assert.match(html, /<svg class="latency"/);
  assert.doesNotMatch(html, /<script|(src|href)="https?:/, "no scripts, no external assets");
});

test("the same anomalies under w:majority and majority reads break the promise", () => {
  const run = lostAppendRun();
  for (const event of run.events) {
    if (event.concern?.write !== undefined) event.concern.write = "majority";
    if (event.concern?.read === "local,primary") event.concern.read = "majority,primary";
  }
  const promise = promiseOf("mongodb", { write: "majority", read: "majority" });
  const judged = judgeHistory(run.events, promise, "list-append");
  assert.ok(!("error" in judged));
  assert.ok(!judged.verdict.agrees);
  assert.equal(judged.verdict.exitCode, 1);
  const html = renderRunReport({ ...run, results: { ...run.results, verdict: judged.verdict } });
  assert.match(html, /breaks the promise/);
  assert.match(html, /class="forbidden"/);
});

test("a run of hundreds of thousands of events renders (a 40 s lab run records about 127,000)", () => {
  const run = lostAppendRun();
  const last = run.events.at(-1)!;
  const padding = Array.from({ length: 300_000 }, (_, index) => ({
    ...last,
    time: last.time + index,
  }));
  const html = renderRunReport({ ...run, events: [...run.events, ...padding] });
  assert.match(html, /<svg class="timeline"/);
});
