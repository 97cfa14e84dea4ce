/**
 * A 3-node onelog cluster for the benchmark, started as `onelog up --nodes 3 --preset raft`
 * from the build (node i's RESP port is base + i). Ready when one node reports itself leader
 * through OL.STATUS, seen by the TypeScript client.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { OnelogClient } from "../../src/client/index.js";
import type { Children } from "./processes.js";

const cliPath = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const readyTimeoutMs = 30_000;

/** `onelog up` gives node i RESP port base + i, peer port base + 100 + i, admin base + 200 + i. */
export const onelogPortOffsets = [1, 2, 3].flatMap((index) => [index, 100 + index, 200 + index]);

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
    join(directory, "onelog.log"),
  );
  const ports = [1, 2, 3].map((index) => basePort + index);
  const client = new OnelogClient(
    ports.map((port) => ({ host: "127.0.0.1", port })),
    { requestTimeoutMs: 1000, connectTimeoutMs: 500 },
  );
  try {
    const deadlineMs = performance.now() + readyTimeoutMs;
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
    throw new Error(
      `onelog did not elect a leader in ${readyTimeoutMs} ms (log: ${join(directory, "onelog.log")})`,
    );
  } finally {
    await client.close();
  }
}
