/**
 * `onelog status [--base-port P --nodes N | --admin host:port ...] [--json]`: asks every node's
 * admin endpoint and prints, per shard, the leader and epoch, and per replica its role, leo,
 * durable offset, commit and lag behind the leader's leo.
 */
import type { Command } from "commander";
import { fetchStatus, localPorts, type StatusReply } from "./admin_client.js";

interface StatusOptions {
  basePort: string;
  nodes: string;
  admin?: string[];
  json?: boolean;
}

export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description("show each shard's leader, epoch and every replica's leo, durable, commit, lag")
    .option("--base-port <port>", "base port of a local cluster (admin on P+200+i)", "7379")
    .option("--nodes <count>", "nodes of the local cluster", "3")
    .option("--admin <host:port...>", "admin endpoints to ask instead")
    .option("--json", "print the nodes' status documents as JSON")
    .action(async (options: StatusOptions) => {
      const admins =
        options.admin ??
        Array.from(
          { length: Number(options.nodes) },
          (_, index) => `127.0.0.1:${localPorts(Number(options.basePort), index).adminPort}`,
        );
      const replies = await Promise.all(admins.map((admin) => fetchStatus(admin)));
      if (options.json) {
        console.log(JSON.stringify(replies, null, 2));
      } else {
        console.log(formatStatus(replies));
      }
      if (replies.every((reply) => reply.kind === "down")) process.exitCode = 1;
    });
}

export function formatStatus(replies: readonly StatusReply[]): string {
  const lines: string[] = [];
  const shardIds = new Set<number>();
  for (const reply of replies) {
    if (reply.kind === "ok") for (const shard of reply.status.shards) shardIds.add(shard.shard);
  }
  for (const shardId of [...shardIds].sort((a, b) => a - b)) {
    const views = replies.flatMap((reply) =>
      reply.kind === "ok"
        ? reply.status.shards
            .filter((shard) => shard.shard === shardId)
            .map((shard) => ({ node: reply.status.nodeId, shard }))
        : [],
    );
    const leaderView = views.find((view) => view.shard.role === "leader");
    const epoch = Math.max(...views.map((view) => view.shard.epoch));
    const leaderText = leaderView === undefined ? "none" : `node ${leaderView.node}`;
    lines.push(`shard ${shardId}: leader ${leaderText}, epoch ${epoch}`);
    const rows = [["node", "role", "epoch", "leo", "durable", "commit", "lag"]];
    for (const { node, shard } of views) {
      const lag = leaderView === undefined ? "?" : String(leaderView.shard.leo - shard.leo);
      rows.push([
        String(node),
        shard.role,
        String(shard.epoch),
        String(shard.leo),
        String(shard.durableOffset),
        String(shard.commit),
        lag,
      ]);
    }
    lines.push(...table(rows).map((row) => `  ${row}`));
  }
  for (const reply of replies) {
    if (reply.kind === "down") lines.push(`${reply.admin}: down (${reply.reason})`);
  }
  return lines.join("\n");
}

function table(rows: string[][]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}
