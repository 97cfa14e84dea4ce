/** Reads nodes' admin endpoints (`GET /status`) for `onelog up` and `onelog status`. */
import type { StatusDocument } from "../server/admin_server.js";

export type StatusReply =
  | { kind: "ok"; admin: string; status: StatusDocument }
  | { kind: "down"; admin: string; reason: string };

export async function fetchStatus(admin: string, timeoutMs = 1000): Promise<StatusReply> {
  try {
    const response = await fetch(`http://${admin}/status`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return { kind: "down", admin, reason: `HTTP ${response.status}` };
    return { kind: "ok", admin, status: (await response.json()) as StatusDocument };
  } catch (error) {
    return { kind: "down", admin, reason: (error as Error).message };
  }
}

/** The leader every answering node agrees on, if they all name the same one. */
export function agreedLeader(replies: readonly StatusReply[]): number | undefined {
  const leaders = new Set<number | undefined>();
  for (const reply of replies) {
    if (reply.kind !== "ok") return undefined;
    leaders.add(reply.status.shards[0]?.leader);
  }
  const [leader] = [...leaders];
  return leaders.size === 1 ? leader : undefined;
}

/** Node i (from 0) of a local cluster: RESP on P+i, peers on P+100+i, admin on P+200+i. */
export const localPorts = (basePort: number, index: number) => ({
  respPort: basePort + index,
  peerPort: basePort + 100 + index,
  adminPort: basePort + 200 + index,
});
