import assert from "node:assert/strict";
import { test } from "node:test";
import { offset } from "../../src/core/types.js";
import { reply } from "./fake_node.js";
import { cluster } from "./support.js";

test("each call sends its OL. command with the concern and reads the typed result", async (t) => {
  const { nodes, client } = await cluster(t, [
    (args) => {
      switch (args[0]) {
        case "OL.SET":
          return args.includes("NX")
            ? reply.array([reply.bulk(null), reply.integer(2)])
            : reply.setOk(1);
        case "OL.GET":
          return reply.get(["a", "b"], 9, 8);
        case "OL.CAS":
          return args[3] === "ABSENT"
            ? reply.array([reply.integer(0), reply.integer(3), reply.bulk("x")])
            : reply.array([reply.integer(1), reply.integer(4), reply.bulk(null)]);
        case "OL.APPEND":
          return reply.array([reply.integer(2), reply.integer(5)]);
        case "OL.INCR":
          return reply.array([reply.integer(9007199254740993n), reply.integer(6)]);
        case "OL.DEL":
          return reply.array([reply.integer(1), reply.integer(7)]);
        case "OL.WAIT":
          return reply.integer(3);
        default:
          return reply.error(`ERR unknown command '${args[0]}'`);
      }
    },
  ]);
  assert.deepEqual(await client.set("k", "v", { w: "majority", j: true, timeoutMs: 50 }), {
    kind: "ok",
    offset: 1,
    result: true,
  });
  assert.deepEqual(await client.set("k", "v", { w: 1 }, { condition: "nx", ttlMs: 1000 }), {
    kind: "ok",
    offset: 2,
    result: false,
  });
  assert.deepEqual(await client.cas("k", null, "n"), {
    kind: "ok",
    offset: 3,
    result: { swapped: false, current: "x" },
  });
  assert.deepEqual(await client.cas("k", "x", "n", { w: 2 }), {
    kind: "ok",
    offset: 4,
    result: { swapped: true },
  });
  assert.deepEqual(await client.append("l", "e"), { kind: "ok", offset: 5, result: 2 });
  assert.deepEqual(await client.incr("n", 5n), {
    kind: "ok",
    offset: 6,
    result: 9007199254740993n,
  });
  assert.deepEqual(await client.del(["a", "b"]), { kind: "ok", offset: 7, result: 1 });
  assert.deepEqual(
    await client.get("l", { level: "snapshot", atOffset: offset(9), readPreference: "primary" }),
    { kind: "ok", value: ["a", "b"], offset: 9, version: 8 },
  );
  assert.deepEqual(await client.wait(offset(7), 3, 100), { kind: "ok", replicas: 3 });
  assert.deepEqual(nodes[0]?.received, [
    ["OL.SET", "k", "v", "W", "majority", "J", "WTIMEOUT", "50"],
    ["OL.SET", "k", "v", "W", "1", "NX", "PX", "1000"],
    ["OL.CAS", "k", "n", "ABSENT"],
    ["OL.CAS", "k", "n", "EXPECT", "x", "W", "2"],
    ["OL.APPEND", "l", "e"],
    ["OL.INCR", "n", "BY", "5"],
    ["OL.DEL", "a", "b"],
    ["OL.GET", "l", "READ", "snapshot", "AT", "9", "PREF", "primary"],
    ["OL.WAIT", "7", "3", "100"],
  ]);
});

test("status reads every node's OL.STATUS and keeps the fields as sent", async (t) => {
  const { client } = await cluster(t, [
    () => reply.status({ role: "leader", epoch: 2, leader: "1", leo: 10, commit: 9, durable: 10 }),
    () => reply.error("ERR unknown command 'OL.STATUS'"),
  ]);
  const [first, second] = await client.status();
  assert.equal(first?.kind, "ok");
  if (first?.kind === "ok") {
    assert.equal(first.status.role, "leader");
    assert.equal(first.status.commit, 9);
    assert.equal(first.status.fields["leo"], "10");
  }
  assert.deepEqual(second, {
    kind: "rejected",
    reason: "invalid",
    detail: "ERR unknown command 'OL.STATUS'",
  });
});

test("a closed client ends its pending calls and refuses new ones", async (t) => {
  const { client } = await cluster(t, [() => "hang"]);
  const pending = client.set("k", "v");
  await new Promise((resolve) => setTimeout(resolve, 50));
  await client.close();
  assert.equal((await pending).kind, "unknown");
  assert.throws(() => client.get("k"), /closed/);
  await client.close();
});
