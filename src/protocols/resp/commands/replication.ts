/**
 * WAIT and WAITAOF on onelog's log (replication-semantics.md §3.3; redis/src/replication.c
 * waitCommand, waitaofCommand). The connection's last write offset plays Redis's `c->woff`; a
 * replica "acknowledges" it once its log (WAIT) or its durable log (WAITAOF) reaches it. Both
 * always answer the count reached, on success and on timeout, and never undo the write. The
 * leader is not counted among the replicas, as in Redis.
 */
import { offset, shardId } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { array, error, integer } from "../reply.js";
import { integerArgument } from "./arguments.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { localShard } from "./replication_view.js";

const replicaError = (command: string): Reply =>
  error(
    `ERR ${command} cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.`,
  );

/** Redis's getTimeoutFromObjectOrReply: an integer of milliseconds, not negative; 0 waits forever. */
function timeoutArgument(argument: Buffer | undefined): number | Reply {
  const value = integerArgument(argument);
  if (value === undefined) return error("ERR timeout is not an integer or out of range");
  if (value < 0) return error("ERR timeout is negative");
  return value;
}

async function wait(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const shard = localShard(context);
  if (shard === undefined || shard.role !== "leader") return replicaError("WAIT");
  const wanted = integerArgument(args[1]);
  if (wanted === undefined) return error("ERR value is not an integer or out of range");
  const timeoutMs = timeoutArgument(args[2]);
  if (typeof timeoutMs !== "number") return timeoutMs;
  const target = offset(context.session.lastWriteOffset);
  // Inside EXEC, Redis answers at once with the replicas that hold the write already.
  if (context.denyBlocking === true) {
    return integer(shard.replicas.slice(1).filter((replica) => replica.leo >= target).length);
  }
  // waitReplicas counts the leader too; Redis's count is of replicas only.
  const count = await context.store.waitReplicas(
    shardId(0),
    target,
    Math.max(0, wanted) + 1,
    timeoutMs,
  );
  return integer(Math.max(0, count - 1));
}

const pollMs = 2;

/** `[local, replicas]`: whether this node, and how many followers, hold the write on disk. */
function durableCounts(context: CommandContext, target: number): [number, number] | undefined {
  const shard = localShard(context);
  if (shard === undefined || shard.role !== "leader") return undefined;
  const [self, ...followers] = shard.replicas;
  const local = context.server.appendOnly && (self?.durableOffset ?? 0) >= target ? 1 : 0;
  const replicas = followers.filter((replica) => replica.durableOffset >= target).length;
  return [local, replicas];
}

async function waitAof(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const shard = localShard(context);
  if (shard === undefined || shard.role !== "leader") return replicaError("WAITAOF");
  const numLocal = integerArgument(args[1]);
  const numReplicas = integerArgument(args[2]);
  if (numLocal === undefined || numReplicas === undefined) {
    return error("ERR value is not an integer or out of range");
  }
  const timeoutMs = timeoutArgument(args[3]);
  if (typeof timeoutMs !== "number") return timeoutMs;
  if (numLocal > 0 && !context.server.appendOnly) {
    return error("ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
  }
  const target = context.session.lastWriteOffset;
  const deadlineMs = timeoutMs === 0 ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
  for (;;) {
    const counts = durableCounts(context, target) ?? [0, 0];
    const reached = counts[0] >= numLocal && counts[1] >= numReplicas;
    const now = reached || context.denyBlocking === true || Date.now() >= deadlineMs;
    if (now || durableCounts(context, target) === undefined) {
      return array(counts.map((count) => integer(count)));
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export const replicationCommands: CommandSpec[] = [
  // "read" access: WAIT runs after the pipeline's earlier writes, so it waits for them.
  { name: "wait", arity: 3, access: "read", handler: wait },
  { name: "waitaof", arity: 4, access: "read", handler: waitAof },
];
