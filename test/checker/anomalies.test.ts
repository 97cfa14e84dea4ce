/**
 * The anomaly finders on small onelog histories, each anomaly with a history that shows it and
 * the closest history that does not.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Anomaly,
  findAnomalies,
  type History,
  parseHistory,
} from "../../src/checker/index.js";

type Line = Record<string, unknown>;

/** An operation as two JSONL events; `done` holds the completion's extra fields. */
function op(
  process: number | string,
  f: string,
  value: unknown,
  done: Line & { type?: string } = {},
): Line[] {
  const invokeValue = f === "read" ? null : value;
  const { type, ...fields } = done;
  return [
    { process, type: "invoke", f, key: "k", value: invokeValue },
    { process, type: type ?? "ok", f, key: "k", value, ...fields },
  ];
}

function anomalies(lines: Line[]): Anomaly[] {
  const withTime = lines.map((line, index) => ({ ...line, time: index * 10 }));
  const parsed = parseHistory(withTime.map((line) => JSON.stringify(line)).join("\n"), "jsonl");
  assert.equal(parsed.kind, "ok");
  return findAnomalies((parsed as { kind: "ok"; value: History }).value);
}

const kinds = (found: Anomaly[]) => found.map((anomaly) => anomaly.kind);

test("more stale reads on one key than a call takes arguments are all found", () => {
  const stale = Array.from({ length: 150_000 }, () =>
    op(1, "read", "a", { offset: 1, version: 1 }),
  ).flat();
  const found = anomalies([
    ...op(0, "write", "a", { offset: 1 }),
    ...op(0, "write", "b", { offset: 2 }),
    ...stale,
  ]);
  assert.equal(found.length, 150_000);
  assert.ok(found.every((anomaly) => anomaly.kind === "stale-read"));
});

test("no offsets or versions, no anomalies: values alone need not identify writes", () => {
  assert.deepEqual(anomalies([...op(0, "write", 1), ...op(1, "read", 0)]), []);
});

test("stale read: how stale in offsets and milliseconds, naming the writes it missed", () => {
  const found = anomalies([
    ...op(0, "write", "a", { offset: 1 }),
    ...op(0, "write", "b", { offset: 2 }),
    ...op(0, "write", "c", { offset: 3 }),
    ...op(1, "read", "a", { offset: 1, version: 1 }),
  ]);
  assert.deepEqual(kinds(found), ["stale-read"]);
  assert.deepEqual(
    [found[0]?.staleOffsets, found[0]?.staleMs, found[0]?.operations],
    [2, 30, [3, 1, 2]],
  );
  const fresh = anomalies([
    ...op(0, "write", "a", { offset: 1 }),
    ...op(1, "read", "a", { offset: 1, version: 1 }),
  ]);
  assert.deepEqual(fresh, []);
});

test("a read concurrent with a write may miss it", () => {
  const lines = [
    { process: 0, type: "invoke", f: "write", key: "k", value: "a" },
    { process: 1, type: "invoke", f: "read", key: "k", value: null },
    { process: 0, type: "ok", f: "write", key: "k", value: "a", offset: 1 },
    { process: 1, type: "ok", f: "read", key: "k", value: null, offset: 0, version: null },
  ];
  assert.deepEqual(anomalies(lines), []);
});

test("lost acknowledged write: the final state is older than the write", () => {
  const found = anomalies([
    ...op(0, "write", "a", { offset: 1 }),
    ...op(0, "write", "b", { offset: 2 }),
    ...op(2, "read", "a", { offset: 5, version: 1, final: true }),
  ]);
  assert.ok(kinds(found).includes("lost-write"));
  assert.deepEqual(found.find((anomaly) => anomaly.kind === "lost-write")?.operations, [1, 2]);
  const kept = anomalies([
    ...op(0, "write", "a", { offset: 1 }),
    ...op(0, "write", "b", { offset: 2 }),
    ...op(2, "read", "b", { offset: 5, version: 2, final: true }),
  ]);
  assert.deepEqual(kept, []);
});

