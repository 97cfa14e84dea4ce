/**
 * The record codec: every record kind round-trips exactly (bigints stay bigints at the 64-bit
 * edges, numbers stay numbers), and arbitrary or malformed bytes decode to a reason, never a
 * throw or a malformed record (DESIGN §12).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { LogRecord } from "../../../src/core/replica/index.js";
import { offset } from "../../../src/core/types.js";
import { decodeRecords, encodeRecords } from "../../../src/io/storage/index.js";
import { commandArbitrary, transactionArbitrary } from "../../core/state/kv_arbitraries.js";
import { everyRecordKind, wellFormedText } from "./support.js";

/**
 * The command as it should come back: optional fields set to undefined are simply absent, also
 * in a transaction's steps.
 */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  // MessagePack has no negative zero integer: a score bound of -0 comes back as 0, its equal.
  if (Object.is(value, -0)) return 0 as T;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([name, field]) => [name, withoutUndefined(field)]),
  ) as T;
}

test("every record kind round-trips exactly", () => {
  const decoded = decodeRecords(encodeRecords(everyRecordKind), everyRecordKind.length);
  assert.deepEqual(decoded, { kind: "ok", records: everyRecordKind });
  if (decoded.kind !== "ok") return;
  const incr = decoded.records[6];
  assert.ok(incr?.kind === "kv" && incr.command.kind === "incr");
  assert.equal(typeof incr.command.by, "bigint");
  const set = decoded.records[2];
  assert.ok(set?.kind === "kv" && set.command.kind === "set");
  assert.equal(typeof set.command.expireAtMs, "number");
});

test("random kv commands round-trip", () => {
  fc.assert(
    fc.property(fc.array(commandArbitrary, { minLength: 1, maxLength: 20 }), (commands) => {
      const records: LogRecord[] = commands.map((command) => ({ kind: "kv", command }));
      const expected = commands.map((command) => ({
        kind: "kv",
        command: withoutUndefined(command),
      }));
      assert.deepEqual(decodeRecords(encodeRecords(records), records.length), {
        kind: "ok",
        records: expected,
      });
    }),
  );
});

test("transactions round-trip with every command and read as steps, and WATCH's keys", () => {
  const watched = fc.array(
    fc.record({
      key: fc.constantFrom("a", "b"),
      version: fc.option(fc.nat().map(offset), { nil: null }),
      live: fc.boolean(),
    }),
    { maxLength: 2 },
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(transactionArbitrary, watched), { maxLength: 5 }), (pairs) => {
      const records = pairs.map(
        ([command, keys]): LogRecord => ({
          kind: "kv",
          command:
            command.kind === "exec" && keys.length > 0 ? { ...command, watched: keys } : command,
        }),
      );
      assert.deepEqual(decodeRecords(encodeRecords(records), records.length), {
        kind: "ok",
        records: withoutUndefined(records),
      });
    }),
  );
});

test("plain SETs, written by hand, round-trip among records msgpackr writes", () => {
  const plainSet = fc
    .record({ key: wellFormedText, value: wellFormedText })
    .map((fields): LogRecord => ({ kind: "kv", command: { kind: "set", ...fields } }));
  const other = commandArbitrary.map((command): LogRecord => ({ kind: "kv", command }));
  fc.assert(
    fc.property(fc.array(fc.oneof(plainSet, other), { minLength: 1, maxLength: 40 }), (records) => {
      const expected = records.map((record) =>
        record.kind === "kv" ? { kind: "kv", command: withoutUndefined(record.command) } : record,
      );
      assert.deepEqual(decodeRecords(encodeRecords(records), records.length), {
        kind: "ok",
        records: expected,
      });
    }),
  );
});

test("a SET with an option or an unknown field keeps it", () => {
  const records = [
    { kind: "kv", command: { kind: "set", key: "k", value: "v", keepTtl: true } },
    { kind: "kv", command: { kind: "set", key: "k", value: "v", future: 1 } },
    { kind: "kv", command: { kind: "set", key: "k", value: "v", returnOld: undefined } },
  ] as unknown as LogRecord[];
  const decoded = decodeRecords(encodeRecords(records), 3);
  assert.deepEqual(decoded, {
    kind: "ok",
    records: [
      records[0],
      records[1],
      { kind: "kv", command: { kind: "set", key: "k", value: "v" } },
    ],
  });
});

test("batches of 16 and of 65,536 records get the wider array headers", () => {
  for (const count of [15, 16, 65_535, 65_536]) {
    const records = Array.from(
      { length: count },
      (_, index): LogRecord => ({
        kind: "kv",
        command: { kind: "set", key: `k${index}`, value: "v" },
      }),
    );
    const decoded = decodeRecords(encodeRecords(records), count);
    assert.equal(decoded.kind, "ok", `${count} records`);
    if (decoded.kind === "ok") assert.deepEqual(decoded.records.at(-1), records.at(-1));
  }
});

test("a batch's records are encoded once while recent, and still right once evicted", () => {
  const batches = Array.from({ length: 400 }, (_, index): LogRecord[] => [
    { kind: "kv", command: { kind: "set", key: `k${index}`, value: "v".repeat(index) } },
  ]);
  const first = batches[0] as LogRecord[];
  const bytes = encodeRecords(first);
  assert.equal(encodeRecords(first), bytes, "a recent batch is not encoded again");
  for (const records of batches) encodeRecords(records);
  const again = encodeRecords(first);
  assert.notEqual(again, bytes, "the first batch was evicted");
  assert.deepEqual(again, bytes);
  for (const records of batches) {
    assert.deepEqual(decodeRecords(encodeRecords(records), 1), { kind: "ok", records });
  }
});

