/**
 * Everything a simulated run does is drawn from its seed here, up front, so a seed names one
 * world: the cluster's size and timing, the network's behaviour, which faults strike, and what
 * the clients ask for with which concerns.
 */

import { type Random, seededRandom } from "../core/random.js";
import type { Mutation } from "../core/replica/index.js";

export type FaultKind = "partition" | "crash" | "pause" | "degrade";

/** How the workload chooses concerns: `strict` promises linearizability, `mixed` draws per op. */
export type ConcernMode = "strict" | "mixed";

export type Workload = "register" | "list-append";

export interface Scenario {
  seed: number;
  nodeCount: number;
  tickMs: number;
  electionTimeoutTicks: number;
  heartbeatTicks: number;
  fetchWaitTicksMax: number;
  fetchRecordsMax: number;
  /** Small budgets cut nearly every fetch response by bytes (1: one batch a response). */
  fetchBytesMax: number;
  /** Link delay: base plus a uniform jitter; jitter reorders messages. */
  delayMsMin: number;
  delayJitterMs: number;
  lossRate: number;
  duplicateRate: number;
  faults: readonly FaultKind[];
  /** Mean time between two faults. */
  faultIntervalMs: number;
  workload: Workload;
  concernMode: ConcernMode;
  clientCount: number;
  keyCount: number;
  operationCount: number;
  /** A client gives up waiting and records the operation as indeterminate. */
  clientTimeoutMs: number;
  /** The safety phase ends after this long even if operations remain. */
  safetyPhaseMsMax: number;
  /** After healing, a leader and convergence are required within this long. */
  livenessPhaseMsMax: number;
  mutations: ReadonlySet<Mutation>;
  /** Committed records that trigger a snapshot and log compaction (Infinity: never). */
  compactionRecords: number;
  /**
   * 0: each write is proposed as it arrives. Otherwise a node gathers the writes that arrive
   * within this many ms and proposes them as one batch, as a real node does per event-loop turn.
   */
  proposeGroupMs: number;
}

export interface ScenarioOverrides {
  operationCount?: number;
  nodeCount?: number;
  concernMode?: ConcernMode;
  mutations?: ReadonlySet<Mutation>;
}

export function drawScenario(
  seed: number,
  overrides: ScenarioOverrides = {},
): { scenario: Scenario; random: Random } {
  const random = seededRandom(seed);
  const laterSettings = seededRandom(seed).fork();
  const allFaults: FaultKind[] = ["partition", "crash", "pause", "degrade"];
  const faults = allFaults.filter(() => random.chance(0.6));
  const scenario: Scenario = {
    seed,
    nodeCount: overrides.nodeCount ?? random.pick([1, 3, 3, 3, 3, 5, 5]),
    tickMs: 10,
    electionTimeoutTicks: random.int(10, 30),
    heartbeatTicks: random.int(2, 5),
    fetchWaitTicksMax: random.int(2, 10),
    fetchRecordsMax: random.pick([1, 2, 5, 100, 1000]),
    delayMsMin: random.int(1, 5),
    delayJitterMs: random.pick([0, 2, 10, 30]),
    lossRate: random.pick([0, 0, 0.01, 0.05, 0.2]),
    duplicateRate: random.pick([0, 0, 0.01, 0.05]),
    faults,
    faultIntervalMs: random.int(100, 2000),
    workload: random.pick(["register", "register", "list-append"] as const),
    concernMode: overrides.concernMode ?? random.pick(["strict", "mixed"] as const),
    clientCount: random.int(2, 8),
    keyCount: random.int(1, 8),
    operationCount: overrides.operationCount ?? 1000,
    clientTimeoutMs: random.int(300, 1500),
    safetyPhaseMsMax: 120_000,
    livenessPhaseMsMax: 30_000,
    mutations: overrides.mutations ?? new Set(),
    compactionRecords: random.pick([40, 200, Number.POSITIVE_INFINITY]),
    // Settings added later come from their own stream, in the order they were added, so every
    // older seed keeps the world it had (the main stream also seeds the clients and faults).
    proposeGroupMs: laterSettings.pick([0, 1, 1, 5]),
    fetchBytesMax: laterSettings.pick([1, 64, 512, 4096, 8 * 1024 * 1024]),
  };
  return { scenario, random: random.fork() };
}
