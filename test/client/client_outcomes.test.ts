import assert from "node:assert/strict";
import { test } from "node:test";
import { reply } from "./fake_node.js";
import { cluster } from "./support.js";

test("every error code becomes the write outcome its table says", async (t) => {
  let answer = "";
  const { client } = await cluster(t, [() => reply.error(answer)]);
  const table: Array<[string, unknown]> = [
    ["WTIMEOUT 12 majority not reached", { kind: "timeout", offset: 12 }],
    ["UNKNOWN 13 leadership lost", { kind: "unknown", offset: 13 }],
    ["UNKNOWN leadership lost", { kind: "unknown" }],
    ["UNSATISFIABLE w=4 on 3 replicas", { kind: "rejected", reason: "unsatisfiable" }],
    ["BUSY too many writes waiting", { kind: "rejected", reason: "overloaded" }],
    ["ERR wrong number of arguments", { kind: "rejected", reason: "invalid" }],
    [
      "ERR value too large: a record holds at most 8388608 bytes",
      { kind: "rejected", reason: "too_large" },
    ],
    [
      "WRONGTYPE Operation against a key holding the wrong kind of value",
      { kind: "rejected", reason: "invalid" },
    ],
    // A code the client does not know: it cannot tell whether the write happened.
    ["CROSSSLOT keys in request don't hash to the same slot", { kind: "unknown" }],
  ];
  for (const [message, expected] of table) {
    answer = message;
    const { detail, ...outcome } = (await client.set("k", "v")) as { detail?: string };
    assert.deepEqual(outcome, expected, message);
    assert.equal(detail, message);
  }
});

test("every error code becomes the read outcome its table says", async (t) => {
  let answer = "";
  const { client } = await cluster(t, [() => reply.error(answer)]);
  const table: Array<[string, unknown]> = [
    ["TIMEOUT read waited 50 ms", { kind: "timeout" }],
    ["SNAPSHOTTOOOLD history starts at 40", { kind: "rejected", reason: "snapshot_too_old" }],
    ["UNSATISFIABLE", { kind: "rejected", reason: "unsatisfiable" }],
    ["ERR syntax error", { kind: "rejected", reason: "invalid" }],
    ["NOTSECONDARY this node leads", { kind: "rejected", reason: "not_secondary" }],
    ["STALE 90000 ms behind", { kind: "rejected", reason: "too_stale" }],
  ];
  for (const [message, expected] of table) {
    answer = message;
    const { detail, ...outcome } = (await client.get("k")) as { detail?: string };
    assert.deepEqual(outcome, expected, message);
    assert.equal(detail, message);
  }
});

test("a write with no reply before the client's deadline is unknown, a read a timeout", async (t) => {
  const { client } = await cluster(t, [() => "hang"], { requestTimeoutMs: 100 });
  const started = performance.now();
  const written = await client.set("k", "v", { w: "majority" });
  assert.equal(written.kind, "unknown");
  assert.match((written as { detail: string }).detail, /deadline/);
  assert.equal((await client.get("k")).kind, "timeout");
  assert.ok(performance.now() - started < 1000, "both ended near their 100 ms deadline");
});

test("a write's own timeout extends the client's deadline: WTIMEOUT arrives as a timeout", async (t) => {
  const { client } = await cluster(
    t,
    [() => ({ delayMs: 300, reply: reply.error("WTIMEOUT 5 majority not reached in 300 ms") })],
    { requestTimeoutMs: 100 },
  );
  const written = await client.set("k", "v", { w: "majority", timeoutMs: 300 });
  assert.deepEqual(written, {
    kind: "timeout",
    offset: 5,
    detail: "WTIMEOUT 5 majority not reached in 300 ms",
  });
});

test("a connection dropped after the write was sent makes it unknown; a read goes elsewhere", async (t) => {
  const { nodes, client } = await cluster(t, [() => "close", () => reply.get("v", 4, 3)]);
  const written = await client.set("k", "v");
  assert.equal(written.kind, "unknown");
  assert.deepEqual(nodes[1]?.received, [], "a write that may have happened is never resent");
  const read = await client.get("k", { level: "local", readPreference: "nearest" });
  assert.equal(read.kind, "ok");
});

test("a reply the client cannot read is unknown for a write and bad_reply for a read", async (t) => {
  const { client } = await cluster(t, [
    (args) =>
      args[0] === "OL.SET"
        ? reply.array([reply.ok, reply.bulk("twelve")])
        : reply.array([reply.bulk("v"), reply.bulk("1e3"), reply.integer(1)]),
  ]);
  assert.deepEqual(await client.set("k", "v"), {
    kind: "unknown",
    detail: 'bad reply: offset is not an integer: "twelve"',
  });
  assert.deepEqual(await client.get("k"), {
    kind: "rejected",
    reason: "bad_reply",
    detail: 'offset is not an integer: "1e3"',
  });
});
