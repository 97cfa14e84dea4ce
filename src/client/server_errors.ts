/**
 * The error table of docs/commands.md: an error reply's first word is its code. Each code says
 * whether a write may have happened, which decides between `rejected` (nothing written, safe to
 * retry), `timeout` and `unknown`; and whether the client should go elsewhere (a redirect).
 */
import type { Offset } from "../core/types.js";
import { parseOffset } from "./reply_shapes.js";
import type { ClientRejectReason, LeaderHint, Rejected } from "./types.js";

export type ServerError =
  /** Not the leader; `leader` when the node named one (`?` otherwise). Redis's READONLY too. */
  | { kind: "redirect"; leader?: LeaderHint; message: string }
  /** Nothing was done; the reason is final for this node. */
  | { kind: "refused"; reason: ClientRejectReason; message: string }
  /** `-WTIMEOUT <offset>`: written, the concern not met in time. */
  | { kind: "write_timeout"; offset: Offset; message: string }
  /** `-UNKNOWN <offset>`: leadership lost after the append. */
  | { kind: "write_unknown"; offset?: Offset; message: string }
  /** `-TIMEOUT`: a read waited longer than its TIMEOUT. */
  | { kind: "read_timeout"; message: string }
  /** A code this client does not know (or WTIMEOUT without an offset): assume nothing. */
  | { kind: "unrecognized"; message: string };

const refusals: Record<string, ClientRejectReason> = {
  NOTSECONDARY: "not_secondary",
  STALE: "too_stale",
  UNSATISFIABLE: "unsatisfiable",
  BUSY: "overloaded",
  SNAPSHOTTOOOLD: "snapshot_too_old",
  ERR: "invalid",
  WRONGTYPE: "invalid",
  // A transaction refused whole: nothing of it ran.
  EXECABORT: "invalid",
};

const tooLargePrefix = "ERR value too large";

export function classifyServerError(message: string): ServerError {
  const words = message.split(" ");
  const code = words[0] ?? "";
  switch (code) {
    case "NOTLEADER":
      return { kind: "redirect", leader: leaderHint(words[1], words[2]), message };
    case "READONLY":
      return { kind: "redirect", message };
    case "WTIMEOUT": {
      const offset = parseOffset(words[1], "WTIMEOUT offset");
      return offset.ok
        ? { kind: "write_timeout", offset: offset.value, message }
        : { kind: "unrecognized", message };
    }
    case "UNKNOWN": {
      const offset = parseOffset(words[1], "UNKNOWN offset");
      return offset.ok
        ? { kind: "write_unknown", offset: offset.value, message }
        : { kind: "write_unknown", message };
    }
    case "TIMEOUT":
      return { kind: "read_timeout", message };
  }
  // A write too large for a record (docs/commands.md, Limits) is a plain ERR to Redis clients.
  if (message.startsWith(tooLargePrefix)) return { kind: "refused", reason: "too_large", message };
  const reason = Object.hasOwn(refusals, code) ? refusals[code] : undefined;
  return reason === undefined
    ? { kind: "unrecognized", message }
    : { kind: "refused", reason, message };
}

/** `<id> <host:port>`, either `?` when the node does not know the leader. */
function leaderHint(
  idText: string | undefined,
  address: string | undefined,
): LeaderHint | undefined {
  if (idText === undefined || address === undefined) return undefined;
  const id = Number(idText);
  const colon = address.lastIndexOf(":");
  const port = Number(address.slice(colon + 1));
  if (
    !Number.isSafeInteger(id) ||
    colon <= 0 ||
    !Number.isInteger(port) ||
    port <= 0 ||
    port > 65535
  )
    return undefined;
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  return { id, endpoint: { host, port } };
}

/** The outcome when redirects ran out: `not_leader`, naming the last leader heard of. */
export function notLeaderRejection(error: Extract<ServerError, { kind: "redirect" }>): Rejected {
  const rejection: Rejected = { kind: "rejected", reason: "not_leader", detail: error.message };
  if (error.leader !== undefined) rejection.leader = error.leader;
  return rejection;
}
