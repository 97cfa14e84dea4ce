/**
 * Cluster control for the lab: real `onelog node` processes on loopback, in a data folder of
 * their own, with the configs `onelog up` writes (src/cli/local_cluster.ts). Faults on processes
 * go by PID: kill -9, SIGSTOP/SIGCONT, restart on the same data. `stop` ends every process this
 * cluster started, and a process-exit hook SIGKILLs any left if the lab itself dies.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeLocalCluster } from "../cli/local_cluster.js";
import type { Endpoint } from "../client/index.js";
import type { FaultSettings } from "../io/transport/index.js";
import type { PresetName } from "../server/presets.js";
import { type FaultReply, nodeStatus, sendFaults } from "./admin_calls.js";
import { findFreeBasePort } from "./ports.js";

export type NodeState = "running" | "paused" | "killed";

export interface LabNode {
  readonly id: number;
  readonly respPort: number;
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
}

const mainScript = fileURLToPath(new URL("../cli/main.js", import.meta.url));
const stopGraceMs = 5000;
const pollMs = 100;

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
  ) {
    this.removeDataOnStop = removeDataOnStop;
    process.once("exit", this.exitHook);
  }

  /** Writes the configs and starts every node; call `waitForLeader` before using it. */
  static async start(options: ClusterOptions): Promise<LabCluster> {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "onelog-lab-"));
    const planned = writeLocalCluster({
      dataDir,
      nodeCount: options.nodeCount,
      preset: options.preset,
      basePort: await findFreeBasePort(options.nodeCount),
      electionTimeoutMs: options.electionTimeoutMs ?? 300,
    });
    const secret = readFileSync(join(dataDir, "cluster_secret"), "utf8").trim();
    const nodes: LabNode[] = planned.map((node) => ({
      id: node.id,
      respPort: node.respPort,
      adminPort: node.adminPort,
      configFile: node.configFile,
      state: "killed",
    }));
    const cluster = new LabCluster(nodes, dataDir, secret, options.dataDir === undefined);
    for (const node of nodes) cluster.spawn(node);
    return cluster;
  }

  get endpoints(): Endpoint[] {
    return this.nodes.map((node) => ({ host: "127.0.0.1", port: node.respPort }));
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
    return sendFaults(this.node(id).adminPort, this.clusterSecret, settings);
  }

  clearFaults(id: number): Promise<FaultReply> {
    return sendFaults(this.node(id).adminPort, this.clusterSecret, null);
  }

  /** Every node running, unpaused and without faults: the start of the heal phase. */
  async healAll(): Promise<void> {
    for (const node of this.nodes) {
      this.resume(node.id);
      this.restart(node.id);
    }
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
    const replies = await Promise.all(running.map((node) => nodeStatus(node.adminPort, 500)));
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
      const reply = await nodeStatus(node.adminPort, 300);
      if (reply.kind === "ok" && reply.status.shards[0]?.role === "leader") return node.id;
    }
    return undefined;
  }

  /** SIGCONT, then SIGTERM to every node, SIGKILL after a grace period; removes a temp folder. */
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
    if (this.removeDataOnStop) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private spawn(node: LabNode): void {
    const output = openSync(join(this.dataDir, `node-${node.id}`, "stderr.log"), "a");
    const child = spawn(process.execPath, [mainScript, "node", "--config", node.configFile], {
      stdio: ["ignore", output, output],
    });
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
