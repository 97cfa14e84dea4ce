/**
 * Keys for INFO keyspace (`db0:keys=N,expires=M,avg_ttl=0`). The state machine counts keys
 * (DBSIZE) but not keys with an expiry, so `expires` is reported as 0.
 */
import type { CommandContext } from "./context.js";
import { redisRead } from "./redis_access.js";

export interface KeyspaceCounts {
  keys: number;
  expires: number;
}

export async function keyspaceCounts(context: CommandContext): Promise<KeyspaceCounts | undefined> {
  const read = await redisRead(context, { kind: "dbSize" });
  return read.kind === "reply" ? undefined : { keys: read.result.count, expires: 0 };
}
