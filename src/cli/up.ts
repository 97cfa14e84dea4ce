/**
 * `onelog up [--nodes 3] [--preset raft|mongodb|redis] [--data DIR] [--base-port P]`: a local cluster
 * of real node processes. Writes the configs (reusing the data and secret of an earlier run),
 * starts one `onelog node` child per node, waits until they agree on a leader, prints the
 * endpoints, and on Ctrl-C or SIGTERM stops every child (SIGTERM, then SIGKILL after a timeout).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { agreedLeader, fetchStatus } from "./admin_client.js";
import { type LocalNode, writeLocalCluster } from "./local_cluster.js";

interface UpOptions {
  nodes: string;
  preset: string;
  data: string;
  basePort: string;
  electionTimeoutMs?: string;
  verbose?: boolean;
}

const mainScript = fileURLToPath(new URL("./main.js", import.meta.url));
const leaderWaitMs = 30_000;
const stopWaitMs = 10_000;

export function registerUpCommand(program: Command): void {
  program
    .command("up")
    .description("start a local cluster of node processes; Ctrl-C stops it")
    .option("--nodes <count>", "how many nodes", "3")
    .option("--preset <name>", "raft, mongodb or redis", "raft")
    .option("--data <dir>", "data folder (reused when it exists)", ".onelog")
    .option("--base-port <port>", "node i: RESP P+i, peers P+100+i, admin P+200+i", "7379")
    .option("--election-timeout-ms <ms>", "election timeout of every node")
    .option("--verbose", "stream the nodes' output")
    .action(async (options: UpOptions) => {
      const nodeCount = Number(options.nodes);
      const basePort = Number(options.basePort);
      if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 9) {
        throw new Error(`--nodes: expected 1 to 9, got ${options.nodes}`);
      }
      if (!Number.isInteger(basePort) || basePort < 1 || basePort + 300 > 65535) {
        throw new Error(`--base-port: expected a port below 65235, got ${options.basePort}`);
      }
      if (!["raft", "mongodb", "redis"].includes(options.preset)) {
        throw new Error(`--preset: expected raft, mongodb or redis, got ${options.preset}`);
      }
      const nodes = writeLocalCluster({
        dataDir: options.data,
        nodeCount,
        preset: options.preset,
        basePort,
        ...(options.electionTimeoutMs === undefined
          ? {}
          : { electionTimeoutMs: Number(options.electionTimeoutMs) }),
      });
      await runCluster(nodes, options);
    });
}

async function runCluster(nodes: LocalNode[], options: UpOptions): Promise<void> {
  const children = new Map<number, ChildProcess>();
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("stopping the cluster...");
    await Promise.all([...children.values()].map((child) => stopChild(child)));
    process.exit(code);
  };
  process.once("SIGINT", () => void stopAll(0));
  process.once("SIGTERM", () => void stopAll(0));
  for (const node of nodes) {
    const child = spawn(process.execPath, [mainScript, "node", "--config", node.configFile], {
      stdio: options.verbose ? "inherit" : ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on("exit", (code, signal) => {
      children.delete(node.id);
      if (stopping) return;
      console.error(`node ${node.id} exited (${signal ?? `code ${code}`}) ${stderr.trim()}`);
      if (children.size === 0) void stopAll(1);
    });
    children.set(node.id, child);
  }
  const admins = nodes.map((node) => `127.0.0.1:${node.adminPort}`);
  const deadline = Date.now() + leaderWaitMs;
  let leader: number | undefined;
  while (!stopping && Date.now() < deadline) {
    leader = agreedLeader(await Promise.all(admins.map((admin) => fetchStatus(admin, 500))));
    if (leader !== undefined) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (stopping) return;
  if (leader === undefined) console.error("no leader yet; the nodes keep trying (see node.log)");
  printEndpoints(nodes, leader, options.data);
}

function printEndpoints(nodes: LocalNode[], leader: number | undefined, dataDir: string): void {
  console.log(`onelog: ${nodes.length} nodes up, leader node ${leader ?? "?"}, data in ${dataDir}`);
  for (const node of nodes) {
    const mark = node.id === leader ? "  (leader)" : "";
    console.log(
      `  node ${node.id}: resp 127.0.0.1:${node.respPort}  peer ${node.peerPort}  admin http://127.0.0.1:${node.adminPort}/status${mark}`,
    );
  }
  const port = nodes.find((node) => node.id === leader)?.respPort ?? nodes[0]?.respPort;
  console.log(`try:  redis-cli -p ${port} SET k v   then   redis-cli -p ${port} GET k`);
  console.log(
    `      onelog status --base-port ${nodes[0]?.respPort ?? 7379} --nodes ${nodes.length}`,
  );
  console.log("Ctrl-C stops the cluster.");
}

/** SIGTERM, then SIGKILL if the child has not exited within `stopWaitMs`. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), stopWaitMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
