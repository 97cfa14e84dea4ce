/**
 * INFO with Redis's field names (https://redis.io/docs/latest/commands/info/; redis/src/server.c
 * genRedisInfoString), for redis-cli, for ioredis's ready check (which needs `loading:0`,
 * wire-protocols.md §2.2), and for tools that read the replication section. Answered as a
 * verbatim `txt` string, which RESP2 renders as a bulk string, as Redis does.
 */
import type { ShardView } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { verbatim } from "../reply.js";
import { text } from "./arguments.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { type KeyspaceCounts, keyspaceCounts } from "./keyspace_counts.js";
import { goodReplicaCount, localShard } from "./replication_view.js";

const sections = ["server", "clients", "persistence", "stats", "replication", "keyspace"] as const;
type Section = (typeof sections)[number];

async function info(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const asked = args.slice(1).map((arg) => text(arg).toLowerCase());
  const all =
    asked.length === 0 || asked.some((name) => ["all", "default", "everything"].includes(name));
  const chosen = sections.filter((section) => all || asked.includes(section));
  const counts = chosen.includes("keyspace") ? await keyspaceCounts(context) : undefined;
  const parts = chosen.map((section) => render(section, context, counts));
  return verbatim("txt", parts.join("\r\n"));
}

function render(section: Section, context: CommandContext, counts?: KeyspaceCounts): string {
  const title = `# ${section[0]?.toUpperCase()}${section.slice(1)}`;
  return `${[title, ...fields(section, context, counts)].join("\r\n")}\r\n`;
}

function fields(section: Section, context: CommandContext, counts?: KeyspaceCounts): string[] {
  const { server, state } = context;
  const uptimeSeconds = Math.floor((context.nowMs() - server.startedAtMs) / 1000);
  switch (section) {
    case "server":
      return [
        `redis_version:${server.version}`,
        "redis_git_sha1:00000000",
        "redis_git_dirty:0",
        "redis_mode:standalone",
        "os:onelog",
        "arch_bits:64",
        `process_id:${server.processId}`,
        `run_id:${runId(context)}`,
        `tcp_port:${server.tcpPort}`,
        `uptime_in_seconds:${uptimeSeconds}`,
        `uptime_in_days:${Math.floor(uptimeSeconds / 86_400)}`,
        "hz:10",
        "executable:onelog",
        "config_file:",
        "onelog:1",
        `onelog_node_id:${context.store.topology().nodeId}`,
      ];
    case "clients":
      return [
        `connected_clients:${state.clients.size}`,
        "cluster_connections:0",
        `maxclients:${state.settings.get("maxclients") ?? "10000"}`,
        `blocked_clients:${state.blocked.count}`,
        "tracking_clients:0",
        "clients_in_timeout_table:0",
      ];
    case "persistence":
      return [
        "loading:0",
        "async_loading:0",
        "rdb_changes_since_last_save:0",
        "rdb_bgsave_in_progress:0",
        "rdb_last_save_time:0",
        "rdb_last_bgsave_status:ok",
        `aof_enabled:${server.appendOnly ? 1 : 0}`,
        "aof_rewrite_in_progress:0",
        "aof_rewrite_scheduled:0",
        "aof_last_write_status:ok",
      ];
    case "stats":
      return [
        `total_connections_received:${state.stats.connectionsReceived}`,
        `total_commands_processed:${state.stats.commandsProcessed}`,
        "instantaneous_ops_per_sec:0",
        "rejected_connections:0",
        `expired_keys:${state.stats.expiredKeys}`,
        "evicted_keys:0",
        `evicted_scripts:${state.scripts.evicted}`,
        `keyspace_hits:${state.stats.keyspaceHits}`,
        `keyspace_misses:${state.stats.keyspaceMisses}`,
        `pubsub_channels:${state.pubsub.channelCount}`,
        `pubsub_patterns:${state.pubsub.patternCount}`,
        `pubsubshard_channels:${state.pubsub.shardChannelCount}`,
      ];
    case "replication": {
      const shard = localShard(context);
      return shard === undefined ? [] : replication(shard, context);
    }
    case "keyspace":
      // Redis lists a database only when it holds keys.
      return counts === undefined || counts.keys === 0
        ? []
        : [`db0:keys=${counts.keys},expires=${counts.expires},avg_ttl=0,subexpiry=0`];
  }
}

/** A stable 40-hex run id per node start (Redis: random per run). */
function runId(context: CommandContext): string {
  const seed = `${context.store.topology().nodeId}-${context.server.startedAtMs}`;
  return Buffer.from(seed).toString("hex").padEnd(40, "0").slice(0, 40);
}

function replication(shard: ShardView, context: CommandContext): string[] {
  const common = [
    `master_replid:${runId(context)}`,
    "master_replid2:0000000000000000000000000000000000000000",
    `master_repl_offset:${shard.leo}`,
    "second_repl_offset:-1",
    "repl_backlog_active:1",
    `repl_backlog_first_byte_offset:1`,
    `repl_backlog_histlen:${shard.leo}`,
    `onelog_epoch:${shard.epoch}`,
    `onelog_commit:${shard.commit}`,
    `onelog_durable:${shard.durableOffset}`,
  ];
  const addressOf = (id: unknown) =>
    context.store.topology().nodes.find((node) => node.id === id)?.clientAddress ?? "?:?";
  if (shard.role === "leader") {
    // Redis lists a replica while its link is up and drops one silent for `repl-timeout`
    // (replication.c replicationCron); onelog's followers fetch continuously, so silence is the
    // sign of a lost link.
    const silentMs = context.state.integerSetting("repl-timeout") * 1000;
    const followers = shard.replicas
      .slice(1)
      .filter((follower) => follower.lastFetchAgoMs >= 0 && follower.lastFetchAgoMs <= silentMs);
    const lag = context.state.integerSetting("min-replicas-max-lag") || 10;
    return [
      "role:master",
      `connected_slaves:${followers.length}`,
      `min_slaves_good_slaves:${goodReplicaCount(shard, lag)}`,
      ...followers.map((follower, index) => {
        const [ip, port] = addressOf(follower.id).split(":");
        const lagSeconds = Math.max(0, Math.floor(follower.lastFetchAgoMs / 1000));
        return `slave${index}:ip=${ip},port=${port},state=online,offset=${follower.leo},lag=${lagSeconds}`;
      }),
      "master_failover_state:no-failover",
      ...common,
    ];
  }
  const [host, port] = (shard.leaderAddress ?? "?:?").split(":");
  return [
    "role:slave",
    `master_host:${host}`,
    `master_port:${port}`,
    `master_link_status:${shard.leader === undefined ? "down" : "up"}`,
    "master_last_io_seconds_ago:0",
    "master_sync_in_progress:0",
    `slave_read_repl_offset:${shard.leo}`,
    `slave_repl_offset:${shard.leo}`,
    "slave_priority:100",
    "slave_read_only:1",
    "replica_announced:1",
    "connected_slaves:0",
    "master_failover_state:no-failover",
    ...common,
  ];
}

// "read": INFO keyspace counts the writes pipelined before it.
export const infoCommands: CommandSpec[] = [
  { name: "info", arity: -1, access: "read", handler: info },
];
