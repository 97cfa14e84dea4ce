/**
 * The shard as Redis words it (replication-semantics.md §3): the leader is the master, followers
 * are replicas, and a replica is "good" for `min-replicas-to-write` when it fetched within
 * `min-replicas-max-lag` seconds (Redis: acknowledged within the lag; onelog's followers fetch
 * continuously, each fetch acknowledging its log end).
 */
import type { ShardView } from "../../../api/index.js";
import type { CommandContext } from "./context.js";

export function localShard(context: CommandContext): ShardView | undefined {
  return context.store.topology().shards[0];
}

export function replicationRole(context: CommandContext): "master" | "slave" {
  return localShard(context)?.role === "leader" ? "master" : "slave";
}

/** Followers that fetched within `lagSeconds` (0 when this node does not lead). */
export function goodReplicaCount(shard: ShardView, lagSeconds: number): number {
  if (shard.role !== "leader") return 0;
  return shard.replicas
    .slice(1)
    .filter((replica) => replica.lastFetchAgoMs >= 0 && replica.lastFetchAgoMs <= lagSeconds * 1000)
    .length;
}

/** Redis refuses writes with `-NOREPLICAS` when fewer good replicas than configured (server.c). */
export function enoughGoodReplicas(context: CommandContext): boolean {
  const wanted = context.state.integerSetting("min-replicas-to-write");
  if (wanted <= 0) return true;
  const shard = localShard(context);
  if (shard === undefined || shard.role !== "leader") return true;
  const lag = context.state.integerSetting("min-replicas-max-lag");
  if (lag <= 0) return true;
  return goodReplicaCount(shard, lag) >= wanted;
}
