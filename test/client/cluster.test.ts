/**
 * The client against a real 3-node cluster: `onelog up` from the build, as a child process
 * stopped by PID. Every write concern, every read concern with every read preference, a causal
 * session across nodes, and a redirect from a follower.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { onelogPortOffsets, startOnelog } from "../../bench/node/onelog_cluster.js";
import { freeBasePort } from "../../bench/node/ports.js";
import { Children } from "../../bench/node/processes.js";
import type { ReadOptions } from "../../src/client/index.js";
import { OnelogClient } from "../../src/client/index.js";
import type { ReadLevel, ReadPreference } from "../../src/core/concern/index.js";
import { offset } from "../../src/core/types.js";

const children = new Children();
const directory = mkdtempSync(join(tmpdir(), "onelog-client-"));
let ports: number[] = [];
let leaderPort = 0;
let client: OnelogClient;

const endpoint = (port: number) => ({ host: "127.0.0.1", port });

before(async () => {
  const cluster = await startOnelog(children, directory, await freeBasePort(onelogPortOffsets));
  ports = cluster.ports;
  leaderPort = cluster.leaderPort;
  client = new OnelogClient(ports.map(endpoint), { requestTimeoutMs: 5000 });
});

after(async () => {
  await client?.close();
  await children.stopAll();
  rmSync(directory, { recursive: true, force: true });
});

test("every write concern is met on a healthy cluster, offsets growing", async () => {
  const concerns = [
    { w: 1 },
    { w: 2 },
    { w: "majority" as const },
    { w: "all" as const, timeoutMs: 3000 },
    { w: "majority" as const, j: true },
  ];
  let last = 0;
  for (const [index, concern] of concerns.entries()) {
    const written = await client.set(`w:${index}`, `v${index}`, concern);
    assert.equal(written.kind, "ok", `${JSON.stringify(concern)}: ${JSON.stringify(written)}`);
    if (written.kind === "ok") {
      assert.ok(written.offset > last, `offset ${written.offset} after ${last}`);
      last = written.offset;
    }
  }
  const unsatisfiable = await client.set("w:4", "x", { w: 4 });
  assert.equal(unsatisfiable.kind === "rejected" && unsatisfiable.reason, "unsatisfiable");
});

test("every read concern with every read preference reads a majority write", async () => {
  const written = await client.set("r", "value", { w: "all", timeoutMs: 3000 });
  assert.equal(written.kind, "ok");
  const at = written.kind === "ok" ? written.offset : offset(0);
  const levels: ReadLevel[] = ["local", "available", "majority", "linearizable", "snapshot"];
  const preferences: ReadPreference[] = [
    "primary",
    "primaryPreferred",
    "secondary",
    "secondaryPreferred",
    "nearest",
  ];
  for (const level of levels) {
    for (const readPreference of preferences) {
      const concern: ReadOptions = { level, readPreference, afterOffset: at, timeoutMs: 2000 };
      if (level === "snapshot") concern.atOffset = at;
      const read = await client.get("r", concern);
      const label = `${level}/${readPreference}: ${JSON.stringify(read)}`;
      if (level === "linearizable" && readPreference === "secondary") {
        // Only the leader serves linearizable reads (DESIGN.md §7); followers redirect.
        assert.equal(read.kind === "rejected" && read.reason, "not_leader", label);
        continue;
      }
      assert.equal(read.kind, "ok", label);
      if (read.kind === "ok") {
        assert.equal(read.value, "value", label);
        assert.equal(read.version, at - 1, label);
        assert.ok(read.offset >= at, label);
      }
    }
  }
});

test("the other commands: cas, append, incr, del, wait, status", async () => {
  assert.deepEqual((await client.cas("c", null, "a")).kind, "ok");
  const swapped = await client.cas("c", "b", "z");
  assert.deepEqual(swapped.kind === "ok" && swapped.result, { swapped: false, current: "a" });
  await client.append("list", "x");
  const appended = await client.append("list", "y", { w: "majority" });
  assert.equal(appended.kind === "ok" && appended.result, 2);
  const list = await client.get("list");
  assert.deepEqual(list.kind === "ok" && list.value, ["x", "y"]);
  const incremented = await client.incr("n", 9007199254740993n);
  assert.equal(incremented.kind === "ok" && incremented.result, 9007199254740993n);
  const deleted = await client.del(["n"]);
  assert.equal(deleted.kind === "ok" && deleted.result, 1);
  if (deleted.kind === "ok") {
    assert.deepEqual(await client.wait(deleted.offset, 3, 2000), { kind: "ok", replicas: 3 });
  }
  const statuses = await client.status();
  assert.deepEqual(statuses.map((status) => status.kind === "ok" && status.status.role).sort(), [
    "follower",
    "follower",
    "leader",
  ]);
});

test("a session reads its own w:1 write on a follower", async () => {
  const session = client.session();
  for (let round = 0; round < 10; round++) {
    const written = await session.set("s", `round ${round}`, { w: 1 });
    assert.equal(written.kind, "ok");
    const read = await session.get("s", { level: "local", readPreference: "secondary" });
    assert.equal(read.kind === "ok" && read.value, `round ${round}`, JSON.stringify(read));
  }
  assert.equal((await session.wait(3, 2000)).kind, "ok");
});

test("a client given only a follower finds the leader by redirect", async () => {
  const follower = ports.find((port) => port !== leaderPort) as number;
  const redirected = new OnelogClient([endpoint(follower)]);
  try {
    const written = await redirected.set("redirected", "yes", { w: "majority" });
    assert.equal(written.kind, "ok", JSON.stringify(written));
    const read = await redirected.get("redirected", { level: "linearizable" });
    assert.equal(read.kind === "ok" && read.value, "yes");
  } finally {
    await redirected.close();
  }
});
