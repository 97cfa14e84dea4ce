/**
 * A 3-node onelog cluster for the benchmark, started as `onelog up --nodes 3 --preset raft`
 * from the build (node i's RESP port is base + i). Ready when one node reports itself leader
 * through OL.STATUS, seen by the TypeScript client.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { OnelogClient } from "../../src/client/index.js";
import type { Children } from "./processes.js";

const cliPath = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const readyTimeoutMs = 30_000;

/**
 * `onelog up` gives node i RESP port base + i, peer port base + 100 + i, admin base + 200 + i;
 * whether i counts from 0 or 1, these are free. The RESP ports used are those `up` prints.
 */
export const onelogPortOffsets = [0, 1, 2, 3].flatMap((index) => [index, 100 + index, 200 + index]);

export interface OnelogCluster {
  ports: number[];
  leaderPort: number;
}

/** Undefined when the build has `onelog up`, else why not. */
export function onelogUpMissing(): string | undefined {
  const probe = spawnSync(process.execPath, [cliPath, "up", "--help"], { encoding: "utf8" });
  // commander answers an unknown command with the general help, so look for up's own usage.
  return probe.status === 0 && probe.stdout.includes("onelog up")
    ? undefined
    : `this build has no \`onelog up\` (${cliPath})`;
}

export async function startOnelog(
  children: Children,
  directory: string,
  basePort: number,
): Promise<OnelogCluster> {
  mkdirSync(directory, { recursive: true });
  const logPath = join(directory, "onelog.log");
  children.start(
    process.execPath,
    [
      cliPath,
      "up",
      "--nodes",
      "3",
      "--preset",
      "raft",
      "--base-port",
      String(basePort),
      "--data",
      join(directory, "data"),
    ],
    logPath,
  );
  const deadlineMs = performance.now() + readyTimeoutMs;
  const ports = await printedPorts(logPath, deadlineMs);
  const client = new OnelogClient(
    ports.map((port) => ({ host: "127.0.0.1", port })),
    { requestTimeoutMs: 1000, connectTimeoutMs: 500 },
  );
  try {
    while (performance.now() < deadlineMs) {
      const statuses = await client.status();
      const leader = statuses.find(
        (status) => status.kind === "ok" && status.status.role === "leader",
      );
      if (
        leader?.kind === "ok" &&
        (await client.set("bench:ready", "1", { w: "majority" })).kind === "ok"
      )
        return { ports, leaderPort: leader.status.endpoint.port };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`onelog did not elect a leader in ${readyTimeoutMs} ms (log: ${logPath})`);
  } finally {
    await client.close();
  }
}

/** The RESP ports in `up`'s banner (`node 1: resp 127.0.0.1:7379 ...`), once all three are out. */
async function printedPorts(logPath: string, deadlineMs: number): Promise<number[]> {
  while (performance.now() < deadlineMs) {
    const banner = existsSync(logPath) ? readFileSync(logPath, "utf8") : "";
    const ports = [...banner.matchAll(/node \d+: resp [\w.:]+:(\d+)/g)].map((match) =>
      Number(match[1]),
    );
    if (ports.length === 3) return ports;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`onelog up printed no endpoints in ${readyTimeoutMs} ms (log: ${logPath})`);
}
