import assert from "node:assert/strict";
import { test } from "node:test";
import { OnelogClient } from "../../src/client/index.js";
import { type FakeNode, reply } from "./fake_node.js";
import { cluster, deadPort, fastOptions } from "./support.js";

const redirectTo = (id: number, node: () => FakeNode | undefined) => () =>
  reply.error(`NOTLEADER ${id} 127.0.0.1:${node()?.port} this node does not lead`);

test("a write to a follower follows -NOTLEADER to the leader, and later writes go straight there", async (t) => {
  let leader: FakeNode | undefined;
  const { nodes, client } = await cluster(t, [redirectTo(2, () => leader), () => reply.setOk(1)]);
  leader = nodes[1];
  assert.deepEqual(await client.set("a", "1", { w: "majority" }), {
    kind: "ok",
    offset: 1,
    result: true,
  });
  assert.deepEqual(await client.set("b", "2", { w: "majority" }), {
    kind: "ok",
    offset: 1,
    result: true,
  });
  assert.deepEqual(nodes[0]?.names, ["OL.SET"]);
  assert.deepEqual(nodes[1]?.names, ["OL.SET", "OL.SET"]);
  // A read at the primary goes to the leader the client learnt of.
  leader!.script = () => reply.get("2", 3, 2);
  assert.equal((await client.get("b")).kind, "ok");
  assert.deepEqual(nodes[0]?.names, ["OL.SET"]);
});

test("a redirect may name a node the client was not given", async (t) => {
  const { nodes: hidden } = await cluster(t, [() => reply.setOk(8)]);
  const { client } = await cluster(t, [redirectTo(3, () => hidden[0])]);
  assert.deepEqual(await client.set("k", "v"), { kind: "ok", offset: 8, result: true });
});

test("with the leader unknown (`?`), the client tries the other nodes", async (t) => {
  const { nodes, client } = await cluster(t, [
    () => reply.error("NOTLEADER ? ? election in progress"),
    () => reply.error("NOTLEADER ? ? election in progress"),
    () => reply.setOk(4),
  ]);
  assert.deepEqual(await client.set("k", "v"), { kind: "ok", offset: 4, result: true });
  assert.deepEqual(
    nodes.map((node) => node.received.length),
    [1, 1, 1],
  );
});

test("Redis's -READONLY counts as a redirect with no leader named", async (t) => {
  const { client } = await cluster(t, [
    () => reply.error("READONLY You can't write against a read only replica."),
    () => reply.setOk(2),
  ]);
  assert.equal((await client.set("k", "v")).kind, "ok");
});

test("redirects are bounded: a redirect loop ends as not_leader naming the last leader", async (t) => {
  let pair: FakeNode[] = [];
  const { nodes, client } = await cluster(
    t,
    [redirectTo(2, () => pair[1]), redirectTo(1, () => pair[0])],
    { attemptsMax: 5 },
  );
  pair = nodes;
  const written = await client.set("k", "v");
  assert.equal(written.kind, "rejected");
  if (written.kind === "rejected") {
    assert.equal(written.reason, "not_leader");
    assert.deepEqual(written.leader?.endpoint, nodes[1]?.endpoint);
  }
  assert.equal(nodes[0]!.received.length + nodes[1]!.received.length, 5);
});

test("an unreachable node is skipped; nothing reachable ends as unreachable, never sent", async (t) => {
  const dead = await deadPort();
  const { nodes: live } = await cluster(t, [() => reply.setOk(3)]);
  const client = new OnelogClient(
    [{ host: "127.0.0.1", port: dead }, live[0]!.endpoint],
    fastOptions,
  );
  t.after(() => client.close());
  assert.deepEqual(await client.set("k", "v"), { kind: "ok", offset: 3, result: true });

  const nowhere = new OnelogClient([{ host: "127.0.0.1", port: dead }], {
    ...fastOptions,
    attemptsMax: 3,
  });
  t.after(() => nowhere.close());
  const written = await nowhere.set("k", "v");
  assert.equal(written.kind, "rejected");
  assert.equal(written.kind === "rejected" && written.reason, "unreachable");
  assert.equal((await nowhere.get("k")).kind, "rejected");
});
