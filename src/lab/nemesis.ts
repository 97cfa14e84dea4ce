/**
 * Carries out a nemesis schedule (nemesis_plan.ts) on a running LabCluster: kills and restarts,
 * pauses and resumes, partitions (the peer transport's fault hook on loopback, the firewall
 * between network namespaces), latency and loss through the nodes' signed fault endpoints.
 * Every start and end is an `info` event of the process "nemesis" in the history, with the node
 * the fault hit and, for network faults, the mechanism, so the report can draw it and a reader
 * can match anomalies to faults.
 */
import type { LabCluster, PartitionMechanism } from "./cluster.js";
import type { HistoryRecorder } from "./history.js";
import { describeFault, type FaultPlan, type ScheduledFault, type Target } from "./nemesis_plan.js";
import { partitionCuts } from "./partitions.js";

export interface NemesisRun {
  /** Ends the schedule early and repairs the fault in force; resolves when done. */
  stop(): Promise<void>;
  /** Resolves when the schedule is over (or stopped). */
  readonly done: Promise<void>;
  /** Faults started so far. */
  readonly started: () => number;
}

/** The value of a nemesis event: which fault, what it did, where. */
export interface NemesisValue {
  fault: number;
  phase: "start" | "end";
  description: string;
  nodes: number[];
  /** What drops the traffic of a partition, latency or loss. */
  mechanism?: PartitionMechanism;
}

export function runNemesis(
  schedule: readonly ScheduledFault[],
  cluster: LabCluster,
  recorder: HistoryRecorder,
  startedAtMs: number,
): NemesisRun {
  let stopping = false;
  let wake: (() => void) | undefined;
  let started = 0;
  const pause = (untilMs: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, untilMs - (performance.now() - startedAtMs)));
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  const done = (async () => {
    for (const scheduled of schedule) {
      await pause(scheduled.atMs);
      if (stopping) return;
      const repair = await apply(scheduled, cluster, recorder);
      started++;
      await pause(scheduled.atMs + scheduled.durationMs);
      await repair();
      if (stopping) return;
    }
  })();
  return {
    done,
    started: () => started,
    async stop() {
      stopping = true;
      wake?.();
      await done;
    },
  };
}

/** Starts one fault, records it, and answers the function that repairs it. */
async function apply(
  scheduled: ScheduledFault,
  cluster: LabCluster,
  recorder: HistoryRecorder,
): Promise<() => Promise<void>> {
  const { fault } = scheduled;
  const leader = await cluster.someLeader();
  const resolve = (target: Target) =>
    target.kind === "leader" ? (leader ?? cluster.nodes[0]?.id ?? 1) : target.id;
  const record = (
    phase: NemesisValue["phase"],
    nodes: number[],
    description: string,
    mechanism?: PartitionMechanism,
  ) => {
    const value: NemesisValue = {
      fault: scheduled.index,
      phase,
      description,
      nodes,
      ...(mechanism === undefined ? {} : { mechanism }),
    };
    recorder.nemesis(`${phase}-${fault.kind}`, value);
  };
  const description = `${describeFault(fault)}${leader === undefined ? "" : ` (leader ${leader})`}`;
  switch (fault.kind) {
    case "kill": {
      const node = resolve(fault.target);
      await cluster.kill(node);
      record("start", [node], description);
      return async () => {
        cluster.restart(node);
        record("end", [node], `restart node ${node}`);
      };
    }
    case "pause": {
      const node = resolve(fault.target);
      cluster.pause(node);
      record("start", [node], description);
      return async () => {
        cluster.resume(node);
        record("end", [node], `resume node ${node}`);
      };
    }
    case "partition":
      return partition(fault, leader, cluster, record);
    case "latency":
    case "loss": {
      const node = resolve(fault.target);
      const settings =
        fault.kind === "latency"
          ? { delayMs: fault.delayMs, delayJitterMs: fault.delayJitterMs }
          : { lossRate: fault.lossRate };
      // Latency and loss stay the transport's in every network mode: this kernel's kind of
      // machine has no netem qdisc (docs/decisions/0007-lab-netns.md).
      await cluster.setFaults(node, settings);
      record("start", [node], description, "transport");
      return async () => {
        await cluster.clearFaults(node);
        record("end", [node], `restore links of node ${node}`, "transport");
      };
    }
  }
}

async function partition(
  fault: Extract<FaultPlan, { kind: "partition" }>,
  leader: number | undefined,
  cluster: LabCluster,
  record: (
    phase: NemesisValue["phase"],
    nodes: number[],
    text: string,
    mechanism: PartitionMechanism,
  ) => void,
): Promise<() => Promise<void>> {
  const ids = cluster.nodes.map((node) => node.id);
  const cuts = partitionCuts(fault.shape, fault.order, leader);
  const mechanism = await cluster.partition(cuts);
  const cutText = cuts.map(([from, to]) => `${from}->${to}`).join(" ");
  record(
    "start",
    ids,
    `${describeFault(fault)}${leader === undefined ? "" : ` (leader ${leader})`}: cut ${cutText} by ${mechanism}`,
    mechanism,
  );
  return async () => {
    await cluster.healPartition();
    record("end", ids, "heal partition", mechanism);
  };
}
