/**
 * A read's journey: the read preference picks the nodes to try, best first (`selectReplicas`,
 * MongoDB's server selection), and each node re-checks what it can. A read never changes
 * anything, so after a lost connection, a stale follower (`-STALE`) or a leader reached by a
 * `secondary` read (`-NOTSECONDARY`) the client simply tries the next node; a redirect's named
 * leader goes to the front when the preference allows the leader.
 */
import { type ReadPreference, selectReplicas } from "../core/concern/index.js";
import { unreachable } from "../util/assert.js";
import type { ReadOptions } from "./concern_args.js";
import { parseGetReply } from "./reply_shapes.js";
import type { Router } from "./router.js";
import { classifyServerError, notLeaderRejection } from "./server_errors.js";
import type { ReadResult, Rejected } from "./types.js";

export async function runRead(
  router: Router,
  args: readonly string[],
  concern: ReadOptions | undefined,
): Promise<ReadResult> {
  const preference = concern?.readPreference ?? "primary";
  const deadlineMs = router.deadline(concern?.timeoutMs);
  if (preference !== "primary" && !router.topology.knowsFollowers)
    await router.discover(deadlineMs);
  let rejection: Rejected = { kind: "rejected", reason: "unreachable", detail: "no node tried" };
  let plan: number[] = [];
  for (let attempt = 0; attempt < router.options.attemptsMax; attempt++) {
    if (plan.length === 0) {
      if (attempt > 0 && !(await router.pause(attempt, deadlineMs))) break;
      plan = choose(router, preference, concern?.maxStalenessMs);
      if (plan.length === 0)
        return { kind: "rejected", reason: "not_secondary", detail: "no follower known" };
    }
    const target = plan.shift() as number;
    const sent = await router.send(target, args, deadlineMs);
    switch (sent.kind) {
      case "reply": {
        const parsed = parseGetReply(sent.reply);
        return parsed.ok
          ? { kind: "ok", ...parsed.value }
          : { kind: "rejected", reason: "bad_reply", detail: parsed.detail };
      }
      case "timeout":
        return { kind: "timeout", detail: "no reply before the client's deadline" };
      case "not_sent":
      case "lost":
        rejection = { kind: "rejected", reason: "unreachable", detail: sent.detail };
        router.topology.notLeader(target);
        continue;
      case "error": {
        const error = classifyServerError(sent.message);
        switch (error.kind) {
          case "redirect": {
            rejection = notLeaderRejection(error);
            const next = router.redirected(target, error);
            if (next !== target && preference !== "secondary" && !plan.includes(next))
              plan.unshift(next);
            continue;
          }
          case "refused":
            rejection = { kind: "rejected", reason: error.reason, detail: error.message };
            if (error.reason === "not_secondary") router.topology.setLeader(target);
            if (error.reason === "not_secondary" || error.reason === "too_stale") continue;
            return rejection;
          case "read_timeout":
            return { kind: "timeout", detail: error.message };
          case "write_timeout":
          case "write_unknown":
          case "unrecognized":
            return { kind: "rejected", reason: "invalid", detail: error.message };
          default:
            return unreachable(error);
        }
      }
      default:
        return unreachable(sent);
    }
  }
  return rejection;
}

/** Nodes to try, best first; `primary` goes to the known or guessed leader. */
function choose(
  router: Router,
  preference: ReadPreference,
  maxStalenessMs: number | undefined,
): number[] {
  const { topology } = router;
  if (preference === "primary") return [router.leaderTarget()];
  const chosen = selectReplicas(
    preference,
    topology.candidates(),
    router.random,
    maxStalenessMs,
  ).map(Number);
  // With no leader known, `primaryPreferred` and `nearest` may still find it by a redirect.
  if (chosen.length === 0 && preference !== "secondary") return [router.leaderTarget()];
  return chosen;
}
