/**
 * The nemesis schedule of a run, drawn from its seed before the run starts, so that a seed names
 * the same faults at the same times every time (the nodes' own timing still varies). Faults come
 * one at a time: each starts at `atMs` after the run began and is repaired `durationMs` later.
 * Which node is the leader is known only while running, so a plan may name "the leader" and the
 * executor (nemesis.ts) resolves it and records the node it chose.
 */
import { seededRandom } from "../core/random.js";

export const nemesisKinds = ["kill", "pause", "partition", "latency", "loss"] as const;
export type NemesisKind = (typeof nemesisKinds)[number];

export const partitionShapes = [
  "isolate-leader",
  "isolate-node",
  "majority-minority",
  "asymmetric",
  "bridge",
] as const;
export type PartitionShape = (typeof partitionShapes)[number];

/** A node named in advance, or whichever node leads when the fault starts. */
export type Target = { kind: "leader" } | { kind: "node"; id: number };

export type FaultPlan =
  | { kind: "kill"; target: Target }
  | { kind: "pause"; target: Target }
  /** `order`: a permutation of the node ids from which the shape takes its sides. */
  | { kind: "partition"; shape: PartitionShape; order: number[] }
  | { kind: "latency"; target: Target; delayMs: number; delayJitterMs: number }
  | { kind: "loss"; target: Target; lossRate: number };

export interface ScheduledFault {
  index: number;
  atMs: number;
  durationMs: number;
  fault: FaultPlan;
}

export interface PlanOptions {
  seed: number;
  kinds: readonly NemesisKind[];
  durationMs: number;
  nodeCount: number;
}

/** Fault lengths and gaps: long enough for an election (a few election timeouts), short enough
 * that a 10-second run sees several faults. */
const faultMsMin = 800;
const faultMsMax = 3000;
const gapMsMin = 300;
const gapMsMax = 1500;
/** How often a fault aims at the leader: the faults that matter most hit it. */
const leaderChance = 0.6;

export function planNemesis(options: PlanOptions): ScheduledFault[] {
  if (options.kinds.length === 0) return [];
  const random = seededRandom(options.seed ^ 0x6e656d65);
  const ids = Array.from({ length: options.nodeCount }, (_, index) => index + 1);
  const target = (): Target =>
    random.chance(leaderChance) ? { kind: "leader" } : { kind: "node", id: random.pick(ids) };
  const shuffled = (): number[] => {
    const order = [...ids];
    for (let index = order.length - 1; index > 0; index--) {
      const other = random.int(0, index);
      [order[index], order[other]] = [order[other] as number, order[index] as number];
    }
    return order;
  };
  const plan: ScheduledFault[] = [];
  let atMs = random.int(gapMsMin, gapMsMax);
  while (atMs < options.durationMs - faultMsMin / 2) {
    const kind = random.pick(options.kinds);
    const durationMs = Math.min(random.int(faultMsMin, faultMsMax), options.durationMs - atMs);
    let fault: FaultPlan;
    switch (kind) {
      case "kill":
      case "pause":
        fault = { kind, target: target() };
        break;
      case "partition":
        fault = { kind, shape: random.pick(partitionShapes), order: shuffled() };
        break;
      case "latency":
        fault = {
          kind,
          target: target(),
          delayMs: random.int(20, 300),
          delayJitterMs: random.int(0, 100),
        };
        break;
      case "loss":
        fault = { kind, target: target(), lossRate: random.pick([0.1, 0.3, 0.5]) };
        break;
    }
    plan.push({ index: plan.length, atMs, durationMs, fault });
    atMs += durationMs + random.int(gapMsMin, gapMsMax);
  }
  return plan;
}

/** One line for a report or a progress display. */
export function describeFault(fault: FaultPlan): string {
  const on = (target: Target) => (target.kind === "leader" ? "the leader" : `node ${target.id}`);
  switch (fault.kind) {
    case "kill":
      return `kill -9 ${on(fault.target)}, restart after`;
    case "pause":
      return `SIGSTOP ${on(fault.target)}, SIGCONT after`;
    case "partition":
      return `partition ${fault.shape}`;
    case "latency":
      return `${fault.delayMs}±${fault.delayJitterMs} ms latency out of ${on(fault.target)}`;
    case "loss":
      return `${fault.lossRate * 100}% loss out of ${on(fault.target)}`;
  }
}

export function parseNemesisKinds(text: string): NemesisKind[] | string {
  if (text === "" || text === "none") return [];
  const kinds: NemesisKind[] = [];
  for (const part of text.split(",")) {
    const kind = nemesisKinds.find((candidate) => candidate === part.trim());
    if (kind === undefined) return `unknown nemesis ${part}; expected ${nemesisKinds.join(", ")}`;
    kinds.push(kind);
  }
  return kinds;
}
