/**
 * `--network netns` against real node processes, each in a namespace of its own: a firewall
 * partition really cuts node↔node traffic (a TCP connect across the cut fails, the majority
 * elects a new leader in a new epoch) while the lab's clients keep reaching every node; a short
 * raft w:majority + linearizable list-append run under partitions keeps its promise; and nothing
 * the run created is left behind. Skipped, saying why, without root or `ip netns`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { nodeStatus } from "../../src/lab/admin_calls.js";
import { LabCluster, sleep } from "../../src/lab/cluster.js";
import { netnsUnavailable } from "../../src/lab/netns.js";
import { partitionCuts } from "../../src/lab/partitions.js";
import type { RunResults } from "../../src/lab/run.js";

const main = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const skip = netnsUnavailable() ?? false;

/** Whether a TCP connection from inside `namespace` to `host:port` opens within a second. */
function connects(namespace: string, host: string, port: number): boolean {
  const script = `const s = require("node:net").connect(${port}, "${host}");
s.on("connect", () => process.exit(0)); s.on("error", () => process.exit(1));
setTimeout(() => process.exit(2), 1000);`;
  const run = spawnSync("ip", ["netns", "exec", namespace, process.execPath, "-e", script]);
  return run.status === 0;
}

function namespaces(): string {
  return spawnSync("ip", ["netns", "list"], { encoding: "utf8" }).stdout;
}

test("an isolated leader is cut off from its peers, not from the clients", {
  skip,
  timeout: 60_000,
}, async () => {
  const cluster = await LabCluster.start({ preset: "raft", nodeCount: 3, network: "netns" });
  const network = cluster.network;
  assert.ok(network !== undefined);
  try {
    const leader = await cluster.waitForLeader(20_000);
    assert.ok(leader !== undefined, "a leader before the cut");
    const peer = cluster.nodes.find((node) => node.id !== leader);
    assert.ok(peer !== undefined);
    const isolated = cluster.node(leader);
    const { peerPort } = isolated;
    const before = await nodeStatus(peer);
    assert.ok(before.kind === "ok");
    const epochBefore = before.status.shards[0]?.epoch ?? 0;
    assert.ok(connects(network.namespace(peer.id), isolated.host, peerPort), "linked before");

    const mechanism = await cluster.partition(partitionCuts("isolate-leader", [1, 2, 3], leader));
    assert.match(mechanism, /^(iptables|nft)$/);
    assert.ok(!connects(network.namespace(peer.id), isolated.host, peerPort), "cut");
    assert.equal((await nodeStatus(isolated)).kind, "ok", "the client still reaches it");
    let newLeader: number | undefined;
    let epochAfter = epochBefore;
    for (let tries = 0; tries < 100 && newLeader === undefined; tries++) {
      await sleep(100);
      const status = await nodeStatus(peer);
      const shard = status.kind === "ok" ? status.status.shards[0] : undefined;
      if (shard?.leader !== undefined && shard.leader !== leader) {
        newLeader = shard.leader;
        epochAfter = shard.epoch;
      }
    }
    assert.ok(newLeader !== undefined, `the majority elected a leader other than ${leader}`);
    assert.ok(epochAfter > epochBefore, `epoch ${epochAfter} after ${epochBefore}`);

    await cluster.healPartition();
    assert.ok(connects(network.namespace(peer.id), isolated.host, peerPort), "healed");
  } finally {
    await cluster.stop();
  }
  for (const node of network.plan.nodes) {
    assert.ok(!namespaces().includes(node.namespace), `${node.namespace} removed`);
  }
});

test("raft w:majority + linearizable list-append across namespaces under partitions", {
  skip,
  timeout: 90_000,
}, () => {
  const out = mkdtempSync(join(tmpdir(), "onelog-lab-netns-"));
  try {
    const run = spawnSync(
      process.execPath,
      [
        main,
        ...["lab", "run", "--network", "netns", "--preset", "raft", "--workload", "list-append"],
        ...["--nemesis", "partition", "--duration", "12s", "--concurrency", "4", "--seed", "5"],
        ...["--out", out],
      ],
      { encoding: "utf8", timeout: 85_000 },
    );
    assert.equal(run.status, 0, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as RunResults;
    assert.equal(results.network, "netns");
    assert.equal(results.verdict.linearizability, "ok");
    assert.deepEqual(results.verdict.anomalies, []);
    assert.ok(results.counts.ok > 100, `${results.counts.ok} operations succeeded`);
    const history = readFileSync(join(out, "history.jsonl"), "utf8");
    assert.match(history, /"f":"start-partition".*"mechanism":"(iptables|nft)"/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
