/** Messages for the transport tests: one of every kind, and numbered ones to check order. */
import type { Batch, Message, MessageBody } from "../../../src/core/replica/index.js";
import { epoch, nodeId, offset, shardId, ticks } from "../../../src/core/types.js";

/** One batch holding every kind of record, with bigints at both ends of the int64 range. */
export const everyRecordBatch: Batch = {
  baseOffset: offset(7),
  epoch: epoch(3),
  timestampMs: 1_733_000_000_123,
  records: [
    { kind: "noop" },
    { kind: "kv", command: { kind: "set", key: "k", value: "v\u00ff\u0000" } },
    {
      kind: "kv",
      command: { kind: "set", key: "k", value: "v", condition: "nx", expireAtMs: 2 ** 41 },
    },
    {
      kind: "kv",
      command: {
        kind: "set",
        key: "k",
        value: "v",
        condition: "xx",
        keepTtl: true,
        returnOld: true,
      },
    },
    { kind: "kv", command: { kind: "del", keys: ["a", "b"] } },
    { kind: "kv", command: { kind: "incr", key: "n", by: 1n } },
    { kind: "kv", command: { kind: "incr", key: "n", by: 2n ** 63n - 1n } },
    { kind: "kv", command: { kind: "incr", key: "n", by: -(2n ** 63n) } },
    { kind: "kv", command: { kind: "append", key: "s", value: "tail" } },
    { kind: "kv", command: { kind: "cas", key: "c", expected: null, value: "1" } },
    { kind: "kv", command: { kind: "cas", key: "c", expected: "1", value: "2" } },
    { kind: "kv", command: { kind: "listAppend", key: "l", element: "e" } },
  ],
};

/** One body of every kind, with and without optional fields. */
export const everyBody: readonly MessageBody[] = [
  {
    kind: "fetch",
    fetchId: 1,
    fetchOffset: offset(10),
    lastFetchedEpoch: epoch(2),
    durableOffset: offset(9),
    recordsMax: 512,
    waitTicksMax: ticks(5),
    ackedRound: 4,
    commit: offset(8),
  },
  {
    kind: "fetch_response",
    fetchId: 1,
    fetchOffset: offset(10),
    batches: [],
    commit: offset(8),
    leaderLeo: offset(10),
    round: 4,
  },
  {
    kind: "fetch_response",
    fetchId: 2,
    fetchOffset: offset(7),
    batches: [everyRecordBatch, { ...everyRecordBatch, baseOffset: offset(19), records: [] }],
    commit: offset(7),
    leaderLeo: offset(19),
    round: 5,
  },
  {
    kind: "fetch_response",
    fetchId: 3,
    fetchOffset: offset(30),
    batches: [],
    diverging: { epoch: epoch(2), endOffset: offset(12) },
    commit: offset(7),
    leaderLeo: offset(19),
    round: 6,
  },
  { kind: "fenced" },
  { kind: "fenced", leader: nodeId(3) },
  { kind: "begin_epoch" },
  { kind: "vote_request", preVote: true, lastEpoch: epoch(2), lastOffset: offset(12) },
  { kind: "vote_response", preVote: false, granted: true },
  {
    kind: "fetch",
    fetchId: 4,
    fetchOffset: offset(3),
    lastFetchedEpoch: epoch(1),
    durableOffset: offset(3),
    recordsMax: 512,
    waitTicksMax: ticks(5),
    ackedRound: 0,
    commit: offset(3),
    snapshot: { offset: offset(40), epoch: epoch(2), position: 2, element: 3 },
  },
  {
    kind: "fetch_response",
    fetchId: 4,
    fetchOffset: offset(3),
    batches: [],
    snapshotChunk: {
      offset: offset(40),
      epoch: epoch(2),
      position: 2,
      element: 3,
      entries: [
        { key: "h", value: { type: "hash", fields: [["f", "v"]] }, version: offset(5) },
        { key: "s", value: { type: "string", data: "\xff" }, version: offset(39), expireAtMs: 7 },
        { key: "l", value: { type: "list", items: ["a", "b"] }, version: offset(12) },
      ],
      continues: true,
      done: false,
    },
    commit: offset(41),
    leaderLeo: offset(44),
    round: 6,
  },
];

export const message = (from: number, to: number, body: MessageBody, shard = 0): Message => ({
  shard: shardId(shard),
  from: nodeId(from),
  to: nodeId(to),
  epoch: epoch(1),
  body,
});

/** A small message whose `fetchId` numbers it, so a receiver can check order and loss. */
export const numbered = (from: number, to: number, sequence: number): Message =>
  message(from, to, { kind: "vote_response", preVote: false, granted: true }, sequence);

export const sequences = (messages: readonly Message[]): number[] =>
  messages.map((m) => m.shard as number);
