/**
 * A 3-member etcd cluster on 127.0.0.1 for the comparison: Debian's `etcd-server`, each member
 * with its own client and peer port and data directory, fsync left on (etcd fsyncs its WAL
 * before acknowledging, as onelog's `group` policy does). Ready when every member is healthy
 * and a leader is known.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { keepAliveAgent, postJson } from "./http_json.js";
import type { Children } from "./processes.js";

export interface EtcdCluster {
  clientUrls: URL[];
  leaderUrl: URL;
}

const readyTimeoutMs = 30_000;
const members = [1, 2, 3];

/** Member i listens for clients on base + 2i and for peers on base + 2i + 1. */
export const etcdPortOffsets = members.flatMap((index) => [2 * index, 2 * index + 1]);

/** Undefined when `etcd` runs, else how to install it. */
export function etcdMissing(): string | undefined {
  const probe = spawnSync("etcd", ["--version"], { encoding: "utf8" });
  if (probe.error === undefined && probe.status === 0) return undefined;
  return "etcd is not installed: sudo apt-get install etcd-server (Debian/Ubuntu), then run again";
}

export async function startEtcd(
  children: Children,
  directory: string,
  basePort: number,
): Promise<EtcdCluster> {
  const cluster = members.map((index) => ({
    name: `etcd${index}`,
    clientUrl: `http://127.0.0.1:${basePort + 2 * index}`,
    peerUrl: `http://127.0.0.1:${basePort + 2 * index + 1}`,
  }));
  const initialCluster = cluster.map((member) => `${member.name}=${member.peerUrl}`).join(",");
  for (const member of cluster) {
    const dataDirectory = join(directory, member.name);
    mkdirSync(dataDirectory, { recursive: true });
    children.start(
      "etcd",
      [
        `--name=${member.name}`,
        `--data-dir=${dataDirectory}`,
        `--listen-client-urls=${member.clientUrl}`,
        `--advertise-client-urls=${member.clientUrl}`,
        `--listen-peer-urls=${member.peerUrl}`,
        `--initial-advertise-peer-urls=${member.peerUrl}`,
        `--initial-cluster=${initialCluster}`,
        "--initial-cluster-state=new",
        "--initial-cluster-token=onelog-bench",
        "--logger=zap",
        "--log-level=warn",
      ],
      join(directory, `${member.name}.log`),
    );
  }
  const clientUrls = cluster.map((member) => new URL(member.clientUrl));
  const leaderUrl = await waitForLeader(clientUrls);
  return { clientUrls, leaderUrl };
}

/** Polls each member's status until they agree on a leader; the leader's client URL. */
async function waitForLeader(clientUrls: URL[]): Promise<URL> {
  const agent = keepAliveAgent(1);
  const deadlineMs = performance.now() + readyTimeoutMs;
  let lastProblem = "no answer yet";
  while (performance.now() < deadlineMs) {
    try {
      const statuses = (await Promise.all(
        clientUrls.map((url) => postJson(agent, new URL("/v3/maintenance/status", url), "{}")),
      )) as Array<{ header: { member_id: string }; leader: string }>;
      const leaders = new Set(statuses.map((status) => status.leader));
      const leaderIndex = statuses.findIndex((status) => status.header.member_id === status.leader);
      if (leaders.size === 1 && leaderIndex >= 0) {
        agent.destroy();
        return clientUrls[leaderIndex] as URL;
      }
      lastProblem = `members disagree on the leader: ${[...leaders].join(", ")}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  agent.destroy();
  throw new Error(`etcd did not elect a leader in ${readyTimeoutMs} ms: ${lastProblem}`);
}
