/**
 * The network namespaces of a `--network netns` lab run (laid out in netns_plan.ts): claims a
 * slot, builds the bridge, veths and namespaces, applies and heals partitions with the firewall
 * inside the nodes' namespaces (firewall_rules.ts), and tears everything down on close, on exit,
 * on SIGINT and SIGTERM. A slot is claimed by a file in /run/onelog-lab holding the owner's PID
 * and plan; a file whose owner is dead marks a crashed run's leftovers, which the next run
 * removes, and nothing else: a live run's slot is never touched.
 */
import { execFile, spawnSync } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  cutCommands,
  type Firewall,
  healCommands,
  type NamespaceCommand,
} from "./firewall_rules.js";
import {
  type NetnsPlan,
  netnsPlan,
  setupCommands,
  slotCount,
  teardownCommands,
} from "./netns_plan.js";
import type { Cut } from "./partitions.js";

const stateDir = "/run/onelog-lab";
const execFileAsync = promisify(execFile);

interface Claim {
  pid: number;
  plan: NetnsPlan;
}

/** Why this process cannot build namespaces, or undefined when it can. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0 || !succeeds("ip", ["netns", "list"])) {
    return "--network netns needs root and iproute2 (ip netns)";
  }
  // Root in a container may still lack the right to make namespaces: try one.
  const probe = `onelog-probe-${process.pid}`;
  if (!succeeds("ip", ["netns", "add", probe])) {
    return "--network netns needs the right to create network namespaces (ip netns add failed)";
  }
  succeeds("ip", ["netns", "delete", probe]);
  if (firewallTool() === undefined) {
    return "--network netns needs iptables or nft (Debian: apt-get install iptables)";
  }
  return undefined;
}

export class NetnsNetwork {
  private closed = false;
  private readonly exitHook = () => this.close();
  // A listener replaces Node's default of dying on the signal, so exit explicitly; exiting runs
  // the exit hooks, which kill the nodes (cluster.ts) and tear the network down (above).
  private readonly interruptHook = () => process.exit(130);
  private readonly terminateHook = () => process.exit(143);

  private constructor(
    readonly plan: NetnsPlan,
    readonly firewall: Firewall,
    private readonly claimFile: string,
  ) {
    process.once("exit", this.exitHook);
    process.once("SIGINT", this.interruptHook);
    process.once("SIGTERM", this.terminateHook);
  }

  /** Cleans crashed runs' leftovers, claims a free slot and builds its network. */
  static create(nodeIds: readonly number[]): NetnsNetwork {
    const unavailable = netnsUnavailable();
    if (unavailable !== undefined) throw new Error(unavailable);
    const firewall = firewallTool() as Firewall;
    mkdirSync(stateDir, { recursive: true });
    cleanLeftovers();
    const { plan, claimFile } = claimSlot(nodeIds);
    const network = new NetnsNetwork(plan, firewall, claimFile);
    try {
      for (const args of setupCommands(plan)) {
        const result = spawnSync("ip", args, { encoding: "utf8" });
        if (result.status !== 0) {
          throw new Error(`ip ${args.join(" ")} failed: ${result.stderr || result.error}`);
        }
      }
    } catch (error) {
      network.close();
      throw error;
    }
    return network;
  }

  host(id: number): string {
    return this.node(id).address;
  }

  namespace(id: number): string {
    return this.node(id).namespace;
  }

  /** The argv that runs `argv` inside node `id`'s namespace (`ip netns exec` execs in place, so
   * the PID the lab signals is the node's own). */
  inNamespace(id: number, argv: readonly string[]): string[] {
    return ["ip", "netns", "exec", this.namespace(id), ...argv];
  }

  /** Adds a DROP rule per cut; rejects if the firewall refuses one. */
  cut(cuts: readonly Cut[]): Promise<void> {
    return runInNamespaces(cutCommands(this.firewall, cuts, this.plan.nodes));
  }

  heal(): Promise<void> {
    return runInNamespaces(healCommands(this.firewall, this.plan.nodes));
  }

  /** Removes the namespaces (and their rules), veths and bridge, then the claim. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    teardown(this.plan);
    rmSync(this.claimFile, { force: true });
    process.off("exit", this.exitHook);
    process.off("SIGINT", this.interruptHook);
    process.off("SIGTERM", this.terminateHook);
  }

  private node(id: number) {
    const node = this.plan.nodes.find((candidate) => candidate.id === id);
    if (node === undefined) throw new RangeError(`no node ${id} in the network`);
    return node;
  }
}

/** Runs each namespace's commands in order, the namespaces side by side. */
async function runInNamespaces(commands: readonly NamespaceCommand[]): Promise<void> {
  const byNamespace = new Map<string, NamespaceCommand[]>();
  for (const command of commands) {
    byNamespace.set(command.namespace, [...(byNamespace.get(command.namespace) ?? []), command]);
  }
  await Promise.all(
    [...byNamespace].map(async ([namespace, list]) => {
      for (const command of list) {
        await execFileAsync("ip", ["netns", "exec", namespace, ...command.argv]);
      }
    }),
  );
}

