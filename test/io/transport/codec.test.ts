import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Packr } from "msgpackr";
import type { Message } from "../../../src/core/replica/index.js";
import { fetchLayoutTag } from "../../../src/io/transport/fetch_layout.js";
import { decodeMessage, encodeMessage } from "../../../src/io/transport/index.js";
import { everyBody, everyRecordBatch, message } from "./fixtures.js";

test("every message kind survives a round trip exactly", () => {
  for (const body of everyBody) {
    const original = message(1, 2, body, 5);
    const decoded = decodeMessage(encodeMessage(original));
    assert.deepEqual(decoded, { kind: "ok", value: original }, `round trip of ${body.kind}`);
  }
});

test("bigints stay bigints and numbers stay numbers", () => {
  const body = everyBody.find((b) => b.kind === "fetch_response" && b.batches.length > 0);
  const decoded = decodeMessage(encodeMessage(message(1, 2, body!)));
  assert.equal(decoded.kind, "ok");
  if (decoded.kind !== "ok" || decoded.value.body.kind !== "fetch_response") return;
  const batch = decoded.value.body.batches[0]!;
  const bys = batch.records.flatMap((r) =>
    r.kind === "kv" && r.command.kind === "incr" ? [r.command.by] : [],
  );
  assert.deepEqual(bys, [1n, 2n ** 63n - 1n, -(2n ** 63n)]);
  assert.equal(typeof batch.timestampMs, "number");
  assert.equal(batch.timestampMs, everyRecordBatch.timestampMs);
  assert.equal(typeof batch.baseOffset, "number");
  assert.equal(typeof decoded.value.epoch, "number");
});

test("an encoded payload stays valid after later encodes", () => {
  const first = encodeMessage(message(1, 2, everyBody[0]!));
  const copy = Buffer.from(first);
  for (const body of everyBody) encodeMessage(message(2, 1, body));
  assert.deepEqual(first, copy);
});

test("arbitrary bytes decode to a message or a reason, never a throw", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const decoded = decodeMessage(bytes);
      assert.ok(decoded.kind === "ok" || decoded.reason.length > 0);
    }),
    { numRuns: 2000 },
  );
});

