/** The bank's invariant: every read shows the total, whatever state it saw. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseHistory } from "../../src/checker/index.js";
import { seededRandom } from "../../src/core/random.js";
import { BankWorkload, bankTotal, encodeBank } from "../../src/lab/workloads/bank.js";
import { checkBankInvariant } from "../../src/lab/workloads/index.js";

function readsOf(values: (string | null)[]) {
  const lines = values.flatMap((value, index) => [
    JSON.stringify({
      process: index,
      type: "invoke",
      f: "read",
      key: "bank",
      value: null,
      time: index,
    }),
    JSON.stringify({
      process: index,
      type: "ok",
      f: "read",
      key: "bank",
      value,
      time: index + 0.5,
    }),
  ]);
  const parsed = parseHistory(lines.join("\n"), "jsonl");
  assert.equal(parsed.kind, "ok");
  return parsed.kind === "ok" ? parsed.value.operations : [];
}

test("reads that conserve the total pass; any other read is named", () => {
  const good = encodeBank({ n: "a", balances: [100, 100, 100, 100, 100] });
  const moved = encodeBank({ n: "b", balances: [80, 120, 100, 100, 100] });
  assert.deepEqual(checkBankInvariant(readsOf([good, moved])), []);
  const minted = encodeBank({ n: "c", balances: [100, 120, 100, 100, 100] });
  const negative = encodeBank({ n: "d", balances: [-10, 110, 100, 100, 200] });
  const violations = checkBankInvariant(readsOf([good, minted, negative, null, "junk"]));
  assert.deepEqual(
    violations.map((violation) => violation.operation),
    [1, 2, 3, 4],
  );
  assert.match(violations[0]?.description ?? "", /totalling 520, expected 5 totalling 500/);
  assert.match(violations[1]?.description ?? "", /negative/);
});

test("every transfer the workload proposes keeps the total", () => {
  const workload = new BankWorkload();
  const random = seededRandom(5);
  let state = workload.setup[0]?.value as string;
  for (let step = 0; step < 200; step++) {
    workload.observe(0, {
      operation: { f: "read", key: "bank", value: null },
      readValue: state,
      ok: true,
    });
    const transfer = workload.next(0, random);
    assert.equal(transfer.f, "cas");
    if (transfer.f !== "cas") return;
    assert.equal(transfer.value[0], state);
    state = transfer.value[1];
    const balances = (JSON.parse(state) as { balances: number[] }).balances;
    assert.equal(
      balances.reduce((sum, balance) => sum + balance, 0),
      bankTotal,
    );
    assert.ok(balances.every((balance) => balance >= 0));
  }
  // Without a fresh read a worker reads first.
  assert.equal(workload.next(0, random).f, "read");
});
