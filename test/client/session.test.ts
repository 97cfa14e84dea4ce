import assert from "node:assert/strict";
import { test } from "node:test";
import { offset } from "../../src/core/types.js";
import { option, reply } from "./fake_node.js";
import { cluster } from "./support.js";

test("a session's reads carry AFTER the highest offset it has seen", async (t) => {
  let nextWrite = reply.setOk(7);
  let readOffset = 9;
  const { nodes, client } = await cluster(t, [
    (args) => {
      if (args[0] === "OL.GET") return reply.get("v", readOffset, 3);
      if (args[0] === "OL.WAIT") return reply.integer(2);
      return nextWrite;
    },
  ]);
  const session = client.session();
  const after = () => option(nodes[0]!.received.at(-1)!, "AFTER");

  await session.get("k");
  assert.equal(after(), undefined, "a new session has seen nothing");
  assert.equal(session.operationOffset, 9);
  readOffset = 4;
  await session.get("k", { level: "majority" });
  assert.equal(after(), "9");
  assert.equal(session.operationOffset, 9, "a read reflecting less does not move it back");
  await session.set("k", "v");
  await session.get("k");
  assert.equal(after(), "9");
  nextWrite = reply.setOk(20);
  await session.set("k", "w", { w: 1 });
  await session.get("k", { readPreference: "primary", afterOffset: offset(3) });
  assert.equal(after(), "20", "the session's offset wins over a lower explicit one");
  await session.get("k", { afterOffset: offset(30) });
  assert.equal(after(), "30", "a higher explicit offset wins over the session's");

  // WAIT counts replicas holding the session's last write.
  assert.deepEqual(await session.wait(2, 100), { kind: "ok", replicas: 2 });
  assert.deepEqual(nodes[0]!.received.at(-1), ["OL.WAIT", "20", "2", "100"]);
});

test("a write that timed out advances the session; an unknown one does not", async (t) => {
  let answer = reply.error("WTIMEOUT 11 majority not reached");
  const { nodes, client } = await cluster(t, [
    (args) => (args[0] === "OL.GET" ? reply.get(null, 1, null) : answer),
  ]);
  const session = client.session();
  await session.incr("n");
  assert.equal(session.operationOffset, 11);
  answer = reply.error("UNKNOWN 15 leadership lost");
  await session.append("l", "e");
  assert.equal(session.operationOffset, 11);
  await session.get("k");
  assert.equal(option(nodes[0]!.received.at(-1)!, "AFTER"), "11");
});

test("sessions chain: advance joins another session's causal past", async (t) => {
  const { nodes, client } = await cluster(t, [
    (args) =>
      args[0] === "OL.GET"
        ? reply.get(null, 1, null)
        : args[0] === "OL.CAS"
          ? reply.array([reply.integer(1), reply.integer(42), reply.bulk(null)])
          : reply.array([reply.integer(1), reply.integer(43)]),
  ]);
  const writer = client.session();
  const reader = client.session();
  await writer.cas("k", null, "v");
  reader.advance(writer.operationOffset!);
  await reader.get("k", { readPreference: "primary" });
  assert.equal(option(nodes[0]!.received.at(-1)!, "AFTER"), "42");
  await reader.del("k");
  assert.equal(reader.operationOffset, 43);
  assert.equal(writer.operationOffset, 42, "sessions are independent until joined");
});
