/**
 * `onelog up`: a local cluster of real processes that elects a leader, prints its endpoints,
 * answers redis-cli, stops every child on SIGTERM, and reuses its data when started again.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { mainScript, redisCli } from "./support/local_nodes.js";

/** A base port P whose RESP (P+i), peer (P+100+i) and admin (P+200+i) ports are all free now. */
async function freeBasePort(nodes: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const ports = [0, 100, 200].flatMap((shift) =>
      Array.from({ length: nodes }, (_, index) => base + shift + index),
    );
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error("no free base port");
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host: "127.0.0.1", port }, () => server.close(() => resolve(true)));
  });
}

interface Up {
  child: ChildProcess;
  output: string;
}

/** Starts `onelog up` and waits for its endpoint listing. */
async function up(dataDir: string, basePort: number): Promise<Up> {
  const child = spawn(
    process.execPath,
    [
      mainScript,
      "up",
      "--nodes",
      "3",
      "--data",
      dataDir,
      "--base-port",
      String(basePort),
      "--election-timeout-ms",
      "300",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const started: Up = { child, output: "" };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`onelog up printed: ${started.output}`)),
      20_000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      started.output += chunk.toString();
      if (started.output.includes("Ctrl-C stops the cluster.")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`onelog up exited ${code}: ${started.output}`)));
  });
  return started;
}

async function nodePids(basePort: number): Promise<number[]> {
  const pids: number[] = [];
  for (let index = 0; index < 3; index++) {
    const response = await fetch(`http://127.0.0.1:${basePort + 200 + index}/status`);
    pids.push(((await response.json()) as { pid: number }).pid);
  }
  return pids;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("onelog up", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "onelog-up-"));
  const running: ChildProcess[] = [];
  after(() => {
    for (const child of running) if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts 3 nodes, serves redis-cli, stops them all, and keeps the data", async () => {
    const basePort = await freeBasePort(3);
    const first = await up(dataDir, basePort);
    running.push(first.child);
    const leader = /leader node (\d+)/.exec(first.output)?.[1];
    assert.ok(leader !== undefined && leader !== "?", first.output);
    const port = basePort + Number(leader) - 1;
    assert.match(first.output, new RegExp(`redis-cli -p ${port} SET k v`));
    assert.equal(await redisCli(port, "SET", "k", "v"), "OK");
    assert.equal(await redisCli(port, "GET", "k"), "v");
    const pids = await nodePids(basePort);
    const exited = new Promise((resolve) => first.child.once("exit", resolve));
    first.child.kill("SIGTERM");
    assert.equal(await exited, 0);
    assert.deepEqual(pids.filter(alive), [], "every node process is gone");

    const second = await up(dataDir, basePort);
    running.push(second.child);
    const newLeader = Number(/leader node (\d+)/.exec(second.output)?.[1]);
    assert.equal(await redisCli(basePort + newLeader - 1, "GET", "k"), "v");
    const stopped = new Promise((resolve) => second.child.once("exit", resolve));
    second.child.kill("SIGTERM");
    assert.equal(await stopped, 0);
  });
});