test("corrupted encodings of real messages never throw", () => {
  const encodings = everyBody.map((body) => encodeMessage(message(1, 2, body)));
  fc.assert(
    fc.property(
      fc.nat(encodings.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      (index, flips) => {
        const bytes = Buffer.from(encodings[index]!);
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        const decoded = decodeMessage(bytes);
        assert.ok(decoded.kind === "ok" || decoded.reason.length > 0);
      },
    ),
    { numRuns: 2000 },
  );
});

test("values of the wrong shape are malformed, with the reason", () => {
  // A raw packer lets a test write what a broken or hostile peer could send.
  const raw = new Packr({ useRecords: false });
  const valid = message(1, 2, { kind: "begin_epoch" });
  const withBatch = (batch: unknown) => ({ ...valid, body: { ...everyBody[1], batches: [batch] } });
  const wireBatch = { baseOffset: 0, epoch: 1, timestampMs: 5, recordCount: 1 };
  const incr = (by: unknown) =>
    withBatch({
      ...wireBatch,
      records: raw.pack([{ kind: "kv", command: { kind: "incr", key: "n", by } }]),
    });
  const chunk = {
    offset: 40,
    epoch: 2,
    position: 0,
    element: 0,
    entries: [],
    continues: false,
    done: true,
  };
  const withChunk = (fields: object) => ({
    ...valid,
    body: { ...everyBody[1], snapshotChunk: { ...chunk, ...fields } },
  });
  const entry = { key: "k", value: { type: "string", data: "v" }, version: 39 };
  const part = { key: "l", value: { type: "list", items: ["a"] }, version: 39 };
  const emptyPart = { ...part, value: { type: "list", items: [] } };
  const cases: Array<[unknown, string]> = [
    [
      { ...valid, body: { ...everyBody[0], snapshot: { offset: 40, epoch: 2 } } },
      "message: fetch: snapshot position is undefined",
    ],
    [
      { ...valid, body: { ...everyBody[0], snapshot: { offset: 40, epoch: 2, position: 1 } } },
      "message: fetch: snapshot element is undefined",
    ],
    [
      {
        ...valid,
        body: { ...everyBody[0], snapshot: { offset: 40, epoch: 2, position: 1, element: 0.5 } },
      },
      "message: fetch: snapshot element is number",
    ],
    [withChunk({ element: -1 }), "message: fetch_response: snapshotChunk: element is number"],
    [
      withChunk({ continues: undefined }),
      "message: fetch_response: snapshotChunk: continues is not a boolean",
    ],
    [
      withChunk({ entries: [part], continues: true }),
      "message: fetch_response: snapshotChunk: the last chunk continues",
    ],
    [
      withChunk({ element: 2, entries: [entry], done: false }),
      "message: fetch_response: snapshotChunk: element is past 0 but the first entry is not a part of a collection",
    ],
    [
      withChunk({ element: 2, entries: [emptyPart], done: false }),
      "message: fetch_response: snapshotChunk: element is past 0 but the first entry is not a part of a collection",
    ],
    [
      withChunk({ entries: [part, entry], continues: true, done: false }),
      "message: fetch_response: snapshotChunk: continues but the last entry is not a part of a collection",
    ],
    [
      withChunk({ entries: [], continues: true, done: false }),
      "message: fetch_response: snapshotChunk: continues but the last entry is not a part of a collection",
    ],
    [withChunk({ done: 1 }), "message: fetch_response: snapshotChunk: done is not a boolean"],
    [withChunk({ position: -1 }), "message: fetch_response: snapshotChunk: position is number"],
    [
      withChunk({ entries: { 0: entry } }),
      "message: fetch_response: snapshotChunk: entries is Object",
    ],
    [
      withChunk({ entries: [entry, { ...entry, version: 40 }] }),
      "message: fetch_response: snapshotChunk: entry 1: version is not below the snapshot",
    ],
    [[1, 2], "message: message is an array"],
    [{ ...valid, epoch: -1 }, "message: epoch is number"],
    [{ ...valid, from: 2n }, "message: from is bigint"],
    [{ ...valid, body: { kind: "gossip" } }, "message: gossip: unknown body kind"],
    [
      { ...valid, body: { kind: "fenced", leader: "x" } },
      "message: fenced: leader is not a node id",
    ],
    [
      withBatch({ ...wireBatch, records: [] }),
      "message: fetch_response: batch 0: records are not bytes",
    ],
    [incr(5), "message: batch 0: record 0: malformed incr command"],
    [incr(2n ** 63n), "message: batch 0: record 0: malformed incr command"],
    [
      withBatch({ ...wireBatch, recordCount: 2, records: raw.pack([{ kind: "noop" }]) }),
      "message: batch 0: 1 records, header says 2",
    ],
  ];
  for (const [value, reason] of cases) {
    assert.deepEqual(decodeMessage(raw.pack(value)), { kind: "malformed", reason });
  }
  assert.match(
    (decodeMessage(Buffer.from([0x92, 0x01])) as { reason: string }).reason,
    /^msgpack: /,
  );
});

test("fetches and record-only fetch responses use the fixed layout; the rest MessagePack", () => {
  for (const body of everyBody) {
    const fixed =
      (body.kind === "fetch" && body.snapshot === undefined) ||
      (body.kind === "fetch_response" &&
        body.diverging === undefined &&
        body.snapshotChunk === undefined);
    const encoded = encodeMessage(message(1, 2, body));
    assert.equal(encoded[0] === fetchLayoutTag, fixed, `layout of a ${body.kind}`);
  }
});

test("any numbers a fixed-layout message holds come back exactly", () => {
  const safe = fc.oneof(fc.nat(), fc.maxSafeNat());
  // fast-check's records have no prototype; the decoder makes plain objects.
  const plain = <T extends object>(value: T): T => ({ ...value });
  const fetch = fc
    .record({
      kind: fc.constant("fetch" as const),
      fetchId: safe,
      fetchOffset: safe,
      lastFetchedEpoch: safe,
      durableOffset: safe,
      recordsMax: safe,
      waitTicksMax: safe,
      ackedRound: safe,
      commit: safe,
    })
    .map(plain);
  const batch = fc
    .record({
      baseOffset: safe,
      epoch: safe,
      timestampMs: fc.double({ noNaN: true, noDefaultInfinity: true }),
      records: fc.constantFrom(everyRecordBatch.records, everyRecordBatch.records.slice(0, 1)),
    })
    .map(plain);
  const response = fc
    .record({
      kind: fc.constant("fetch_response" as const),
      fetchId: safe,
      fetchOffset: safe,
      commit: safe,
      leaderLeo: safe,
      round: safe,
      batches: fc.array(batch, { maxLength: 3 }),
    })
    .map(plain);
  fc.assert(
    fc.property(
      safe,
      safe,
      safe,
      safe,
      fc.oneof(fetch, response),
      (shard, from, to, epoch, body) => {
        const original = { shard, from, to, epoch, body } as Message;
        const encoded = encodeMessage(original);
        assert.equal(encoded[0], fetchLayoutTag);
        assert.deepEqual(decodeMessage(encoded), { kind: "ok", value: original });
      },
    ),
    { numRuns: 500 },
  );
});

test("fixed-layout bytes cut, grown or altered decode to a message or a reason", () => {
  const encodings = everyBody
    .map((body) => encodeMessage(message(1, 2, body)))
    .filter((bytes) => bytes[0] === fetchLayoutTag);
  assert.ok(encodings.length >= 2);
  for (const bytes of encodings) {
    for (let end = 0; end < bytes.length; end++) {
      const decoded = decodeMessage(bytes.subarray(0, end));
      assert.equal(decoded.kind, "malformed", `cut at ${end} of ${bytes.length}`);
    }
    const grown = decodeMessage(Buffer.concat([bytes, Buffer.from([0])]));
    assert.deepEqual(grown, {
      kind: "malformed",
      reason: "fixed layout: 1 bytes after the message",
    });
  }
  fc.assert(
    fc.property(
      fc.nat(encodings.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 6,
      }),
      fc.uint8Array({ maxLength: 64 }),
      (index, flips, tail) => {
        const bytes = Buffer.concat([encodings[index]!, tail]);
        for (const [at, value] of flips) bytes[1 + (at % (bytes.length - 1))] = value;
        const decoded = decodeMessage(bytes);
        assert.ok(decoded.kind === "ok" || decoded.reason.length > 0);
      },
    ),
    { numRuns: 3000 },
  );
  const negative = Buffer.from(encodings[0]!);
  negative.writeDoubleLE(-1, 2 + 4 * 8);
  const decoded = decodeMessage(negative);
  assert.equal(decoded.kind, "malformed");
  assert.match((decoded as { reason: string }).reason, /^message: /);
});
