/**
 * INFO with Redis's field names (https://redis.io/docs/latest/commands/info/), for redis-cli and
 * for ioredis's ready check, which needs `loading:0` (wire-protocols.md §2.2). Sections: server,
 * persistence (only `loading`), replication and keyspace (empty: the node does not count keys).
 */
import type { ShardView } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { bulk } from "../reply.js";
import { text } from "./arguments.js";
import type { CommandContext, CommandSpec } from "./context.js";

type Section = "server" | "persistence" | "replication" | "keyspace";
const sections: Section[] = ["server", "persistence", "replication", "keyspace"];

function info(args: readonly Buffer[], context: CommandContext): Reply {
  const asked = args.slice(1).map((arg) => text(arg).toLowerCase());
  const all =
    asked.length === 0 || asked.some((name) => ["all", "default", "everything"].includes(name));
  const chosen = sections.filter((section) => all || asked.includes(section));
  const parts = chosen.map((section) => render(section, context));
  return bulk(parts.join("\r\n"));
}

function render(section: Section, context: CommandContext): string {
  const lines = [`# ${section[0]?.toUpperCase()}${section.slice(1)}`];
  const topology = context.store.topology();
  const shard = topology.shards[0];
  switch (section) {
    case "server":
      lines.push(
        `redis_version:${context.server.version}`,
        "redis_mode:standalone",
        "onelog:1",
        `onelog_node_id:${topology.nodeId}`,
        `process_id:${context.server.processId}`,
        `tcp_port:${context.server.tcpPort}`,
        `uptime_in_seconds:${Math.floor((context.nowMs() - context.server.startedAtMs) / 1000)}`,
      );
      break;
    case "persistence":
      lines.push("loading:0");
      break;
    case "replication":
      if (shard !== undefined) lines.push(...replication(shard));
      break;
    case "keyspace":
      break;
  }
  return `${lines.join("\r\n")}\r\n`;
}

function replication(shard: ShardView): string[] {
  if (shard.role === "leader") {
    const followers = shard.replicas.slice(1);
    return [
      "role:master",
      `connected_slaves:${followers.length}`,
      ...followers.map(
        (follower, index) =>
          `slave${index}:id=${follower.id},state=online,offset=${follower.leo},lag=${Math.floor(follower.lastFetchAgoMs / 1000)}`,
      ),
      `master_repl_offset:${shard.leo}`,
      `onelog_epoch:${shard.epoch}`,
      `onelog_commit:${shard.commit}`,
    ];
  }
  const [host, port] = (shard.leaderAddress ?? "?:?").split(":");
  return [
    "role:slave",
    `master_host:${host}`,
    `master_port:${port}`,
    `master_link_status:${shard.leader === undefined ? "down" : "up"}`,
    `slave_repl_offset:${shard.leo}`,
    `master_repl_offset:${shard.leo}`,
    `onelog_epoch:${shard.epoch}`,
    `onelog_commit:${shard.commit}`,
  ];
}

export const infoCommands: CommandSpec[] = [{ name: "info", arity: -1, handler: info }];
