/**
 * The queue's invariant (Jepsen's total-queue): duplicates and invented elements are always
 * named; missing acknowledged elements only beyond what unknown dequeues may have taken, and
 * never when the enqueues' concern allows losing them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseHistory } from "../../src/checker/index.js";
import { checkQueueInvariant } from "../../src/lab/workloads/index.js";

type Step = [f: "enqueue" | "dequeue" | "drain", type: "ok" | "fail" | "info", value: unknown];

/** Each step as one process's invocation and completion, in order. */
function history(steps: Step[]) {
  const lines = steps.flatMap(([f, type, value], index) => {
    const input = f === "enqueue" ? value : null;
    const invoke = { process: index, type: "invoke", f, key: "queue", value: input, time: index };
    const output = f === "enqueue" ? value : type === "ok" ? value : null;
    const done = { process: index, type, f, key: "queue", value: output, time: index + 0.5 };
    return [JSON.stringify(invoke), JSON.stringify(done)];
  });
  const parsed = parseHistory(lines.join("\n"), "jsonl");
  assert.equal(parsed.kind, "ok");
  return parsed.kind === "ok" ? parsed.value.operations : [];
}

test("every element delivered once, by dequeue or drain, passes", () => {
  const audit = checkQueueInvariant(
    history([
      ["enqueue", "ok", "a"],
      ["enqueue", "info", "b"],
      ["dequeue", "ok", "a"],
      ["dequeue", "ok", null],
      ["enqueue", "ok", "c"],
      ["drain", "ok", ["b", "c"]],
    ]),
    false,
  );
  assert.deepEqual(audit, { violations: [], missing: 0, unknownDequeues: 0 });
});

test("a duplicate and an element nobody enqueued are named, whatever the concern", () => {
  const operations = history([
    ["enqueue", "ok", "a"],
    ["enqueue", "fail", "b"],
    ["dequeue", "ok", "a"],
    ["dequeue", "ok", "b"],
    ["drain", "ok", ["a"]],
  ]);
  for (const lossAllowed of [false, true]) {
    const descriptions = checkQueueInvariant(operations, lossAllowed).violations.map(
      (violation) => violation.description,
    );
    assert.deepEqual(descriptions, ["b was never enqueued", "a delivered twice: #2 and #4"]);
  }
});

test("missing elements are lost only beyond the unknown dequeues, and never under w:1", () => {
  const steps: Step[] = [
    ["enqueue", "ok", "a"],
    ["enqueue", "ok", "b"],
    ["dequeue", "info", null],
    ["drain", "ok", []],
  ];
  const oneUnknown = checkQueueInvariant(history(steps), false);
  assert.equal(oneUnknown.missing, 2);
  assert.equal(oneUnknown.unknownDequeues, 1);
  assert.deepEqual(
    oneUnknown.violations.map((violation) => violation.operation),
    [0, 1],
  );
  const twoUnknown = checkQueueInvariant(
    history([...steps.slice(0, 3), ["dequeue", "info", null], ["drain", "ok", []]]),
    false,
  );
  assert.deepEqual(twoUnknown.violations, []);
  assert.deepEqual(checkQueueInvariant(history(steps), true).violations, []);
});
