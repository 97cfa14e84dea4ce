/** The lab's calls to a node's admin endpoint: status, and the signed fault requests. */
import { fetchStatus, type StatusReply } from "../cli/admin_client.js";
import type { FaultSettings } from "../io/transport/index.js";
import { faultSignatureHeader, signFaultRequest } from "../server/fault_auth.js";

export type FaultReply = { kind: "ok" } | { kind: "failed"; reason: string };

const faultTimeoutMs = 2000;

/** Where a node's admin endpoint listens. */
export interface AdminAddress {
  readonly host: string;
  readonly adminPort: number;
}

export function nodeStatus(node: AdminAddress, timeoutMs = 1000): Promise<StatusReply> {
  return fetchStatus(`${node.host}:${node.adminPort}`, timeoutMs);
}

/** `POST /faults` with the given fields (others keep their value), or `DELETE /faults` if null. */
export async function sendFaults(
  node: AdminAddress,
  clusterSecret: string,
  settings: Partial<FaultSettings> | null,
): Promise<FaultReply> {
  const method = settings === null ? "DELETE" : "POST";
  const body = settings === null ? "" : JSON.stringify(settings);
  try {
    const response = await fetch(`http://${node.host}:${node.adminPort}/faults`, {
      method,
      body: method === "POST" ? body : undefined,
      headers: {
        [faultSignatureHeader]: signFaultRequest(clusterSecret, method, body),
        "content-type": "application/json",
      },
      signal: AbortSignal.timeout(faultTimeoutMs),
    });
    if (response.ok) return { kind: "ok" };
    return { kind: "failed", reason: `HTTP ${response.status} ${await response.text()}` };
  } catch (error) {
    return { kind: "failed", reason: (error as Error).message };
  }
}
