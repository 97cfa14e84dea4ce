/**
 * Real node processes for the integration tests: free loopback ports, per-node YAML configs in a
 * temporary folder, `onelog node` children started and killed by PID, admin `/status` polling,
 * and `redis-cli`. Test timing: tick 10 ms, election timeout 300 ms.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { StatusDocument } from "../../../src/server/admin_server.js";

export const mainScript = join(import.meta.dirname, "..", "..", "..", "src", "cli", "main.js");

/** Ports the kernel just handed out as free (all held at once, so they are distinct). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let index = 0; index < count; index++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
    const address = server.address();
    if (typeof address === "object" && address !== null) ports.push(address.port);
    servers.push(server);
  }
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export interface TestNode {
  id: number;
  respPort: number;
  peerPort: number;
  adminPort: number;
  configFile: string;
  dataDir: string;
  logFile: string;
  child: ChildProcess | undefined;
}

export const testSecret = "test-cluster-secret-0123456789";

export class LocalNodes {
  readonly root: string;
  readonly nodes: TestNode[] = [];

  private constructor(root: string) {
    this.root = root;
  }

  static async create(
    count: number,
    preset = "raft",
    overrides: Record<string, unknown> = {},
  ): Promise<LocalNodes> {
    const cluster = new LocalNodes(mkdtempSync(join(tmpdir(), "onelog-test-")));
    const ports = await freePorts(3 * count);
    const entries = Array.from({ length: count }, (_, index) => ({
      id: index + 1,
      host: "127.0.0.1",
      respPort: ports[3 * index] as number,
      peerPort: ports[3 * index + 1] as number,
      adminPort: ports[3 * index + 2] as number,
    }));
    for (const entry of entries) {
      const dataDir = join(cluster.root, `node-${entry.id}`);
      const configFile = join(cluster.root, `node-${entry.id}.yaml`);
      const logFile = join(cluster.root, `node-${entry.id}.log`);
      const config = {
        nodeId: entry.id,
        clusterId: "test",
        clusterSecret: testSecret,
        dataDir,
        preset,
        tickMs: 10,
        electionTimeoutMs: 300,
        heartbeatMs: 30,
        fetchWaitMs: 60,
        logFile,
        logLevel: "info",
        shutdownGraceMs: 500,
        nodes: entries,
        ...overrides,
      };
      writeFileSync(configFile, stringify(config));
      cluster.nodes.push({ ...entry, configFile, dataDir, logFile, child: undefined });
    }
    return cluster;
  }

  node(id: number): TestNode {
    const node = this.nodes[id - 1];
    if (node === undefined) throw new RangeError(`no node ${id}`);
    return node;
  }

  start(id: number): void {
    const node = this.node(id);
    if (node.child !== undefined) throw new Error(`node ${id} is running`);
    node.child = spawn(process.execPath, [mainScript, "node", "--config", node.configFile], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    node.child.once("exit", () => {
      node.child = undefined;
    });
  }

  startAll(): void {
    for (const node of this.nodes) this.start(node.id);
  }

  /** Sends `signal` to the node's process and waits for it to exit; answers its exit code. */
  async stop(id: number, signal: NodeJS.Signals): Promise<number | null> {
    const child = this.node(id).child;
    if (child === undefined) return null;
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code) => resolve(code)),
    );
    child.kill(signal);
    return exited;
  }

  async status(id: number): Promise<StatusDocument | undefined> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.node(id).adminPort}/status`, {
        signal: AbortSignal.timeout(1000),
      });
      return response.ok ? ((await response.json()) as StatusDocument) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Waits until every running node names the same leader, which reports itself leader. */
  async waitForLeader(timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const running = this.nodes.filter((node) => node.child !== undefined);
      const statuses = await Promise.all(running.map((node) => this.status(node.id)));
      const leaders = new Set(statuses.map((status) => status?.shards[0]?.leader));
      const [leader] = [...leaders];
      if (leaders.size === 1 && leader !== undefined && leader !== null) {
        const own = await this.status(leader);
        if (own?.shards[0]?.role === "leader") return leader;
      }
      await sleep(50);
    }
    throw new Error(`no leader within ${timeoutMs} ms`);
  }

  /** Once a leader is elected: its RESP port and one follower's. */
  async respPorts(): Promise<{ leader: number; follower: number }> {
    const leader = await this.waitForLeader();
    const follower = this.nodes.find((node) => node.id !== leader) ?? this.node(leader);
    return { leader: this.node(leader).respPort, follower: follower.respPort };
  }

  /**
   * A node that reports itself leader, polling until one does: quicker than waitForLeader amid
   * failovers, as the other nodes need not have heard of it yet.
   */
  async anyLeader(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const node of this.nodes) {
        if (node.child === undefined) continue;
        const shard = (await this.status(node.id))?.shards[0];
        if (shard?.role === "leader") return node.id;
      }
      await sleep(30);
    }
    throw new Error(`no node led within ${timeoutMs} ms`);
  }

  /**
   * The nemesis of the kill -9 tests: once `reached(1)` resolves (a quarter of the work done),
   * kills the leader; at `reached(2)` restarts it; at `reached(3)` kills a follower and restarts
   * it 200 ms later.
   */
  async killLeaderThenFollower(reached: (quarters: 1 | 2 | 3) => Promise<void>): Promise<void> {
    await reached(1);
    const oldLeader = await this.anyLeader();
    await this.stop(oldLeader, "SIGKILL");
    await reached(2);
    this.start(oldLeader);
    await this.waitForLeader();
    await reached(3);
    const leader = await this.anyLeader();
    const follower = this.nodes.find((node) => node.id !== leader)!.id;
    await this.stop(follower, "SIGKILL");
    await sleep(200);
    this.start(follower);
  }

  /** Waits until every node holds the leader's whole log; answers the leader. */
  async waitForCaughtUp(): Promise<number> {
    const leader = await this.waitForLeader();
    const leaderLeo = (await this.status(leader))?.shards[0]?.leo ?? 0;
    for (const node of this.nodes) {
      await this.waitForStatus(node.id, (status) => (status.shards[0]?.leo ?? 0) >= leaderLeo);
    }
    return leader;
  }

  /** Waits until `predicate` holds of node `id`'s status. */
  async waitForStatus(
    id: number,
    predicate: (status: StatusDocument) => boolean,
    timeoutMs = 15_000,
  ) {
    const deadline = Date.now() + timeoutMs;
    let last: StatusDocument | undefined;
    while (Date.now() < deadline) {
      last = await this.status(id);
      if (last !== undefined && predicate(last)) return last;
      await sleep(50);
    }
    throw new Error(`node ${id} status never matched: ${JSON.stringify(last?.shards)}`);
  }

  /** Kills every node still running (SIGKILL, by PID) and removes the temporary folder. */
  async destroy(): Promise<void> {
    await Promise.all(
      this.nodes
        .filter((node) => node.child !== undefined)
        .map((node) => this.stop(node.id, "SIGKILL")),
    );
    rmSync(this.root, { recursive: true, force: true });
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs redis-cli against a node's RESP port; answers its stdout, trimmed. */
export function redisCli(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("redis-cli", ["-p", String(port), ...args], { timeout: 10_000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout.trim());
    });
  });
}
