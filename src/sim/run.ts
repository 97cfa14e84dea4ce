/**
 * One simulated run per seed, in TigerBeetle's two phases: a safety phase in which clients work
 * while the nemesis strikes and every step is checked, then a liveness phase that heals the
 * cluster and requires a leader and full convergence within a bounded virtual time. Final
 * linearizable reads of every key close the history.
 */

import type { Replica } from "../core/replica/index.js";
import { AssertionError } from "../util/assert.js";
import { checkHistory, type HistoryCheck } from "./check_history.js";
import { SimCluster, type SimEvent } from "./cluster.js";
import { EventQueue } from "./event_queue.js";
import type { HistoryEvent } from "./history.js";
import { InvariantChecker, SimViolation } from "./invariants.js";
import { Nemesis } from "./nemesis.js";
import { drawScenario, type Scenario, type ScenarioOverrides } from "./scenario.js";
import { Workload } from "./workload.js";

export type Phase = "safety" | "liveness" | "final" | "check";

export interface SeedResult {
  seed: number;
  ok: boolean;
  /** What broke, and in which phase. */
  violation?: { phase: Phase; message: string };
  scenario: Scenario;
  /** Client operations completed (final reads excluded). */
  operations: number;
  virtualMs: number;
  messages: number;
  faults: string[];
  history: HistoryEvent[];
  /** The checker's verdict on the history (absent when an invariant failed first). */
  check?: HistoryCheck;
}

export function runSeed(seed: number, overrides: ScenarioOverrides = {}): SeedResult {
  const { scenario, random } = drawScenario(seed, overrides);
  const clock = { nowMs: 0 };
  const queue = new EventQueue<SimEvent>();
  const invariants = new InvariantChecker();
  const cluster = new SimCluster(scenario, random.fork(), queue, clock, invariants);
  const workload = new Workload(scenario, random.fork(), queue, clock, cluster, invariants);
  const nemesis = new Nemesis(scenario, random.fork(), queue, clock, cluster);

  const dispatch = (event: SimEvent): void => {
    switch (event.kind) {
      case "tick":
      case "deliver":
      case "write":
      case "read":
      case "propose":
        return cluster.handle(event);
      case "client":
      case "client_timeout":
      case "reply":
        return workload.handle(event);
      case "fault":
      case "repair":
        return nemesis.handle(event);
    }
  };
  const runUntil = (done: () => boolean, deadlineMs: number): boolean => {
    while (!done()) {
      const nextMs = queue.peekTimeMs();
      if (nextMs === undefined || nextMs > deadlineMs) return false;
      const next = queue.pop() as { timeMs: number; event: SimEvent };
      clock.nowMs = next.timeMs;
      dispatch(next.event);
    }
    return true;
  };

  let phase: Phase = "safety";
  let violation: SeedResult["violation"];
  let check: HistoryCheck | undefined;
  try {
    runUntil(
      () => workload.issued >= scenario.operationCount && workload.outstanding === 0,
      scenario.safetyPhaseMsMax,
    );
    phase = "liveness";
    workload.issuing = false;
    nemesis.healAll();
    const converged = runUntil(
      () => workload.outstanding === 0 && convergedLeader(cluster) !== undefined,
      clock.nowMs + scenario.livenessPhaseMsMax,
    );
    if (!converged) {
      throw new SimViolation(
        `no convergence within ${scenario.livenessPhaseMsMax} ms of healing: ${describeCluster(cluster)}`,
      );
    }
    phase = "final";
    workload.startFinalReads();
    // Lossy links may cause elections even now; the final check wants a converged cluster again.
    const settled = () => workload.finalReadsDone && convergedLeader(cluster) !== undefined;
    if (!runUntil(settled, clock.nowMs + scenario.livenessPhaseMsMax)) {
      throw new SimViolation(
        `final reads did not complete on a converged cluster: ${describeCluster(cluster)}`,
      );
    }
    invariants.finish(cluster.nodes.map((node) => node.replica as Replica));
    phase = "check";
    check = checkHistory(scenario, workload.history);
    if (check.violation !== undefined) throw new SimViolation(check.violation);
  } catch (error) {
    if (!(error instanceof SimViolation || error instanceof AssertionError)) throw error;
    violation = { phase, message: error.message };
  }
  return {
    seed,
    ok: violation === undefined,
    ...(violation === undefined ? {} : { violation }),
    scenario,
    operations: workload.completed,
    virtualMs: clock.nowMs,
    messages: cluster.messagesSent,
    faults: nemesis.log,
    history: workload.history,
    ...(check === undefined ? {} : { check }),
  };
}

/** The leader of a fully converged cluster: every replica up, following it, caught up, committed. */
function convergedLeader(cluster: SimCluster): Replica | undefined {
  const replicas = cluster.nodes.map((node) => (node.paused ? undefined : node.replica));
  const leader = replicas.find((replica) => replica?.role === "leader");
  if (leader === undefined || leader.commit !== leader.log.leo) return undefined;
  for (const replica of replicas) {
    if (replica === undefined) return undefined;
    if (replica === leader) continue;
    if (
      replica.role !== "follower" ||
      replica.leader !== leader.id ||
      replica.epoch !== leader.epoch
    )
      return undefined;
    if (replica.log.leo !== leader.log.leo || replica.commit !== leader.log.leo) return undefined;
  }
  return leader;
}

function describeCluster(cluster: SimCluster): string {
  return cluster.nodes
    .map((node) => {
      if (node.replica === undefined) return `${node.id}: down`;
      const s = node.replica.status();
      return `${s.id}: ${s.role} e${s.epoch} leader=${s.leader ?? "-"} leo=${s.leo} commit=${s.commit}`;
    })
    .join("; ");
}
