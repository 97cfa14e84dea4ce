/**
 * Snapshots carry every value type: a machine holding strings, lists, hashes, sets and sorted sets
 * (with and without expiry) is snapshotted, sent in chunks through the peer transport's message
 * codec (which shape-checks snapshot chunks, src/io/transport/message_shape.ts), reassembled,
 * restored, and answers every query as the original did at the snapshot's offset.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Message, Snapshot } from "../../../src/core/replica/index.js";
import { SnapshotReceiver, snapshotChunk } from "../../../src/core/replica/snapshot_transfer.js";
import { type KvCommand, type KvQuery, KvStateMachine } from "../../../src/core/state/index.js";
import { epoch, nodeId, offset, shardId } from "../../../src/core/types.js";
import { decodeMessage, encodeMessage } from "../../../src/io/transport/index.js";

const commands: KvCommand[] = [
  { kind: "set", key: "s", value: "text", expireAtMs: 50 },
  { kind: "push", key: "l", side: "left", elements: ["x", "y"] },
  {
    kind: "hset",
    key: "h",
    pairs: [
      ["b", "2"],
      ["a", "1"],
      ["b", "3"],
    ],
  },
  { kind: "hset", key: "gone", pairs: [["f", "v"]] },
  { kind: "del", keys: ["gone"] },
  { kind: "hset", key: "volatile", pairs: [["f", "v"]] },
  { kind: "expire", key: "volatile", expireAtMs: 20 },
  { kind: "sadd", key: "set", members: ["b", "a", "\xff"] },
  {
    kind: "zadd",
    key: "zset",
    entries: [
      ["top", Infinity],
      ["low", -Infinity],
      ["mid", 1.5],
      ["tie", 1.5],
    ],
  },
  { kind: "zadd", key: "volatile-zset", entries: [["m", 1]] },
  { kind: "expire", key: "volatile-zset", expireAtMs: 20 },
];

const queries: KvQuery[] = [
  { kind: "hgetall", key: "h" },
  { kind: "get", key: "h" },
  { kind: "lrange", key: "l", start: 0, stop: -1 },
  { kind: "ttl", key: "s" },
  { kind: "ttl", key: "volatile" },
  { kind: "keys", pattern: "*" },
  { kind: "type", key: "gone" },
  { kind: "get", key: "set" },
  { kind: "smembers", key: "set" },
  { kind: "get", key: "zset" },
  { kind: "zrange", key: "zset", range: { by: "rank", start: 0, stop: -1 } },
  { kind: "zrank", key: "zset", member: "tie" },
  { kind: "zcard", key: "volatile-zset" },
];

function viaTransport(message: Message): Message {
  const decoded = decodeMessage(encodeMessage(message));
  assert.equal(decoded.kind, "ok", JSON.stringify(decoded));
  return (decoded as { value: Message }).value;
}

test("a snapshot with hashes, sets and sorted sets survives chunking and the transport codec and restores every read", () => {
  const machine = new KvStateMachine();
  for (const command of commands) machine.apply(machine.appliedOffset, command, 0);
  const state = machine.snapshotAt(machine.appliedOffset);
  assert.deepEqual(
    state.entries.find((entry) => entry.key === "h")?.value,
    {
      type: "hash",
      fields: [
        ["b", "3"],
        ["a", "1"],
      ],
    },
    "fields in insertion order, the second b replacing the first in place",
  );
  const snapshot: Snapshot = { offset: state.offset, epoch: epoch(3), state };
  const receiver = new SnapshotReceiver();
  let installed: Snapshot | undefined;
  let chunks = 0;
  while (installed === undefined) {
    const position = receiver.position(nodeId(1), epoch(3));
    const message: Message = {
      shard: shardId(0),
      from: nodeId(1),
      to: nodeId(2),
      epoch: epoch(3),
      body: {
        kind: "fetch_response",
        fetchId: 1,
        fetchOffset: offset(0),
        batches: [],
        snapshotChunk: snapshotChunk(snapshot, position, 64),
        commit: state.offset,
        leaderLeo: state.offset,
        round: 1,
      },
    };
    const received = viaTransport(message);
    assert.ok(received.body.kind === "fetch_response" && received.body.snapshotChunk !== undefined);
    installed = receiver.accept(nodeId(1), epoch(3), received.body.snapshotChunk);
    chunks++;
  }
  assert.ok(chunks > 1, `64-byte chunks: the snapshot took ${chunks}`);
  const restored = new KvStateMachine();
  restored.restore(installed.state);
  for (const nowMs of [0, 19, 20, 49, 50]) {
    for (const query of queries) {
      assert.deepEqual(
        restored.query(query, restored.appliedOffset, nowMs),
        machine.query(query, machine.appliedOffset, nowMs),
        `${JSON.stringify(query)} at nowMs ${nowMs}`,
      );
    }
  }
});

test("the transport refuses a snapshot whose hash fields are not pairs of strings", () => {
  for (const fields of [[["a"]], [["a", 1]], "a=1", [["a", "1", "2"]]]) {
    assert.equal(
      decodeSnapshotOf({ type: "hash", fields }).kind,
      "malformed",
      JSON.stringify(fields),
    );
  }
});

test("the transport refuses set members that are not strings and sorted-set scores that are not numbers", () => {
  for (const value of [
    { type: "set", members: ["a", 1] },
    { type: "set", members: "a" },
    { type: "zset", entries: [["a", "1"]] },
    { type: "zset", entries: [["a"]] },
    { type: "other" },
  ]) {
    assert.equal(decodeSnapshotOf(value).kind, "malformed", JSON.stringify(value));
  }
});

/** A fetch response carrying a snapshot of one key holding `value`, through the codec. */
function decodeSnapshotOf(value: unknown) {
  const message = {
    shard: 0,
    from: 1,
    to: 2,
    epoch: 3,
    body: {
      kind: "fetch_response",
      fetchId: 1,
      fetchOffset: 0,
      batches: [],
      snapshotChunk: {
        offset: 1,
        epoch: 3,
        position: 0,
        element: 0,
        entries: [{ key: "h", version: 0, value }],
        continues: false,
        done: true,
      },
      commit: 1,
      leaderLeo: 1,
      round: 1,
    },
  } as unknown as Message;
  return decodeMessage(encodeMessage(message));
}