test("records decoded from bytes are written back as those very bytes", () => {
  // A str16 header for a one-byte string: valid MessagePack no encoder here would write.
  const kind = [0xa4, ...Buffer.from("kind")];
  const noop = Buffer.from([0x91, 0x81, ...kind, 0xda, 0x00, 0x04, ...Buffer.from("noop")]);
  const decoded = decodeRecords(noop, 1);
  assert.deepEqual(decoded, { kind: "ok", records: [{ kind: "noop" }] });
  if (decoded.kind === "ok") assert.ok(encodeRecords(decoded.records).equals(noop));
});

test("a count that disagrees with the payload is invalid", () => {
  const outcome = decodeRecords(encodeRecords([{ kind: "noop" }]), 2);
  assert.deepEqual(outcome, { kind: "invalid", reason: "1 records, header says 2" });
});

test("malformed records are invalid, naming the record", () => {
  const cases: Array<[unknown, string]> = [
    [{ kind: "noop" }, ""],
    [{ kind: "other" }, "record 0: unknown record kind other"],
    [{ kind: "kv" }, "record 0: kv record without a command"],
    [
      { kind: "kv", command: { kind: "incr", key: "n", by: 1 } },
      "record 0: malformed incr command",
    ],
    [{ kind: "kv", command: { kind: "del", keys: [] } }, "record 0: malformed del command"],
    [{ kind: "kv", command: { kind: "set", key: "k" } }, "record 0: malformed set command"],
    [{ kind: "kv", command: { kind: "drop", key: "k" } }, "record 0: malformed drop command"],
    [{ kind: "kv", command: { kind: "flushAll" } }, ""],
    [
      { kind: "kv", command: { kind: "hset", key: "h", pairs: [["f"]] } },
      "record 0: malformed hset command",
    ],
    [
      { kind: "kv", command: { kind: "push", key: "l", side: "up", elements: ["x"] } },
      "record 0: malformed push command",
    ],
    [
      { kind: "kv", command: { kind: "pop", key: "l", side: "left", count: -1 } },
      "record 0: malformed pop command",
    ],
    [
      { kind: "kv", command: { kind: "expire", key: "k", expireAtMs: 5, conditions: ["ge"] } },
      "record 0: malformed expire command",
    ],
    [{ kind: "kv", command: { kind: "mset", pairs: [] } }, "record 0: malformed mset command"],
    [
      { kind: "kv", command: { kind: "zadd", key: "z", entries: [["m", "1"]] } },
      "record 0: malformed zadd command",
    ],
    [
      {
        kind: "kv",
        command: {
          kind: "zadd",
          key: "z",
          entries: [
            ["m", 1],
            ["n", 2],
          ],
          increment: true,
        },
      },
      "record 0: malformed zadd command",
    ],
    [
      {
        kind: "kv",
        command: { kind: "zadd", key: "z", entries: [["m", 1]], condition: "nx", compare: "gt" },
      },
      "record 0: malformed zadd command",
    ],
    [{ kind: "kv", command: { kind: "spop", key: "s" } }, "record 0: malformed spop command"],
    [
      { kind: "kv", command: { kind: "sadd", key: "s", members: [] } },
      "record 0: malformed sadd command",
    ],
    [
      { kind: "kv", command: { kind: "zpop", key: "z", side: "left" } },
      "record 0: malformed zpop command",
    ],
    ...[
      [],
      [{}],
      [{ write: { kind: "exec", steps: [{ read: { kind: "dbSize" } }] } }],
      [{ write: { kind: "incr", key: "n", by: 1 } }],
      [{ read: { kind: "keyCounts" } }],
      [{ read: { kind: "scan", cursor: "0", count: 0 } }],
      [{ read: { kind: "scan", cursor: "next", count: 1 } }],
      [{ read: { kind: "zrange", key: "z", range: { by: "score", min: 1, max: 2 } } }],
      [{ read: { kind: "srandmember", key: "s", seed: -1 } }],
    ].map((steps): [unknown, string] => [
      { kind: "kv", command: { kind: "exec", steps } },
      "record 0: malformed exec command",
    ]),
    [
      {
        kind: "kv",
        command: {
          kind: "exec",
          steps: [{ write: { kind: "flushAll" } }, { read: { kind: "dbSize" } }],
          watched: [{ key: "a", version: null, live: false }],
        },
      },
      "",
    ],
    [
      {
        kind: "kv",
        command: {
          kind: "exec",
          steps: [{ read: { kind: "dbSize" } }],
          watched: [{ key: "a", version: -1, live: false }],
        },
      },
      "record 0: malformed exec command",
    ],
  ];
  for (const [record, reason] of cases) {
    const outcome = decodeRecords(encodeRecords([record as LogRecord]), 1);
    if (reason === "") assert.equal(outcome.kind, "ok");
    else assert.deepEqual(outcome, { kind: "invalid", reason }, JSON.stringify(record));
  }
});

test("arbitrary bytes never throw and never yield a malformed record", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 64 }),
      fc.integer({ min: 0, max: 3 }),
      (bytes, count) => {
        const outcome = decodeRecords(bytes, count);
        if (outcome.kind === "ok") {
          assert.equal(outcome.records.length, count);
          for (const record of outcome.records)
            assert.ok(record.kind === "noop" || record.kind === "kv");
        }
      },
    ),
    { numRuns: 2000 },
  );
});
