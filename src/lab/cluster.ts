/**
 * Cluster control for the lab: real `onelog node` processes in a data folder of their own, with
 * the configs `onelog up` writes (src/cli/local_cluster.ts), on loopback or each in a network
 * namespace of its own (netns.ts). Faults on processes go by PID: kill -9, SIGSTOP/SIGCONT,
 * restart on the same data. Partitions go through the peer transport's fault hook on loopback
 * and through the firewall between namespaces. `stop` ends every process this cluster started
 * and removes its namespaces; a process-exit hook SIGKILLs any left if the lab itself dies.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeLocalCluster } from "../cli/local_cluster.js";
import type { Endpoint } from "../client/index.js";
import { nodeId } from "../core/types.js";
import type { FaultSettings } from "../io/transport/index.js";
import type { PresetName } from "../server/presets.js";
import { type FaultReply, nodeStatus, sendFaults } from "./admin_calls.js";
import type { Firewall } from "./firewall_rules.js";
import { NetnsNetwork } from "./netns.js";
import { type Cut, linkFaults } from "./partitions.js";
import { findFreeBasePort } from "./ports.js";

export const networkModes = ["loopback", "netns"] as const;
export type NetworkMode = (typeof networkModes)[number];
/** What drops a partition's traffic: the peer transport's fault hook, or a firewall. */
export type PartitionMechanism = "transport" | Firewall;

export type NodeState = "running" | "paused" | "killed";

export interface LabNode {
  readonly id: number;
  readonly host: string;
  readonly respPort: number;
  readonly peerPort: number;
  readonly adminPort: number;
  readonly configFile: string;
  state: NodeState;
  child?: ChildProcess;
}

export interface ClusterOptions {
  preset: PresetName;
  nodeCount: number;
  /** Shorter than a node's default (1000 ms) so that a short run sees several elections. */
  electionTimeoutMs?: number;
  /** Where the data goes; a fresh temporary folder (removed by `stop`) when absent. */
  dataDir?: string;
  /** `loopback` (the default) or one network namespace per node. */
  network?: NetworkMode;
}

const mainScript = fileURLToPath(new URL("../cli/main.js", import.meta.url));
const stopGraceMs = 5000;
const pollMs = 100;
/** Every node has a namespace of its own, so any ports are free there: `onelog up`'s default. */
const netnsBasePort = 7379;

export class LabCluster {
  private readonly removeDataOnStop: boolean;
  private stopped = false;
  private readonly exitHook = () => {
    for (const node of this.nodes) killQuietly(node.child, "SIGKILL");
  };

  private constructor(
    readonly nodes: LabNode[],
    readonly dataDir: string,
    readonly clusterSecret: string,
    removeDataOnStop: boolean,
    /** The namespaces, when the nodes run in them. */
    readonly network: NetnsNetwork | undefined,
  ) {
    this.removeDataOnStop = removeDataOnStop;
    process.once("exit", this.exitHook);
  }

