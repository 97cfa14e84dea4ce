/**
 * The simulator's nemesis: during the safety phase it strikes at random intervals with the
 * faults the scenario enabled — partitions (one node isolated, often the leader; majority and
 * minority; one-way; a bridge), crashes that lose unsynced writes, process pauses, and lossy
 * links — and repairs each after a random while. `healAll` ends every fault for the liveness
 * phase. Every fault is logged with its virtual time, so a failing seed can be read.
 */
import type { Random } from "../core/random.js";
import type { NodeId } from "../core/types.js";
import type { SimCluster, SimEvent, SimNode } from "./cluster.js";
import type { EventQueue } from "./event_queue.js";
import type { Scenario } from "./scenario.js";

export class Nemesis {
  readonly log: string[] = [];
  active = true;

  constructor(
    private readonly scenario: Scenario,
    private readonly random: Random,
    private readonly queue: EventQueue<SimEvent>,
    private readonly clock: { nowMs: number },
    private readonly cluster: SimCluster,
  ) {
    if (scenario.faults.length > 0) this.scheduleNext();
  }

  handle(event: SimEvent): void {
    if (event.kind === "fault") {
      if (!this.active) return;
      this.strike();
      this.scheduleNext();
      return;
    }
    if (event.kind !== "repair") throw new Error(`nemesis cannot handle ${event.kind}`);
    const { repair } = event;
    switch (repair.kind) {
      case "restart":
        return this.restart(this.cluster.node(repair.node));
      case "resume":
        return this.resume(this.cluster.node(repair.node));
      case "heal":
        this.cluster.heal();
        return this.note("heal partitions");
      case "restore_links":
        this.cluster.degrade(0);
        return this.note("restore links");
    }
  }

  /** Ends every fault: the liveness phase starts from a healed cluster. */
  healAll(): void {
    this.active = false;
    this.cluster.heal();
    this.cluster.degrade(0);
    for (const node of this.cluster.nodes) {
      this.resume(node);
      this.restart(node);
    }
    this.note("heal all");
  }

  private scheduleNext(): void {
    const delay = this.random.int(
      this.scenario.faultIntervalMs / 2,
      this.scenario.faultIntervalMs * 1.5,
    );
    this.queue.push(this.clock.nowMs + delay, { kind: "fault" });
  }

  private strike(): void {
    const kind = this.random.pick(this.scenario.faults);
    const repairAt = this.clock.nowMs + this.random.int(50, 3000);
    switch (kind) {
      case "partition": {
        if (this.cluster.nodes.length < 2) return;
        this.partition();
        this.queue.push(repairAt + this.random.int(0, 2000), {
          kind: "repair",
          repair: { kind: "heal" },
        });
        return;
      }
      case "crash": {
        const node = this.victim();
        if (node === undefined) return;
        this.cluster.crash(node);
        this.note(`crash ${node.id}`);
        this.queue.push(repairAt, { kind: "repair", repair: { kind: "restart", node: node.id } });
        return;
      }
      case "pause": {
        const node = this.victim();
        if (node === undefined || node.paused) return;
        this.cluster.pause(node);
        this.note(`pause ${node.id}`);
        this.queue.push(repairAt, { kind: "repair", repair: { kind: "resume", node: node.id } });
        return;
      }
      case "degrade": {
        const lossRate = this.random.pick([0.3, 0.5, 0.8]);
        this.cluster.degrade(lossRate);
        this.note(`degrade links: loss ${lossRate}`);
        this.queue.push(repairAt, { kind: "repair", repair: { kind: "restore_links" } });
        return;
      }
    }
  }

  private partition(): void {
    const ids = this.random.chance(0.5) ? this.shuffledWithLeaderFirst() : this.shuffled();
    const shape = this.random.pick(["isolate", "split", "one-way", "bridge"] as const);
    if (shape === "isolate" || ids.length < 3) {
      const [alone, ...rest] = ids as [NodeId, ...NodeId[]];
      this.cluster.partition([[alone], rest]);
      return this.note(`partition isolate ${alone}`);
    }
    if (shape === "split") {
      const cut = this.random.int(1, ids.length - 1);
      this.cluster.partition([ids.slice(0, cut), ids.slice(cut)]);
      return this.note(`partition ${ids.slice(0, cut).join(",")} | ${ids.slice(cut).join(",")}`);
    }
    if (shape === "one-way") {
      const [from, to] = ids as [NodeId, NodeId];
      this.cluster.blockOneWay(from, to);
      return this.note(`partition one-way ${from} -/-> ${to}`);
    }
    // A bridge (Jepsen): two halves that only the middle node reaches both of.
    const middle = ids[0] as NodeId;
    const others = ids.slice(1);
    const half = Math.ceil(others.length / 2);
    const left = others.slice(0, half);
    const right = others.slice(half);
    this.cluster.partition([left, right]);
    this.note(`partition bridge ${left.join(",")} <- ${middle} -> ${right.join(",")}`);
  }

  private victim(): SimNode | undefined {
    const live = this.cluster.nodes.filter((node) => node.replica !== undefined);
    if (live.length === 0) return undefined;
    const leader = live.find((node) => node.replica?.role === "leader");
    return leader !== undefined && this.random.chance(0.5) ? leader : this.random.pick(live);
  }

  private shuffled(): NodeId[] {
    const ids = [...this.cluster.memberIds];
    for (let index = ids.length - 1; index > 0; index--) {
      const other = this.random.int(0, index);
      [ids[index], ids[other]] = [ids[other] as NodeId, ids[index] as NodeId];
    }
    return ids;
  }

  private shuffledWithLeaderFirst(): NodeId[] {
    const ids = this.shuffled();
    const leader = this.cluster.nodes.find((node) => node.replica?.role === "leader")?.id;
    return leader === undefined ? ids : [leader, ...ids.filter((id) => id !== leader)];
  }

  private restart(node: SimNode): void {
    if (node.replica !== undefined) return;
    this.cluster.restart(node);
    this.note(`restart ${node.id}`);
  }

  private resume(node: SimNode): void {
    if (!node.paused) return;
    this.cluster.resume(node);
    this.note(`resume ${node.id}`);
  }

  private note(what: string): void {
    this.log.push(`${(this.clock.nowMs / 1000).toFixed(3)}s ${what}`);
  }
}
