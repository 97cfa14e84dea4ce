/**
 * How a node runs scripts (script_batches.ts), in process against a real kv state machine:
 * scripts that arrive together share one record and each sees the writes of those before it;
 * scripts whose writes together pass the record limit run again one by one; the script cache lets
 * the oldest of the scripts only EVAL sent go past 500 of them. Atomicity against
 * other writers on a cluster is test/server/redis_scripting.test.ts's and the lab's.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import type { KvCommand, StoreWriteOutcome, WriteConcernInput } from "../../../../src/api/index.js";
import { ServerState } from "../../../../src/protocols/resp/commands/index.js";
import { StateStore } from "./state_store.js";
import { context, run } from "./support.js";

const increment =
  "local v = tonumber(redis.call('GET', KEYS[1]) or '0') + 1 redis.call('SET', KEYS[1], v) return v";

/** Clients of one node: one store, one server state (where the batches live). */
function clients(count: number, store = new StateStore()) {
  const state = new ServerState({ appendOnly: true, port: 7379, bind: "127.0.0.1", dir: "/d" });
  return Array.from({ length: count }, () => context(store, 2, state));
}

test("scripts that arrive together see each other's writes and share one record", async () => {
  const store = new StateStore();
  const all = clients(6, store);
  const replies = await Promise.all(all.map((client) => run(client, "EVAL", increment, "1", "n")));
  assert.deepEqual(replies.sort(), [":1\r\n", ":2\r\n", ":3\r\n", ":4\r\n", ":5\r\n", ":6\r\n"]);
  const records = store.writes.filter(({ command }) => command.kind === "exec");
  assert.ok(records.length < 6, `${records.length} records for 6 scripts`);
  assert.equal(await run(all[0] as ReturnType<typeof context>, "GET", "n"), "$1\r\n6\r\n");
});

/** A store whose record limit lets an `exec` of one step through, never of more. */
class OneStepStore extends StateStore {
  override async write(command: KvCommand, concern: WriteConcernInput): Promise<StoreWriteOutcome> {
    if (command.kind === "exec" && command.steps.length > 1) {
      return { kind: "rejected", reason: "too_large", detail: "record too large" };
    }
    return super.write(command, concern);
  }
}

test("scripts whose writes together pass the record limit run again one by one", async () => {
  const all = clients(4, new OneStepStore());
  const replies = await Promise.all(
    all.map((client, index) =>
      run(client, "EVAL", "return redis.call('SET', KEYS[1], ARGV[1])", "1", `k${index}`, "v"),
    ),
  );
  assert.deepEqual(replies, ["+OK\r\n", "+OK\r\n", "+OK\r\n", "+OK\r\n"]);
});

test("past 500 scripts sent only by EVAL the least recently used goes; loaded ones stay", async () => {
  const [client] = clients(1) as [ReturnType<typeof context>];
  const sha = (source: string) => createHash("sha1").update(source).digest("hex");
  assert.equal(
    await run(client, "SCRIPT", "LOAD", "return 'loaded'"),
    `$40\r\n${sha("return 'loaded'")}\r\n`,
  );
  assert.equal(
    await run(client, "EVAL", "return 'called by sha'", "0"),
    "$13\r\ncalled by sha\r\n",
  );
  assert.equal(
    await run(client, "EVALSHA", sha("return 'called by sha'"), "0"),
    "$13\r\ncalled by sha\r\n",
  );
  await run(client, "EVAL", "return 0", "0");
  for (let index = 1; index <= 501; index++) {
    await run(client, "EVAL", `return ${index}`, "0");
    // The first EVAL-only script is used again early on: it is then not the oldest.
    if (index === 10) await run(client, "EVAL", "return 1", "0");
  }
  const exists = await run(
    client,
    "SCRIPT",
    "EXISTS",
    sha("return 'loaded'"),
    sha("return 'called by sha'"),
    sha("return 0"),
    sha("return 1"),
    sha("return 2"),
    sha("return 500"),
  );
  assert.equal(exists, "*6\r\n:1\r\n:1\r\n:0\r\n:1\r\n:0\r\n:1\r\n");
  assert.match(await run(client, "INFO", "stats"), /evicted_scripts:2\r\n/);
  assert.equal(
    await run(client, "EVALSHA", sha("return 2"), "0"),
    "-NOSCRIPT No matching script. Please use EVAL.\r\n",
  );
});
