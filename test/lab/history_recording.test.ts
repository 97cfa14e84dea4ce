/** Each client outcome becomes the right history completion, and the history reads back. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseHistory } from "../../src/checker/index.js";
import type { OnelogClient } from "../../src/client/index.js";
import { HistoryRecorder } from "../../src/lab/history.js";
import { execute } from "../../src/lab/workloads/execute.js";
import { concernLabel } from "../../src/lab/workloads/worker.js";

/** A client whose answers are scripted, in call order. */
function scriptedClient(answers: unknown[]): OnelogClient {
  const next = async () => answers.shift();
  return { get: next, set: next, cas: next, append: next } as unknown as OnelogClient;
}

const write = { w: "majority" as const, timeoutMs: 1000 };
const read = { level: "linearizable" as const, readPreference: "primary" as const };

test("outcomes map to ok, fail and info as docs/history-format.md defines them", async () => {
  const client = scriptedClient([
    { kind: "ok", value: "a", offset: 5, version: 3 },
    { kind: "ok", value: null, offset: 5, version: null },
    { kind: "rejected", reason: "not_leader" },
    { kind: "ok", offset: 7, result: true },
    { kind: "timeout", offset: 8 },
    { kind: "unknown", detail: "connection lost" },
    { kind: "ok", offset: 9, result: { swapped: false, current: "z" } },
    { kind: "ok", offset: 10, result: 3 },
  ]);
  const run = (operation: Parameters<typeof execute>[1]) => execute(client, operation, write, read);
  const readA = await run({ f: "read", key: "k", value: null });
  assert.deepEqual(readA.completion, { type: "ok", value: "a", offset: 5, version: 4 });
  assert.equal(readA.readValue, "a");
  assert.equal((await run({ f: "read", key: "k", value: null })).completion.version, null);
  assert.deepEqual((await run({ f: "read", key: "k", value: null })).completion, {
    type: "fail",
    value: null,
    error: "not_leader",
  });
  assert.deepEqual((await run({ f: "write", key: "k", value: "b" })).completion, {
    type: "ok",
    value: "b",
    offset: 7,
  });
  assert.equal((await run({ f: "write", key: "k", value: "c" })).completion.type, "info");
  assert.equal((await run({ f: "write", key: "k", value: "d" })).completion.type, "info");
  const cas = await run({ f: "cas", key: "k", value: ["x", "e"] });
  assert.deepEqual(cas.completion, {
    type: "fail",
    value: ["x", "e"],
    offset: 9,
    error: "compare failed",
  });
  assert.equal((await run({ f: "list-append", key: "l", value: "f" })).completion.offset, 10);
});

test("the recorder writes JSON Lines the checker reads, nemesis events set aside", () => {
  let nowMs = 0;
  const recorder = new HistoryRecorder(() => nowMs);
  const operation = { f: "write" as const, key: "k", value: "v" };
  recorder.invoke(0, "write", "k", "v", concernLabel(operation, { write, read }));
  nowMs = 3;
  recorder.nemesis("start-kill", { fault: 0, phase: "start", description: "kill", nodes: [1] });
  nowMs = 5;
  recorder.complete(0, "write", "k", { type: "ok", value: "v", offset: 1 });
  recorder.invoke(
    1,
    "read",
    "k",
    null,
    concernLabel({ f: "read", key: "k", value: null }, { write, read }),
  );
  recorder.complete(1, "read", "k", { type: "ok", value: "v", offset: 1, version: 1, final: true });
  const parsed = parseHistory(recorder.toJsonLines(), "jsonl");
  assert.equal(parsed.kind, "ok");
  if (parsed.kind !== "ok") return;
  assert.equal(parsed.value.nemesisEventCount, 1);
  const [written, readBack] = parsed.value.operations;
  assert.deepEqual(written?.concern, { write: "majority" });
  assert.equal(written?.returnTimeMs, 5);
  assert.deepEqual(readBack?.concern, { read: "linearizable,primary" });
  assert.equal(readBack?.final, true);
});
