/**
 * Histories from a real sequential execution with random overlaps (generate.ts) must be judged
 * linearizable; a single mutation of one (a read returning a value never written, a pair of
 * reads whose results are swapped against the order of the writes they saw) must be caught.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkLinearizable, type History, parseHistory } from "../../src/checker/index.js";
import { paired } from "./build.js";
import { type GenerateOptions, generateHistory, toJsonLines } from "./generate.js";

const workloads: Array<[GenerateOptions["workload"], string]> = [
  ["register", "register"],
  ["cas-register", "cas-register"],
  ["list-append", "list-append"],
];

const options = (
  seed: number,
  workload: GenerateOptions["workload"],
  keyCount = 0,
): GenerateOptions => ({
  seed,
  processCount: 4,
  operationCount: 60,
  keyCount,
  infoRatio: 0.15,
  workload,
});

test("generated histories are linearizable, keyed or not, through the JSONL reader", () => {
  for (const [workload, model] of workloads) {
    for (let seed = 1; seed <= 15; seed++) {
      const text = toJsonLines(generateHistory(options(seed, workload, seed % 2 === 0 ? 3 : 0)));
      const parsed = parseHistory(text, "jsonl");
      assert.equal(parsed.kind, "ok");
      const result = checkLinearizable((parsed as { kind: "ok"; value: History }).value, model);
      assert.equal(result.verdict, "ok", `${workload} seed ${seed}`);
    }
  }
});

test("a read returning a value never written is caught", () => {
  for (const [workload, model] of workloads) {
    for (let seed = 1; seed <= 15; seed++) {
      const events = generateHistory(options(seed, workload));
      const reads = events.filter((event) => event.type === "ok" && event.f === "read");
      const target = reads[seed % reads.length]!;
      target.value =
        workload === "list-append" ? [...((target.value as number[] | null) ?? []), 9999] : 9999;
      assert.equal(
        checkLinearizable(paired(events), model).verdict,
        "violation",
        `${workload} seed ${seed}`,
      );
    }
  }
});

test("two reads swapped against the order of the writes they saw are caught", () => {
  let mutated = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const events = generateHistory({ ...options(seed, "register"), infoRatio: 0 });
    const history = paired(events);
    const writerOf = new Map(
      history.operations
        .filter((operation) => operation.f === "write")
        .map((write) => [write.input, write]),
    );
    const reads = history.operations.filter(
      (operation) => operation.f === "read" && operation.output !== null,
    );
    // Reads r1 -> r2 in real time that saw writes w1 -> w2 in real time: swapping their results
    // makes r1 see w2 before r2 sees w1, which no order allows.
    const pairFound = reads.flatMap((first) =>
      reads
        .filter((second) => first.returnIndex < second.callIndex)
        .filter((second) => {
          const [w1, w2] = [writerOf.get(first.output!), writerOf.get(second.output!)];
          return w1 !== undefined && w2 !== undefined && w1.returnIndex < w2.callIndex;
        })
        .map((second) => [first, second] as const),
    )[0];
    if (pairFound === undefined) continue;
    const [first, second] = pairFound;
    const firstEvent = events.find((event) => event.line === first.returnLine)!;
    const secondEvent = events.find((event) => event.line === second.returnLine)!;
    [firstEvent.value, secondEvent.value] = [secondEvent.value, firstEvent.value];
    assert.equal(
      checkLinearizable(paired(events), "register").verdict,
      "violation",
      `seed ${seed}`,
    );
    mutated++;
  }
  assert.ok(mutated >= 20, `only ${mutated} seeds had a reorderable pair`);
});
