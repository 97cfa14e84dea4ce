/**
 * Classic histories, valid and invalid, for every model, and the two conventions. Each invalid
 * history is the smallest one that shows the rule it breaks.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type CheckOptions, checkLinearizable } from "../../src/checker/index.js";
import { type EventTuple, history } from "./build.js";

function verdict(model: string, tuples: EventTuple[], options: CheckOptions = {}): string {
  return checkLinearizable(history(tuples), model, options).verdict;
}

test("register: a read concurrent with a write may see the old or the new value", () => {
  const base: EventTuple[] = [
    [0, "invoke", "write", 1],
    [0, "ok", "write", 1],
    [0, "invoke", "write", 2],
    [1, "invoke", "read", null],
  ];
  assert.equal(verdict("register", [...base, [1, "ok", "read", 1], [0, "ok", "write", 2]]), "ok");
  assert.equal(verdict("register", [...base, [1, "ok", "read", 2], [0, "ok", "write", 2]]), "ok");
});

test("register: a read after a completed write must not see the value before it", () => {
  const tuples: EventTuple[] = [
    [0, "invoke", "write", 1],
    [0, "ok", "write", 1],
    [0, "invoke", "write", 2],
    [0, "ok", "write", 2],
    [1, "invoke", "read", null],
    [1, "ok", "read", 1],
  ];
  assert.equal(verdict("register", tuples), "violation");
});

test("register: two readers may not see two writes in opposite orders", () => {
  // Writes 1 and 2 overlap everything; reader 1 sees 1 then 2, reader 2 sees 2 then 1.
  const tuples: EventTuple[] = [
    [0, "invoke", "write", 1],
    [1, "invoke", "write", 2],
    [2, "invoke", "read", null],
    [2, "ok", "read", 1],
    [2, "invoke", "read", null],
    [2, "ok", "read", 2],
    [3, "invoke", "read", null],
    [3, "ok", "read", 2],
    [3, "invoke", "read", null],
    [3, "ok", "read", 1],
    [0, "ok", "write", 1],
    [1, "ok", "write", 2],
  ];
  assert.equal(verdict("register", tuples), "violation");
});

test("cas-register: a cas that succeeded takes the value from expected to new", () => {
  const tuples: EventTuple[] = [
    [0, "invoke", "write", 1],
    [0, "ok", "write", 1],
    [1, "invoke", "cas", [1, 3]],
    [1, "ok", "cas", [1, 3]],
    [2, "invoke", "read", null],
    [2, "ok", "read", 3],
  ];
  assert.equal(verdict("cas-register", tuples), "ok");
  const wrong = tuples.map(
    (tuple, index): EventTuple => (index === 5 ? [2, "ok", "read", 1] : tuple),
  );
  assert.equal(verdict("cas-register", wrong), "violation");
});

test("cas-register: Porcupine keeps a failed cas as an observed compare failure; Knossos drops it", () => {
  // The register holds 1 throughout, so a cas expecting 1 cannot have failed (Porcupine); under
  // Knossos the failed cas simply did not happen.
  const tuples: EventTuple[] = [
    [0, "invoke", "write", 1],
    [0, "ok", "write", 1],
    [1, "invoke", "cas", [1, 2]],
    [1, "fail", "cas", [1, 2]],
  ];
  assert.equal(verdict("cas-register", tuples, { convention: "porcupine" }), "violation");
  assert.equal(verdict("cas-register", tuples, { convention: "knossos" }), "ok");
});

test("cas-register: a read of nil is 'absent' for Porcupine and 'unknown' for Knossos", () => {
  const tuples: EventTuple[] = [
    [0, "invoke", "write", 1],
    [0, "ok", "write", 1],
    [1, "invoke", "read", null],
    [1, "ok", "read", null],
  ];
  assert.equal(verdict("cas-register", tuples, { convention: "porcupine" }), "violation");
  assert.equal(verdict("cas-register", tuples, { convention: "knossos" }), "ok");
});

test("cas-register: --initial sets the starting value", () => {
  const tuples: EventTuple[] = [
    [0, "invoke", "read", null],
    [0, "ok", "read", 0],
  ];
  assert.equal(verdict("cas-register", tuples), "violation");
  assert.equal(verdict("cas-register", tuples, { initial: 0 }), "ok");
});

test("info operations may take effect later than their invocation, or never", () => {
  const tookEffectLate: EventTuple[] = [
    [0, "invoke", "write", 1],
    [0, "info", "write", "timed-out"],
    [1, "invoke", "read", null],
    [1, "ok", "read", null],
    [1, "invoke", "read", null],
    [1, "ok", "read", 1],
  ];
  assert.equal(verdict("register", tookEffectLate), "ok");
  const neverThenSeen: EventTuple[] = [
    [0, "invoke", "write", 1],
    [0, "info", "write", "timed-out"],
    [1, "invoke", "read", null],
    [1, "ok", "read", 1],
    [1, "invoke", "read", null],
    [1, "ok", "read", null],
  ];
  assert.equal(verdict("register", neverThenSeen), "violation");
  const pendingNever: EventTuple[] = [
    [0, "invoke", "write", 1],
    [1, "invoke", "read", null],
    [1, "ok", "read", null],
  ];
  assert.equal(verdict("register", pendingNever), "ok");
});

test("an info operation cannot take effect before it was invoked", () => {
  const tuples: EventTuple[] = [
    [1, "invoke", "read", null],
    [1, "ok", "read", 1],
    [0, "invoke", "write", 1],
    [0, "info", "write", 1],
  ];
  assert.equal(verdict("register", tuples), "violation");
});

test("nemesis operations are ignored", () => {
  const tuples: EventTuple[] = [
    ["nemesis", "info", "start", null],
    [0, "invoke", "write", 1],
    [0, "ok", "write", 1],
    ["nemesis", "info", "stop", "healed"],
    [1, "invoke", "read", null],
    [1, "ok", "read", 1],
  ];
  const checked = checkLinearizable(history(tuples), "register");
  assert.equal(checked.verdict, "ok");
  assert.equal(checked.verdict === "ok" && checked.operationCount, 2);
});

test("kv: keys are independent, append concatenates, [key value] tuples are keys", () => {
  const tuples: EventTuple[] = [
    [0, "invoke", "put", "a", "x"],
    [0, "ok", "put", "a", "x"],
    [1, "invoke", "append", "b", "x"],
    [1, "ok", "append", "b", "x"],
    [0, "invoke", "put", "q", "y"],
    [0, "ok", "put", "q", "y"],
    [2, "invoke", "get", null, "x"],
    [2, "ok", "get", "ab", "x"],
    [2, "invoke", "get", null, "y"],
    [2, "ok", "get", "q", "y"],
  ];
  const checked = checkLinearizable(history(tuples), "kv");
  assert.deepEqual(
    [checked.verdict, checked.verdict === "ok" && checked.partitionCount],
    ["ok", 2],
  );
  const wrong = tuples.map(
    (tuple, index): EventTuple => (index === 7 ? [2, "ok", "get", "ba", "x"] : tuple),
  );
  assert.equal(verdict("kv", wrong), "violation");
  const independent: EventTuple[] = [
    [0, "invoke", "put", ["x", 1]],
    [0, "ok", "put", ["x", 1]],
    [1, "invoke", "get", ["y", null]],
    [1, "ok", "get", ["y", null]],
  ];
  assert.equal(verdict("kv", independent), "ok");
});

test("multi-register: transactions are atomic over several keys", () => {
  const writeBoth = [
    ["write", "x", 1],
    ["write", "y", 1],
  ];
  const readBoth = (x: number | null, y: number | null) => [
    ["read", "x", x],
    ["read", "y", y],
  ];
  const tuples: EventTuple[] = [
    [0, "invoke", "txn", writeBoth],
    [1, "invoke", "txn", readBoth(null, null)],
    [0, "ok", "txn", writeBoth],
    [1, "ok", "txn", readBoth(1, 1)],
  ];
  assert.equal(verdict("multi-register", tuples), "ok");
  const torn = tuples.map(
    (tuple, index): EventTuple => (index === 3 ? [1, "ok", "txn", readBoth(1, null)] : tuple),
  );
  assert.equal(verdict("multi-register", torn), "violation");
  assert.equal(verdict("multi-register", torn, { convention: "knossos" }), "ok");
});

test("mutex: two holders at once are not linearizable", () => {
  const tuples: EventTuple[] = [
    [0, "invoke", "acquire", null],
    [0, "ok", "acquire", null],
    [1, "invoke", "acquire", null],
    [1, "ok", "acquire", null],
  ];
  assert.equal(verdict("mutex", tuples), "violation");
  const handedOver: EventTuple[] = [
    [0, "invoke", "acquire", null],
    [0, "ok", "acquire", null],
    [1, "invoke", "acquire", null],
    [0, "invoke", "release", null],
    [0, "ok", "release", null],
    [1, "ok", "acquire", null],
  ];
  assert.equal(verdict("mutex", handedOver), "ok");
});

test("list-append: reads return the list of appended elements in one order", () => {
  const tuples: EventTuple[] = [
    [0, "invoke", "append", 1, "l"],
    [1, "invoke", "append", 2, "l"],
    [0, "ok", "append", 1, "l"],
    [1, "ok", "append", 2, "l"],
    [2, "invoke", "read", null, "l"],
    [2, "ok", "read", [2, 1], "l"],
  ];
  assert.equal(verdict("list-append", tuples), "ok");
  const split: EventTuple[] = [
    ...tuples,
    [2, "invoke", "read", null, "l"],
    [2, "ok", "read", [1, 2], "l"],
  ];
  assert.equal(verdict("list-append", split), "violation");
});

test("onelog: incr, del, append and list-append", () => {
  const tuples: EventTuple[] = [
    [0, "invoke", "incr", 5, "n"],
    [0, "ok", "incr", 5, "n"],
    [0, "invoke", "incr", null, "n"],
    [0, "ok", "incr", null, "n"],
    [1, "invoke", "read", null, "n"],
    [1, "ok", "read", "6", "n"],
    [0, "invoke", "append", "ab", "s"],
    [0, "ok", "append", "ab", "s"],
    [0, "invoke", "del", null, "s"],
    [0, "ok", "del", null, "s"],
    [1, "invoke", "read", null, "s"],
    [1, "ok", "read", null, "s"],
    [0, "invoke", "list-append", "e", "l"],
    [0, "ok", "list-append", "e", "l"],
    [1, "invoke", "read", null, "l"],
    [1, "ok", "read", ["e"], "l"],
  ];
  assert.equal(verdict("onelog", tuples), "ok");
  const readAfterDelete = tuples.map(
    (tuple, index): EventTuple => (index === 11 ? [1, "ok", "read", "ab", "s"] : tuple),
  );
  assert.equal(verdict("onelog", readAfterDelete), "violation");
  const wrongSum = tuples.map(
    (tuple, index): EventTuple => (index === 5 ? [1, "ok", "read", "7", "n"] : tuple),
  );
  assert.equal(verdict("onelog", wrongSum), "violation");
  const wrongType: EventTuple[] = [
    [0, "invoke", "write", "x", "k"],
    [0, "ok", "write", "x", "k"],
    [0, "invoke", "incr", 1, "k"],
    [0, "ok", "incr", 1, "k"],
  ];
  assert.equal(verdict("onelog", wrongType), "violation");
});

test("an operation the model does not know is bad input naming its line", () => {
  const checked = checkLinearizable(
    history([
      [0, "invoke", "write", 1],
      [0, "ok", "write", 1],
      [0, "invoke", "frobnicate", 1],
      [0, "ok", "frobnicate", 1],
    ]),
    "register",
  );
  assert.equal(checked.verdict, "bad_input");
  assert.equal(checked.verdict === "bad_input" && checked.line, 3);
});

test("a violation names the longest prefix and the operation that cannot be placed", () => {
  const checked = checkLinearizable(
    history([
      [0, "invoke", "write", 1],
      [0, "ok", "write", 1],
      [0, "invoke", "write", 2],
      [0, "ok", "write", 2],
      [1, "invoke", "read", null],
      [1, "ok", "read", 1],
    ]),
    "register",
  );
  assert.equal(checked.verdict, "violation");
  const violation = checked.verdict === "violation" ? checked.violations[0]! : undefined;
  assert.deepEqual(violation?.longestPrefix, [0, 1]);
  assert.equal(violation?.blocked, 2);
  assert.equal(violation?.stateAfterPrefix, "2");
});

test("a time or memory limit gives the verdict unknown, never a guess", () => {
  let clock = 0;
  const tuples: EventTuple[] = [];
  // Many overlapping writes and a final impossible read force a long search.
  for (let process = 0; process < 12; process++) tuples.push([process, "invoke", "write", process]);
  for (let process = 0; process < 12; process++) tuples.push([process, "ok", "write", process]);
  tuples.push([20, "invoke", "read", null], [20, "ok", "read", 99]);
  const checked = checkLinearizable(history(tuples), "register", {
    timeLimitMs: 5,
    now: () => clock++,
  });
  assert.equal(checked.verdict, "unknown");
  const memory = checkLinearizable(history(tuples), "register", { cacheEntriesMax: 10 });
  assert.equal(memory.verdict, "unknown");
  // Running out of heap gives up the same way, instead of the process dying of it.
  const heap = checkLinearizable(history(tuples), "register", { memoryFull: () => true });
  assert.deepEqual(heap, {
    verdict: "unknown",
    model: "register",
    reason: "memory limit",
    key: "",
  });
  // A long search reports how far it got, so that a command can show it is working.
  const progress: Array<{ key: string; configurations: number }> = [];
  const reported = checkLinearizable(history(tuples), "register", {
    onProgress: (seen) => progress.push(seen),
  });
  assert.equal(reported.verdict, "violation");
  assert.ok(progress.length > 0, "no progress reported");
  assert.ok(progress.every(({ key, configurations }) => key === "" && configurations > 0));
});
