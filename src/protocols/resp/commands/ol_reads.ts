/**
 * OL.GET with a read concern, and the replication commands OL.WAIT and OL.STATUS
 * (docs/commands.md).
 */
import { type ShardView, shardId } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { array, bulk, error, integer, map } from "../reply.js";
import { countArgument, offsetArgument, text } from "./arguments.js";
import { parseReadConcern } from "./concern_arguments.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { readFailure } from "./outcome_replies.js";
import { offsetReply, valueReply } from "./values.js";

async function olGet(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const parsed = parseReadConcern(args, 2);
  if (parsed.kind === "error") return parsed.reply;
  const outcome = await context.store.read(
    { kind: "get", key: text(args[1] as Buffer) },
    parsed.value,
  );
  if (outcome.kind !== "ok") return readFailure(outcome);
  if (outcome.result.kind !== "value") return error("ERR unexpected query result");
  const { value, version } = outcome.result;
  return array([valueReply(value), offsetReply(outcome.offset), offsetReply(version)]);
}

async function olWait(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const target = offsetArgument(args[1]);
  const replicas = countArgument(args[2]);
  const timeoutMs = countArgument(args[3]);
  if (target === undefined || replicas === undefined || timeoutMs === undefined) {
    return error("ERR value is not an integer or out of range");
  }
  // One shard per node so far; with more, the offset's shard comes with it.
  return integer(await context.store.waitReplicas(shardId(0), target, replicas, timeoutMs));
}

function olStatus(_: readonly Buffer[], context: CommandContext): Reply {
  const topology = context.store.topology();
  const shard = topology.shards[0];
  if (shard === undefined) return error("ERR this node hosts no shard");
  return statusMap(shard);
}

const entry = (name: string, value: Reply): [Reply, Reply] => [bulk(name), value];

function statusMap(shard: ShardView): Reply {
  const entries: Array<[Reply, Reply]> = [
    entry("role", bulk(shard.role)),
    entry("epoch", integer(shard.epoch)),
    entry("leader", shard.leader === undefined ? bulk(null) : integer(shard.leader)),
    entry("leo", integer(shard.leo)),
    entry("commit", integer(shard.commit)),
    entry("durable", integer(shard.durableOffset)),
  ];
  if (shard.role === "leader") {
    const followers = shard.replicas
      .slice(1)
      .map((replica): [Reply, Reply] => [
        integer(replica.id),
        map([
          entry("leo", integer(replica.leo)),
          entry("durable", integer(replica.durableOffset)),
          entry("lag", integer(replica.lagRecords)),
        ]),
      ]);
    entries.push(entry("followers", map(followers)));
  }
  return map(entries);
}

/**
 * A transaction applies at the preset's concern as one record, so a command's own concern could
 * not hold inside one: refused between MULTI and EXEC.
 */
const refused = "refused" as const;

export const olReadCommands: CommandSpec[] = [
  { name: "ol.get", arity: -2, access: "read", inTransaction: refused, handler: olGet },
  { name: "ol.wait", arity: 4, access: "read", inTransaction: refused, handler: olWait },
  { name: "ol.status", arity: 1, handler: olStatus },
];
