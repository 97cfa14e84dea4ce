/**
 * A deferred reply reaches its target exactly as it came, whether it came before or after the
 * target was given, and as a promise for the callers that have no target.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DeferredReply, type ReplyTarget } from "../../../../src/protocols/resp/commands/index.js";
import { integer, type Reply } from "../../../../src/protocols/resp/reply.js";

class Later extends DeferredReply {}

class Recorder implements ReplyTarget {
  readonly heard: ({ reply: Reply } | { thrown: unknown })[] = [];
  replied(reply: Reply): void {
    this.heard.push({ reply });
  }
  failed(thrown: unknown): void {
    this.heard.push({ thrown });
  }
}

test("a reply that comes after its target is given reaches it once", () => {
  const later = new Later();
  const target = new Recorder();
  later.answerTo(target);
  assert.deepEqual(target.heard, []);
  later.replied(integer(1));
  assert.deepEqual(target.heard, [{ reply: integer(1) }]);
});

test("a reply or failure that comes first waits for the target", () => {
  const answered = new Later();
  answered.replied(integer(2));
  const first = new Recorder();
  answered.answerTo(first);
  assert.deepEqual(first.heard, [{ reply: integer(2) }]);

  const broken = new Later();
  const bug = new Error("no reply fits");
  broken.failed(bug);
  const second = new Recorder();
  broken.answerTo(second);
  assert.deepEqual(second.heard, [{ thrown: bug }]);
});

test("as a promise, a reply resolves it and a failure rejects it", async () => {
  const early = new Later();
  early.replied(integer(3));
  assert.deepEqual(await early.promise(), integer(3));

  const late = new Later();
  const promised = late.promise();
  late.replied(integer(4));
  assert.deepEqual(await promised, integer(4));

  const failing = new Later();
  const rejected = failing.promise();
  failing.failed(new Error("no reply fits"));
  await assert.rejects(rejected, /no reply fits/);
});
