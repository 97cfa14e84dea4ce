import assert from "node:assert/strict";
import { test } from "node:test";
import { reply, type Script } from "./fake_node.js";
import { cluster } from "./support.js";

/** A node that reports `role` and answers reads with its own name as the value. */
const replica =
  (role: "leader" | "follower", name: string, refusal?: string): Script =>
  (args) => {
    if (args[0] === "OL.STATUS") return reply.status({ role, epoch: 1, leo: 5, commit: 5 });
    if (refusal !== undefined) return reply.error(refusal);
    return reply.get(name, 5, 1);
  };

const servedBy = (read: { kind: string; value?: unknown }) =>
  read.kind === "ok" ? read.value : read.kind;

test("read preference routes: primary to the leader, secondary to followers only", async (t) => {
  const { client } = await cluster(t, [
    replica("follower", "f1"),
    replica("leader", "L"),
    replica("follower", "f2"),
  ]);
  for (let index = 0; index < 10; index++) {
    assert.match(
      String(servedBy(await client.get("k", { readPreference: "secondary", level: "local" }))),
      /^f/,
    );
  }
  assert.equal(servedBy(await client.get("k", { readPreference: "primary" })), "L");
  assert.equal(servedBy(await client.get("k")), "L");
  assert.equal(servedBy(await client.get("k", { readPreference: "primaryPreferred" })), "L");
  assert.match(
    String(servedBy(await client.get("k", { readPreference: "secondaryPreferred" }))),
    /^f/,
  );
});

test("a secondary read spreads over the followers", async (t) => {
  const { nodes, client } = await cluster(t, [
    replica("follower", "f1"),
    replica("leader", "L"),
    replica("follower", "f2"),
  ]);
  for (let index = 0; index < 20; index++) await client.get("k", { readPreference: "secondary" });
  const reads = nodes.map((node) => node.names.filter((name) => name === "OL.GET").length);
  assert.equal(reads[1], 0, "the leader served no secondary read");
  assert.ok((reads[0] ?? 0) > 0 && (reads[2] ?? 0) > 0, `reads per node ${reads}`);
});

test("a stale follower or a leader reached by a secondary read sends the read on", async (t) => {
  const { nodes, client } = await cluster(t, [
    replica("follower", "f1", "STALE 100000 ms behind"),
    replica("follower", "L?", "NOTSECONDARY this node now leads"),
    replica("follower", "f2"),
  ]);
  for (let index = 0; index < 5; index++) {
    assert.equal(
      servedBy(await client.get("k", { readPreference: "secondary", maxStalenessMs: 90_000 })),
      "f2",
    );
  }
  assert.ok(nodes[0]?.received.some((args) => args.includes("MAXSTALENESS")));
  // Every follower stale: the reason comes back.
  const { client: allStale } = await cluster(t, [
    replica("leader", "L"),
    replica("follower", "f1", "STALE 100000 ms behind"),
  ]);
  const read = await allStale.get("k", { readPreference: "secondary", maxStalenessMs: 90_000 });
  assert.equal(read.kind === "rejected" && read.reason, "too_stale");
});

test("a primary read on a follower follows its redirect", async (t) => {
  let leaderPort = 0;
  const { nodes, client } = await cluster(t, [
    () => reply.error(`NOTLEADER 2 127.0.0.1:${leaderPort} not the leader`),
    replica("leader", "L"),
  ]);
  leaderPort = nodes[1]!.port;
  assert.equal(servedBy(await client.get("k", { level: "linearizable" })), "L");
});
