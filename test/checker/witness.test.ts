/**
 * The offset witness: a fast path that must never change a verdict. Histories from a real
 * execution carry true offsets (the witness proves them); lying offsets must fall back to the
 * search and still be judged linearizable; a real violation is found with or without it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  checkLinearizable,
  type HistoryEvent,
  pairEvents,
  type Value,
} from "../../src/checker/index.js";
import { runSeed } from "../../src/sim/run.js";

interface Planned {
  f: "read" | "write" | "cas" | "list-append";
  info: boolean;
}

/**
 * A sequential execution on one key with a log: each operation takes effect at a random moment
 * inside its invocation window, writes get the next offset, reads name the bound and version of
 * what they saw — exactly what onelog reports.
 */
function execute(
  plans: readonly Planned[],
  schedule: readonly number[],
  lists: boolean,
): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let register: Value = null;
  let list: Value[] = [];
  let version: number | null = null;
  let leo = 0;
  const open = new Map<
    number,
    { plan: Planned; applied: boolean; event: Partial<HistoryEvent>; id: number }
  >();
  let next = 0;
  let step = 0;
  const emit = (event: Omit<HistoryEvent, "line" | "timeMs">) =>
    events.push({ ...event, line: events.length + 1, timeMs: events.length });
  while (next < plans.length || open.size > 0) {
    const choice = schedule[step++ % Math.max(1, schedule.length)] ?? 0;
    let process = choice % 3;
    if (!open.has(process) && next >= plans.length) process = open.keys().next().value as number;
    const running = open.get(process);
    if (running === undefined) {
      const plan = plans[next] as Planned;
      const id = next++;
      const f = lists && plan.f !== "read" ? "list-append" : plan.f;
      const input: Value = f === "read" ? null : f === "cas" ? [register, `v${id}`] : `v${id}`;
      emit({ process, type: "invoke", f, key: "k", value: input });
      open.set(process, { plan: { ...plan, f }, applied: false, event: { value: input }, id });
      continue;
    }
    const { plan, id } = running;
    if (!running.applied && !(plan.info && choice % 2 === 0)) {
      running.applied = true;
      if (plan.f === "read") {
        running.event = {
          value: lists && list.length > 0 ? [...list] : lists ? null : register,
          offset: leo,
          version,
        };
      } else if (plan.f === "cas") {
        const [expected, value] = running.event.value as [Value, Value];
        if (expected === register) {
          register = value;
          version = ++leo;
          running.event = { value: [expected, value], offset: leo };
        } else {
          running.event = {
            value: [expected, value],
            offset: ++leo,
            failed: true,
          } as Partial<HistoryEvent>;
        }
      } else {
        if (lists) list = [...list, `v${id}`];
        else register = `v${id}`;
        version = ++leo;
        running.event = { value: `v${id}`, offset: leo };
      }
      if (choice % 3 !== 0) continue;
    }
    open.delete(process);
    const failed = (running.event as { failed?: boolean }).failed === true;
    const type = plan.info ? "info" : failed ? "fail" : running.applied ? "ok" : "info";
    const completion: Omit<HistoryEvent, "line" | "timeMs"> = {
      process,
      type,
      f: plan.f,
      key: "k",
      value: running.event.value ?? null,
    };
    if (type !== "info" && running.event.offset !== undefined)
      completion.offset = running.event.offset;
    if (type === "ok" && running.event.version !== undefined)
      completion.version = running.event.version;
    emit(completion);
  }
  return events;
}

const plans = fc.array(
  fc.record({
    f: fc.constantFrom<Planned["f"]>("read", "write", "cas", "read"),
    info: fc.boolean(),
  }),
  { minLength: 1, maxLength: 9 },
);
const schedule = fc.array(fc.nat(11), { minLength: 1, maxLength: 40 });

function verdict(events: HistoryEvent[], offsetWitness: boolean) {
  const paired = pairEvents(events);
  assert.equal(paired.kind, "ok");
  if (paired.kind !== "ok") throw new Error("unpaired");
  return checkLinearizable(paired.value, "onelog", { offsetWitness });
}

test("true offsets: the witness proves every execution, agreeing with the search", () => {
  fc.assert(
    fc.property(plans, schedule, fc.boolean(), (planned, order, lists) => {
      const events = execute(planned, order, lists);
      const fast = verdict(events, true);
      assert.equal(fast.verdict, "ok", JSON.stringify(events));
      assert.equal(verdict(events, false).verdict, "ok");
    }),
    { numRuns: 500 },
  );
});

test("lying offsets never make a verdict: the search still decides", () => {
  fc.assert(
    fc.property(
      plans,
      schedule,
      fc.array(fc.nat(20), { minLength: 20, maxLength: 20 }),
      (planned, order, lies) => {
        const events = execute(planned, order, false).map((event, index) =>
          event.offset === undefined
            ? event
            : { ...event, offset: lies[index % lies.length] as number },
        );
        assert.equal(verdict(events, true).verdict, verdict(events, false).verdict);
      },
    ),
    { numRuns: 500 },
  );
});

test("a read of a value never written is a violation with or without the witness", () => {
  fc.assert(
    fc.property(plans, schedule, (planned, order) => {
      const events = execute(planned, order, false);
      const read = events.findIndex((event) => event.f === "read" && event.type === "ok");
      fc.pre(read >= 0);
      const broken = events.map((event, index) =>
        index === read ? { ...event, value: "never written" } : event,
      );
      assert.equal(verdict(broken, true).verdict, "violation");
      assert.equal(verdict(broken, false).verdict, "violation");
    }),
    { numRuns: 300 },
  );
});

test("the simulator's strict histories are proven by the witness, key by key", () => {
  for (const seed of [3, 5, 11, 18]) {
    const result = runSeed(seed, { concernMode: "strict", operationCount: 300 });
    assert.equal(result.check?.linearizable, "ok", `seed ${seed}: ${result.violation?.message}`);
    const events = result.history.map(({ time, error: _error, ...event }, index) => ({
      ...event,
      value: event.value as Value,
      timeMs: time,
      line: index + 1,
    }));
    const fast = verdict(events, true);
    assert.equal(fast.verdict, "ok");
    if (fast.verdict === "ok")
      assert.equal(fast.witnessPartitionCount, fast.partitionCount, `seed ${seed}`);
  }
});