  /** Writes the configs and starts every node; call `waitForLeader` before using it. */
  static async start(options: ClusterOptions): Promise<LabCluster> {
    const ids = Array.from({ length: options.nodeCount }, (_, index) => index + 1);
    const basePort =
      options.network === "netns" ? netnsBasePort : await findFreeBasePort(options.nodeCount);
    const network = options.network === "netns" ? NetnsNetwork.create(ids) : undefined;
    const hosts = network === undefined ? undefined : ids.map((id) => network.host(id));
    let dataDir: string;
    let planned: ReturnType<typeof writeLocalCluster>;
    try {
      dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "onelog-lab-"));
      planned = writeLocalCluster({
        dataDir,
        nodeCount: options.nodeCount,
        preset: options.preset,
        basePort,
        electionTimeoutMs: options.electionTimeoutMs ?? 300,
        ...(hosts === undefined ? {} : { hosts }),
      });
    } catch (error) {
      network?.close();
      throw error;
    }
    const secret = readFileSync(join(dataDir, "cluster_secret"), "utf8").trim();
    const nodes: LabNode[] = planned.map((node) => ({
      id: node.id,
      host: node.host,
      respPort: node.respPort,
      peerPort: node.peerPort,
      adminPort: node.adminPort,
      configFile: node.configFile,
      state: "killed",
    }));
    const cluster = new LabCluster(nodes, dataDir, secret, options.dataDir === undefined, network);
    for (const node of nodes) cluster.spawn(node);
    return cluster;
  }

  get endpoints(): Endpoint[] {
    return this.nodes.map((node) => ({ host: node.host, port: node.respPort }));
  }

  node(id: number): LabNode {
    const node = this.nodes.find((candidate) => candidate.id === id);
    if (node === undefined) throw new RangeError(`no node ${id}`);
    return node;
  }

  /** kill -9: no chance to flush; what was not synced is lost, as in a power cut. */
  async kill(id: number): Promise<void> {
    const node = this.node(id);
    if (node.state === "killed") return;
    const child = node.child;
    node.state = "killed";
    if (child === undefined) return;
    const exited = exitOf(child);
    killQuietly(child, "SIGKILL");
    await exited;
  }

  pause(id: number): void {
    const node = this.node(id);
    if (node.state !== "running") return;
    killQuietly(node.child, "SIGSTOP");
    node.state = "paused";
  }

  resume(id: number): void {
    const node = this.node(id);
    if (node.state !== "paused") return;
    killQuietly(node.child, "SIGCONT");
    node.state = "running";
  }

  /** Starts a killed node again on its data. */
  restart(id: number): void {
    const node = this.node(id);
    if (node.state === "killed") this.spawn(node);
  }

  setFaults(id: number, settings: Partial<FaultSettings>): Promise<FaultReply> {
    return sendFaults(this.node(id), this.clusterSecret, settings);
  }

  clearFaults(id: number): Promise<FaultReply> {
    return sendFaults(this.node(id), this.clusterSecret, null);
  }

  /**
   * Drops the peer traffic of every cut until `healPartition`; answers what drops it. The
   * transport forgets a killed node's faults when it restarts, a firewall rule outlives it.
   */
  async partition(cuts: readonly Cut[]): Promise<PartitionMechanism> {
    if (this.network !== undefined) {
      await this.network.cut(cuts);
      return this.network.firewall;
    }
    const faults = linkFaults(
      this.nodes.map((node) => node.id),
      cuts,
    );
    // A killed node's admin port does not answer; its links are cleared when it restarts.
    await Promise.all(
      [...faults].map(([id, links]) =>
        this.setFaults(id, {
          blockedTo: links.blockedTo.map(nodeId),
          blockedFrom: links.blockedFrom.map(nodeId),
        }),
      ),
    );
    return "transport";
  }

  async healPartition(): Promise<void> {
    if (this.network !== undefined) return this.network.heal();
    await Promise.all(this.nodes.map((node) => this.clearFaults(node.id)));
  }

  /** Every node running, unpaused and without faults: the start of the heal phase. */
  async healAll(): Promise<void> {
    for (const node of this.nodes) {
      this.resume(node.id);
      this.restart(node.id);
    }
    await this.network?.heal();
    await Promise.all(this.nodes.map((node) => this.clearFaultsWhenUp(node.id)));
  }

  /** The leader every running node names, once they all agree, or undefined at the deadline. */
  async waitForLeader(timeoutMs: number): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stopped && Date.now() < deadline) {
      const leader = await this.agreedLeader();
      if (leader !== undefined) return leader;
      await sleep(pollMs);
    }
    return undefined;
  }

  /** The leader the running nodes agree on now (one status round). */
  async agreedLeader(): Promise<number | undefined> {
    const running = this.nodes.filter((node) => node.state === "running");
    const replies = await Promise.all(running.map((node) => nodeStatus(node, 500)));
    const leaders = new Set<number | undefined>();
    for (const reply of replies) {
      leaders.add(reply.kind === "ok" ? reply.status.shards[0]?.leader : undefined);
    }
    const [leader] = [...leaders];
    return leaders.size === 1 ? leader : undefined;
  }

  /** The leader any running node names (a partitioned minority may still name an old one). */
  async someLeader(): Promise<number | undefined> {
    for (const node of this.nodes.filter((candidate) => candidate.state === "running")) {
      const reply = await nodeStatus(node, 300);
      if (reply.kind === "ok" && reply.status.shards[0]?.role === "leader") return node.id;
    }
    return undefined;
  }

  /**
   * SIGCONT, then SIGTERM to every node, SIGKILL after a grace period; then removes the
   * namespaces and a temporary data folder.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(
      this.nodes.map(async (node) => {
        const child = node.child;
        if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
        const exited = exitOf(child);
        killQuietly(child, "SIGCONT");
        killQuietly(child, "SIGTERM");
        const timer = setTimeout(() => killQuietly(child, "SIGKILL"), stopGraceMs);
        await exited;
        clearTimeout(timer);
      }),
    );
    process.off("exit", this.exitHook);
    this.network?.close();
    if (this.removeDataOnStop) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private spawn(node: LabNode): void {
    const output = openSync(join(this.dataDir, `node-${node.id}`, "stderr.log"), "a");
    const argv = [process.execPath, mainScript, "node", "--config", node.configFile];
    const [file, ...args] = this.network?.inNamespace(node.id, argv) ?? argv;
    const child = spawn(file as string, args, { stdio: ["ignore", output, output] });
    node.child = child;
    node.state = "running";
    child.once("exit", () => {
      if (node.child === child) node.state = "killed";
    });
  }

  /** A restarted node needs a moment before its admin port answers. */
  private async clearFaultsWhenUp(id: number): Promise<void> {
    for (let tries = 0; tries < 50; tries++) {
      if ((await this.clearFaults(id)).kind === "ok") return;
      await sleep(pollMs);
    }
  }
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

function killQuietly(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, signal);
  } catch {
    // Exited between the check and the signal.
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
