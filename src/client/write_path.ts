/**
 * A write's journey: to the leader (router.ts), and its answer as a `WriteResult`. The rule that
 * decides the kind is whether the write may have happened (DESIGN.md §6): anything after the
 * command left the client — a lost connection, the client's deadline, a reply it cannot read,
 * an error code it does not know — is `unknown`, never `rejected`.
 */
import type { Offset } from "../core/types.js";
import { unreachable } from "../util/assert.js";
import type { Parsed } from "./reply_shapes.js";
import type { LeaderAnswer, Router } from "./router.js";
import type { WriteResult } from "./types.js";

export async function runWrite<R>(
  router: Router,
  args: readonly string[],
  parse: (reply: unknown) => Parsed<{ result: R; offset: Offset }>,
  serverWaitMs: number | undefined,
): Promise<WriteResult<R>> {
  const answer = await router.sendToLeader(args, router.deadline(serverWaitMs));
  if (answer.kind !== "reply") return failedWrite(answer);
  const parsed = parse(answer.reply);
  return parsed.ok
    ? { kind: "ok", offset: parsed.value.offset, result: parsed.value.result }
    : { kind: "unknown", detail: `bad reply: ${parsed.detail}` };
}

/** A write's answer other than a reply, as its outcome: whether it may have happened. */
export function failedWrite(
  answer: Exclude<LeaderAnswer, { kind: "reply" }>,
): Exclude<WriteResult<never>, { kind: "ok" }> {
  switch (answer.kind) {
    case "not_run":
      return answer.rejection;
    case "lost":
      return { kind: "unknown", detail: answer.detail };
    case "error": {
      const { error } = answer;
      switch (error.kind) {
        case "refused":
          return { kind: "rejected", reason: error.reason, detail: error.message };
        case "write_timeout":
          return { kind: "timeout", offset: error.offset, detail: error.message };
        case "write_unknown":
          return error.offset === undefined
            ? { kind: "unknown", detail: error.message }
            : { kind: "unknown", offset: error.offset, detail: error.message };
        case "read_timeout":
        case "unrecognized":
          return { kind: "unknown", detail: error.message };
        default:
          return unreachable(error);
      }
    }
    default:
      return unreachable(answer);
  }
}
