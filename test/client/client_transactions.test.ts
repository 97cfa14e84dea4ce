/**
 * `OnelogClient.transaction`: MULTI, the commands and EXEC on one connection; each command's
 * answer from EXEC's array; a follower's queue-time READONLY followed to the leader (the
 * transaction never ran there); EXECABORT for any other reason rejected, nothing having run.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Reply } from "../../src/protocols/resp/index.js";
import { reply } from "./fake_node.js";
import { cluster } from "./support.js";

const execAbort = reply.error("EXECABORT Transaction discarded because of previous errors.");

/** The command's name as Redis reads it: ioredis sends `multi` and `exec` in lower case. */
const nameOf = (args: string[]) => args[0]?.toUpperCase();

/** A node that queues every command and answers EXEC with `exec`'s array. */
const leaderScript = (exec: Reply) => (args: string[]) => {
  if (nameOf(args) === "MULTI") return reply.ok;
  return nameOf(args) === "EXEC" ? exec : reply.simple("QUEUED");
};

/** A follower as a onelog node answers in standalone mode: writes refused while queueing. */
const followerScript = (args: string[]) => {
  if (nameOf(args) === "MULTI") return reply.ok;
  if (nameOf(args) === "SET") {
    return reply.error("READONLY You can't write against a read only replica.");
  }
  return nameOf(args) === "EXEC" ? execAbort : reply.simple("QUEUED");
};

test("a transaction answers each command, and follows a follower's READONLY to the leader", async (t) => {
  const exec = reply.array([
    reply.ok,
    reply.bulk("1"),
    reply.error("WRONGTYPE Operation against a key holding the wrong kind of value"),
  ]);
  const { nodes, client } = await cluster(t, [followerScript, leaderScript(exec)]);
  const result = await client.transaction([
    ["SET", "x", "1"],
    ["GET", "x"],
    ["LPUSH", "x", "a"],
  ]);
  assert.deepEqual(result, {
    kind: "ok",
    answers: [
      { kind: "reply", reply: "OK" },
      { kind: "reply", reply: "1" },
      {
        kind: "error",
        message: "WRONGTYPE Operation against a key holding the wrong kind of value",
      },
    ],
  });
  const sent = ["MULTI", "SET", "GET", "LPUSH", "EXEC"];
  assert.deepEqual(
    nodes[0]?.names.map((name) => name.toUpperCase()),
    sent,
  );
  assert.deepEqual(
    nodes[1]?.names.map((name) => name.toUpperCase()),
    sent,
  );
});

test("EXECABORT for another reason is rejected; a null EXEC is aborted", async (t) => {
  const { client: refusing } = await cluster(t, [leaderScript(execAbort)]);
  assert.deepEqual(await refusing.transaction([["GET", "x"]]), {
    kind: "rejected",
    reason: "invalid",
    detail: "EXECABORT Transaction discarded because of previous errors.",
  });
  const { client: watching } = await cluster(t, [leaderScript(reply.array(null))]);
  assert.deepEqual(await watching.transaction([["GET", "x"]]), { kind: "aborted" });
});
