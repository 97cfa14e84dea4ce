/**
 * A reply that comes later without a promise: what a write's handler returns on the hot path.
 * A promise costs a write several objects that live until it commits (the promise, its resolving
 * functions, the reactions and their closures), and under `w: majority` they live long enough to
 * be copied by the young-generation collector. A deferred reply is one object, handed its
 * target by the connection; it answers by calling the target's methods.
 */
import type { Reply } from "../reply.js";

/** Where a deferred reply goes (the connection's slot for the command). */
export interface ReplyTarget {
  replied(reply: Reply): void;
  /** The reply could not be made (a bug): the target answers `-ERR internal error`. */
  failed(thrown: unknown): void;
}

export abstract class DeferredReply implements ReplyTarget {
  private target: ReplyTarget | undefined;
  /** Set once answered before a target was given. */
  private early: { reply: Reply } | { thrown: unknown } | undefined;

  /** Sends the reply to `target` once it comes, or at once if it has. Called at most once. */
  answerTo(target: ReplyTarget): void {
    this.target = target;
    const { early } = this;
    if (early === undefined) return;
    this.early = undefined;
    if ("reply" in early) target.replied(early.reply);
    else target.failed(early.thrown);
  }

  /** The reply as a promise, for callers that have no target (dispatch, scripts' callers). */
  promise(): Promise<Reply> {
    return new Promise((resolve, reject) => this.answerTo({ replied: resolve, failed: reject }));
  }

  replied(reply: Reply): void {
    if (this.target === undefined) this.early = { reply };
    else this.target.replied(reply);
  }

  failed(thrown: unknown): void {
    if (this.target === undefined) this.early = { thrown };
    else this.target.failed(thrown);
  }
}