test("lost acknowledged write: a list element missing from the final list", () => {
  const found = anomalies([
    ...op(0, "list-append", "x", { offset: 1 }),
    ...op(1, "list-append", "y", { offset: 2 }),
    ...op(2, "read", ["x"], { offset: 3, version: 1, final: true }),
  ]);
  assert.deepEqual(kinds(found), ["lost-write"]);
  assert.deepEqual(found[0]?.operations, [1, 2]);
});

test("dirty read: a value written by a failed write, and a version the final state rolled back", () => {
  const failedWrite = anomalies([
    ...op(0, "write", "a", { offset: 1 }),
    ...op(1, "write", "z", { type: "fail" }),
    ...op(2, "read", "z", { offset: 2, version: 2 }),
  ]);
  assert.ok(kinds(failedWrite).includes("dirty-read"));
  const rolledBack = anomalies([
    ...op(0, "write", "a", { offset: 1 }),
    ...op(1, "write", "b", { type: "info" }),
    ...op(2, "read", "b", { offset: 2, version: 2, node: 1 }),
    ...op(3, "read", "a", { offset: 4, version: 1, final: true }),
  ]);
  assert.deepEqual(kinds(rolledBack), ["dirty-read"]);
  assert.deepEqual(rolledBack[0]?.operations, [2, 3]);
  const committed = anomalies([
    ...op(0, "write", "a", { offset: 1 }),
    ...op(2, "read", "a", { offset: 2, version: 1 }),
    ...op(3, "read", "a", { offset: 4, version: 1, final: true }),
  ]);
  assert.deepEqual(committed, []);
});

test("non-monotonic reads per process and per session", () => {
  const perProcess = anomalies([
    ...op(0, "write", "a", { type: "info" }),
    ...op(0, "write", "b", { type: "info" }),
    ...op(1, "read", "b", { offset: 2, version: 2 }),
    ...op(1, "read", "a", { offset: 1, version: 1 }),
  ]);
  assert.deepEqual(kinds(perProcess), ["non-monotonic-read"]);
  assert.deepEqual([perProcess[0]?.scope, perProcess[0]?.operations], ["process", [3, 2]]);
  const perSession = anomalies([
    ...op(0, "write", "a", { type: "info" }),
    ...op(0, "write", "b", { type: "info" }),
    ...op(1, "read", "b", { offset: 2, version: 2, session: "s" }),
    ...op(2, "read", "a", { offset: 1, version: 1, session: "s" }),
  ]);
  assert.deepEqual(
    perSession.map((anomaly) => [anomaly.kind, anomaly.scope]),
    [["non-monotonic-read", "session"]],
  );
  const otherSessions = anomalies([
    ...op(0, "write", "a", { type: "info" }),
    ...op(0, "write", "b", { type: "info" }),
    ...op(1, "read", "b", { offset: 2, version: 2, session: "s" }),
    ...op(2, "read", "a", { offset: 1, version: 1, session: "t" }),
  ]);
  assert.deepEqual(otherSessions, []);
});

test("read-your-writes: a session reads before its own acknowledged write", () => {
  const lines = [
    ...op(0, "write", "a", { offset: 1, session: "s" }),
    ...op(1, "read", null, { offset: 0, version: null, session: "s" }),
  ];
  // The read began after the write was acknowledged, so it is also stale.
  assert.deepEqual(
    anomalies(lines).map((anomaly) => [anomaly.kind, anomaly.scope, anomaly.operations]),
    [
      ["stale-read", undefined, [1, 0]],
      ["read-your-writes", "session", [1, 0]],
    ],
  );
  const afterOwnWrite = [
    ...op(0, "write", "a", { offset: 1, session: "s" }),
    ...op(1, "read", "a", { offset: 1, version: 1, session: "s" }),
  ];
  assert.deepEqual(anomalies(afterOwnWrite), []);
});
