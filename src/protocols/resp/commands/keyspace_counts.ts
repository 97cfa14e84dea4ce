/**
 * Keys for INFO keyspace (`db0:keys=N,expires=M,avg_ttl=0,subexpiry=0`): the state machine keeps
 * both counts per record, so INFO costs no walk over the keys. `avg_ttl` is Redis's sampled
 * estimate, which 0 means it has none of; `subexpiry` counts hash fields with an expiry, which
 * onelog has not.
 */
import type { CommandContext } from "./context.js";
import { redisRead } from "./redis_access.js";

export interface KeyspaceCounts {
  keys: number;
  expires: number;
}

export async function keyspaceCounts(context: CommandContext): Promise<KeyspaceCounts | undefined> {
  const read = await redisRead(context, { kind: "keyCounts" });
  return read.kind === "reply"
    ? undefined
    : { keys: read.result.keys, expires: read.result.expires };
}