function firewallTool(): Firewall | undefined {
  if (succeeds("iptables", ["--version"])) return "iptables";
  if (succeeds("nft", ["--version"])) return "nft";
  return undefined;
}

function succeeds(file: string, args: readonly string[]): boolean {
  return spawnSync(file, args, { stdio: "ignore" }).status === 0;
}

function teardown(plan: NetnsPlan): void {
  // Failures are expected for objects a half-done setup never made.
  for (const args of teardownCommands(plan)) spawnSync("ip", args, { stdio: "ignore" });
}

/**
 * Removes the network of every claim whose owner is dead. A node a crashed lab left running in
 * such a namespace is killed first: cut off from the bridge it could never be reached again, and
 * only a lab run starts processes in a namespace named `onelog-<slot>-…`.
 */
function cleanLeftovers(): void {
  for (const name of readdirSync(stateDir)) {
    if (!/^slot-\d+\.json$/.test(name)) continue;
    const file = join(stateDir, name);
    let claim: Claim;
    try {
      claim = JSON.parse(readFileSync(file, "utf8")) as Claim;
    } catch {
      continue; // Being written by a live run this instant.
    }
    if (alive(claim.pid)) continue;
    for (const node of claim.plan.nodes) {
      const pids = spawnSync("ip", ["netns", "pids", node.namespace], { encoding: "utf8" });
      for (const pid of (pids.stdout ?? "").split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          // Gone already.
        }
      }
    }
    teardown(claim.plan);
    rmSync(file, { force: true });
  }
}

/** The first free slot from a random start: no claim file, and no address of its subnet in use
 * in the root namespace (something else on the machine may use 10.77.x.0/24). */
function claimSlot(nodeIds: readonly number[]): { plan: NetnsPlan; claimFile: string } {
  const routes = spawnSync("ip", ["-4", "route", "show"], { encoding: "utf8" }).stdout ?? "";
  const start = Math.floor(Math.random() * slotCount);
  for (let step = 0; step < slotCount; step++) {
    const slot = (start + step) % slotCount;
    if (routes.includes(`10.77.${slot}.`)) continue;
    const claimFile = join(stateDir, `slot-${slot}.json`);
    let descriptor: number;
    try {
      descriptor = openSync(claimFile, "wx");
    } catch {
      continue; // Another run's claim.
    }
    const plan = netnsPlan(slot, nodeIds);
    writeSync(descriptor, JSON.stringify({ pid: process.pid, plan } satisfies Claim));
    closeSync(descriptor);
    return { plan, claimFile };
  }
  throw new Error(`no free lab network slot: all ${slotCount} in ${stateDir} are claimed`);
}

/** A zombie counts as dead: a lab killed a moment ago may not have been reaped yet. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The state follows the command name, which is in parentheses and may hold spaces.
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    return false;
  }
}
