/**
 * The heal phase's wait: after every fault is repaired, the cluster must elect a leader that
 * every node names and bring every replica to the leader's log end (lag 0, commit = leo), the
 * liveness half of TigerBeetle's safety-then-liveness runs. Only then are final reads the
 * authoritative state the lost-write finder compares against.
 */

import { nodeStatus } from "./admin_calls.js";
import type { LabCluster } from "./cluster.js";
import { sleep } from "./cluster.js";

export type Convergence =
  | { kind: "converged"; leader: number; ms: number }
  | { kind: "stuck"; detail: string };

export async function waitForConvergence(
  cluster: LabCluster,
  timeoutMs: number,
): Promise<Convergence> {
  const startMs = performance.now();
  let detail = "no leader agreed";
  while (performance.now() - startMs < timeoutMs) {
    const leader = await cluster.agreedLeader();
    if (leader !== undefined) {
      const reply = await nodeStatus(cluster.node(leader), 500);
      const shard = reply.kind === "ok" ? reply.status.shards[0] : undefined;
      if (shard !== undefined) {
        const behind = shard.replicas.filter((replica) => replica.lagRecords > 0);
        if (
          behind.length === 0 &&
          shard.replicas.length === cluster.nodes.length &&
          shard.commit === shard.leo
        ) {
          return { kind: "converged", leader, ms: Math.round(performance.now() - startMs) };
        }
        detail = `leader ${leader}: commit ${shard.commit} leo ${shard.leo}, behind: ${behind.map((replica) => `${replica.id} (${replica.lagRecords})`).join(", ")}`;
      }
    }
    await sleep(100);
  }
  return { kind: "stuck", detail };
}
