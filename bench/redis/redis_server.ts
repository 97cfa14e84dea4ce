/**
 * Debian's `redis-server` for the comparison: a standalone instance, or a master and its
 * replicas, on loopback in a temporary folder, without persistence (`--save '' --appendonly no`).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Children, pidOf } from "../node/processes.js";

export function redisServerMissing(): string | undefined {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  return probe.status === 0
    ? undefined
    : "redis-server is not installed: sudo apt-get install -y redis-server (Debian's package)";
}

/** Starts redis-server; answers its PID. */
export function startRedis(
  children: Children,
  directory: string,
  port: number,
  replicaOf?: number,
): number {
  mkdirSync(directory, { recursive: true });
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  args.push("--dir", directory, "--daemonize", "no", "--protected-mode", "no");
  if (replicaOf !== undefined) args.push("--replicaof", "127.0.0.1", String(replicaOf));
  return pidOf(children.start("redis-server", args, join(directory, "redis.log")));
}

/** Waits until `redis-cli PING` answers, and for a replica until its link is up. */
export async function waitRedis(port: number, replica = false, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ping = spawnSync("redis-cli", ["-p", String(port), "PING"], { encoding: "utf8" });
    if (ping.stdout.trim() === "PONG") {
      if (!replica) return;
      const info = spawnSync("redis-cli", ["-p", String(port), "INFO", "replication"], {
        encoding: "utf8",
      });
      if (info.stdout.includes("master_link_status:up")) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`redis-server on ${port} not ready in ${timeoutMs} ms`);
}
