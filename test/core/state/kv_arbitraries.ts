/**
 * fast-check generators of kv commands and queries over a few keys, strings that are and are
 * not Redis integers or floats, increments at the 64-bit edges, and times on a small clock so
 * that expiry is often just before, at or just after a command or a read.
 */
import fc from "fast-check";
import type { KvCommand, KvQuery, StepCommand, StepQuery } from "../../../src/core/state/index.js";
import { collectionCommandArbitrary, collectionQueryArbitrary } from "./collection_arbitraries.js";

export const keys = ["a", "b", "c"] as const;

export const clockMsMax = 20;

export const strings = [
  "",
  "x",
  "0",
  "1",
  "-1",
  "12",
  "-0",
  "+1",
  "01",
  " 1",
  "1e3",
  "9223372036854775807",
  "-9223372036854775808",
  "9223372036854775808",
  "1.5",
  "-0.25",
  "1e1",
  "inf",
] as const;

const int64Max = 2n ** 63n - 1n;

export const keyArbitrary = fc.constantFrom(...keys);
export const nowMsArbitrary = fc.integer({ min: 0, max: clockMsMax });
const stringArbitrary = fc.constantFrom(...strings);
const expireAtMsArbitrary = fc.option(nowMsArbitrary, { nil: undefined });

const setArbitrary = fc
  .record({
    key: keyArbitrary,
    value: stringArbitrary,
    condition: fc.constantFrom(undefined, "nx" as const, "xx" as const),
    expireAtMs: expireAtMsArbitrary,
    keepTtl: fc.boolean(),
    returnOld: fc.boolean(),
  })
  .map(
    (set): KvCommand => ({
      kind: "set",
      ...set,
      // KEEPTTL with an expiry is a syntax error the face rejects; it never reaches the log.
      keepTtl: set.expireAtMs === undefined ? set.keepTtl : false,
    }),
  );

const fieldArbitrary = fc.constantFrom("f", "g", "h");
const elementArbitrary = fc.constantFrom("p", "q", "r");
const elementsArbitrary = fc.array(elementArbitrary, { minLength: 1, maxLength: 3 });
const pairArbitrary = fc.tuple(keyArbitrary, stringArbitrary);
const sideArbitrary = fc.constantFrom("left" as const, "right" as const);
const smallIndexArbitrary = fc.integer({ min: -6, max: 6 });

/**
 * LPUSH / RPUSH (X), LPOP / RPOP, LMPOP, LMOVE, LTRIM, LSET, LREM and LINSERT on the keys the
 * others use.
 */
export function listCommandArbitrary(): fc.Arbitrary<KvCommand> {
  return fc.oneof(
    fc
      .record({
        key: keyArbitrary,
        start: fc.integer({ min: -4, max: 4 }),
        stop: fc.integer({ min: -4, max: 4 }),
      })
      .map((command): KvCommand => ({ kind: "ltrim", ...command })),
    fc
      .record({
        key: keyArbitrary,
        side: sideArbitrary,
        elements: elementsArbitrary,
        onlyIfExists: fc.boolean(),
      })
      .map((command): KvCommand => ({ kind: "push", ...command })),
    fc
      .record({
        key: keyArbitrary,
        side: sideArbitrary,
        count: fc.option(fc.nat(3), { nil: undefined }),
      })
      .map((command): KvCommand => ({ kind: "pop", ...command })),
    fc
      .record({
        keys: fc.array(keyArbitrary, { minLength: 1, maxLength: 3 }),
        side: sideArbitrary,
        count: fc.integer({ min: 1, max: 3 }),
      })
      .map((command): KvCommand => ({ kind: "lmpop", ...command })),
    fc
      .record({
        source: keyArbitrary,
        destination: keyArbitrary,
        from: sideArbitrary,
        to: sideArbitrary,
      })
      .map((command): KvCommand => ({ kind: "lmove", ...command })),
    fc
      .record({ key: keyArbitrary, index: smallIndexArbitrary, element: elementArbitrary })
      .map((command): KvCommand => ({ kind: "lset", ...command })),
    fc
      .record({
        key: keyArbitrary,
        count: fc.integer({ min: -3, max: 3 }),
        element: elementArbitrary,
      })
      .map((command): KvCommand => ({ kind: "lrem", ...command })),
    fc
      .record({
        key: keyArbitrary,
        after: fc.boolean(),
        pivot: elementArbitrary,
        element: elementArbitrary,
      })
      .map((command): KvCommand => ({ kind: "linsert", ...command })),
  );
}

/** The commands Redis compatibility added: strings, keyspace, hashes, lists, sets, sorted sets. */
export const redisCommandArbitrary: fc.Arbitrary<KvCommand> = fc.oneof(
  fc
    .record({
      key: keyArbitrary,
      offsetBytes: fc.nat(5),
      value: fc.constantFrom("", "x", "yz"),
    })
    .map((command): KvCommand => ({ kind: "setRange", ...command })),
  fc
    .record({
      key: keyArbitrary,
      by: fc.constantFrom("1", "0.5", "-2.25", "0.1", "x", "inf", "1e4932"),
    })
    .map((command): KvCommand => ({ kind: "incrByFloat", ...command })),
  keyArbitrary.map((key): KvCommand => ({ kind: "getDel", key })),
  fc.record({ key: keyArbitrary, expireAtMs: expireAtMsArbitrary, persist: fc.boolean() }).map(
    (command): KvCommand => ({
      kind: "getEx",
      key: command.key,
      ...(command.expireAtMs === undefined
        ? { persist: command.persist }
        : { expireAtMs: command.expireAtMs }),
    }),
  ),
  fc
    .array(pairArbitrary, { minLength: 1, maxLength: 3 })
    .chain((pairs) =>
      fc.constantFrom({ kind: "mset", pairs } as KvCommand, { kind: "msetNx", pairs } as KvCommand),
    ),
  fc
    .record({ source: keyArbitrary, destination: keyArbitrary, nx: fc.boolean() })
    .map((command): KvCommand => ({ kind: "rename", ...command })),
  fc
    .record({ source: keyArbitrary, destination: keyArbitrary, replace: fc.boolean() })
    .map((command): KvCommand => ({ kind: "copy", ...command })),
  fc
    .record({
      key: keyArbitrary,
      expireAtMs: nowMsArbitrary,
      conditions: fc.subarray(["nx", "xx", "gt", "lt"] as const, { maxLength: 2 }),
    })
    .map((command): KvCommand => ({ kind: "expire", ...command })),
  keyArbitrary.map((key): KvCommand => ({ kind: "persist", key })),
  fc.constant<KvCommand>({ kind: "flushAll" }),
  fc
    .record({ channel: keyArbitrary, message: stringArbitrary })
    .map((command): KvCommand => ({ kind: "publish", ...command })),
  fc
    .record({
      key: keyArbitrary,
      pairs: fc.array(fc.tuple(fieldArbitrary, stringArbitrary), { minLength: 1, maxLength: 3 }),
    })
    .map((command): KvCommand => ({ kind: "hset", ...command })),
  fc.record({ key: keyArbitrary, field: fieldArbitrary, value: stringArbitrary }).map(
    ({ key, field, value }): KvCommand => ({
      kind: "hset",
      key,
      pairs: [[field, value]],
      onlyNew: true,
    }),
  ),
  fc
    .record({ key: keyArbitrary, fields: fc.array(fieldArbitrary, { minLength: 1, maxLength: 3 }) })
    .map((command): KvCommand => ({ kind: "hdel", ...command })),
  fc
    .record({
      key: keyArbitrary,
      field: fieldArbitrary,
      by: fc.oneof(fc.bigInt({ min: -3n, max: 3n }), fc.constant(int64Max)),
    })
    .map((command): KvCommand => ({ kind: "hincrBy", ...command })),
  fc
    .record({
      key: keyArbitrary,
      field: fieldArbitrary,
      by: fc.constantFrom("1.5", "-0.25", "0.1", "x", "inf", "1e4932"),
    })
    .map((command): KvCommand => ({ kind: "hincrByFloat", ...command })),
  listCommandArbitrary(),
  // Twice, as sets and sorted sets are two families among the others here.
  collectionCommandArbitrary(keyArbitrary),
  collectionCommandArbitrary(keyArbitrary),
);

const patternArbitrary = fc.constantFrom("*", "a*", "?", "[ab]", "[^a]", "c", "[a-b]*", "x*");

/** Every query kind, over the same keys, fields and indexes as the commands. */
export const queryArbitrary: fc.Arbitrary<KvQuery> = fc.oneof(
  keyArbitrary.map((key): KvQuery => ({ kind: "get", key })),
  fc
    .array(keyArbitrary, { minLength: 1, maxLength: 4 })
    .map((keys): KvQuery => ({ kind: "mget", keys })),
  fc
    .array(keyArbitrary, { minLength: 1, maxLength: 3 })
    .map((keys): KvQuery => ({ kind: "sets", keys })),
  keyArbitrary.map((key): KvQuery => ({ kind: "strlen", key })),
  fc
    .record({ key: keyArbitrary, start: smallIndexArbitrary, end: smallIndexArbitrary })
    .map((query): KvQuery => ({ kind: "getRange", ...query })),
  fc
    .array(keyArbitrary, { minLength: 1, maxLength: 4 })
    .map((keys): KvQuery => ({ kind: "exists", keys })),
  keyArbitrary.map((key): KvQuery => ({ kind: "type", key })),
  keyArbitrary.map((key): KvQuery => ({ kind: "ttl", key })),
  patternArbitrary.map((pattern): KvQuery => ({ kind: "keys", pattern })),
  fc
    .record({
      cursor: fc.constantFrom("0", "353", "354", "355", "1"),
      count: fc.integer({ min: 1, max: 3 }),
      pattern: fc.option(patternArbitrary, { nil: undefined }),
      type: fc.option(
        fc.constantFrom(
          "string" as const,
          "list" as const,
          "hash" as const,
          "set" as const,
          "zset" as const,
        ),
        { nil: undefined },
      ),
    })
    .map((query): KvQuery => ({ kind: "scan", ...query })),
  fc
    .record({
      key: keyArbitrary,
      type: fc.constantFrom("hash" as const, "set" as const, "zset" as const),
      cursor: fc.constantFrom("0", "1"),
      count: fc.integer({ min: 1, max: 3 }),
      pattern: fc.option(patternArbitrary, { nil: undefined }),
    })
    .map(
      ({ pattern, ...query }): KvQuery => ({
        kind: "memberScan",
        ...query,
        ...(pattern === undefined ? {} : { pattern }),
      }),
    ),
  fc.constant<KvQuery>({ kind: "dbSize" }),
  fc.constant<KvQuery>({ kind: "keyCounts" }),
  fc.nat(10).map((seed): KvQuery => ({ kind: "randomKey", seed })),
  fc.nat(3).map((limit): KvQuery => ({ kind: "expiredKeys", limit })),
  fc
    .record({ key: keyArbitrary, field: fieldArbitrary })
    .chain((query) =>
      fc.constantFrom<KvQuery>({ kind: "hget", ...query }, { kind: "hexists", ...query }),
    ),
  fc
    .record({ key: keyArbitrary, fields: fc.array(fieldArbitrary, { minLength: 1, maxLength: 3 }) })
    .map((query): KvQuery => ({ kind: "hmget", ...query })),
  keyArbitrary.chain((key) =>
    fc.constantFrom<KvQuery>(
      { kind: "hgetall", key },
      { kind: "hlen", key },
      { kind: "hkeys", key },
      { kind: "hvals", key },
      { kind: "llen", key },
    ),
  ),
  fc
    .record({ key: keyArbitrary, start: smallIndexArbitrary, stop: smallIndexArbitrary })
    .map((query): KvQuery => ({ kind: "lrange", ...query })),
  // Twice, as sets and sorted sets are two families among the others here.
  collectionQueryArbitrary(keyArbitrary),
  collectionQueryArbitrary(keyArbitrary),
);

export const commandArbitrary: fc.Arbitrary<KvCommand> = fc.oneof(
  { arbitrary: setArbitrary, weight: 4 },
  {
    arbitrary: fc
      .uniqueArray(keyArbitrary, { minLength: 1, maxLength: 3 })
      .chain((unique) => fc.shuffledSubarray([...unique, ...unique], { minLength: 1 }))
      .map((names): KvCommand => ({ kind: "del", keys: names })),
    weight: 2,
  },
  {
    arbitrary: fc
      .record({
        key: keyArbitrary,
        by: fc.oneof(
          fc.bigInt({ min: -3n, max: 3n }),
          fc.constantFrom(int64Max, -int64Max - 1n, int64Max - 1n),
        ),
      })
      .map((incr): KvCommand => ({ kind: "incr", ...incr })),
    weight: 3,
  },
  {
    arbitrary: fc
      .record({ key: keyArbitrary, value: stringArbitrary })
      .map((append): KvCommand => ({ kind: "append", ...append })),
    weight: 1,
  },
  {
    arbitrary: fc
      .record({
        key: keyArbitrary,
        expected: fc.option(stringArbitrary, { nil: null }),
        value: stringArbitrary,
      })
      .map((cas): KvCommand => ({ kind: "cas", ...cas })),
    weight: 2,
  },
  {
    arbitrary: fc
      .record({ key: keyArbitrary, element: fc.constantFrom("p", "q") })
      .map((listAppend): KvCommand => ({ kind: "listAppend", ...listAppend })),
    weight: 2,
  },
  { arbitrary: redisCommandArbitrary, weight: 12 },
);

/** A command with the leader timestamp of its batch. */
export const recordArbitrary = fc.record({ command: commandArbitrary, nowMs: nowMsArbitrary });

/** A query a transaction step may carry (kv_ops.ts StepQuery). */
const stepQueryArbitrary = queryArbitrary.filter(
  (query): query is StepQuery => query.kind !== "keyCounts" && query.kind !== "expiredKeys",
);

/**
 * EXEC of a MULTI transaction: writes and reads of the same few keys, so that later steps read
 * and overwrite what earlier ones wrote; with reads only, the `multi` query.
 */
export const transactionArbitrary: fc.Arbitrary<KvCommand> = fc
  .array(
    fc.oneof(
      {
        arbitrary: commandArbitrary
          .filter((command): command is StepCommand => command.kind !== "exec")
          .map((write) => ({ write })),
        weight: 3,
      },
      { arbitrary: stepQueryArbitrary.map((read) => ({ read })), weight: 2 },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((steps): KvCommand => ({ kind: "exec", steps }));

export const readTransactionArbitrary: fc.Arbitrary<KvQuery> = fc
  .array(stepQueryArbitrary, { minLength: 1, maxLength: 4 })
  .map((queries): KvQuery => ({ kind: "multi", queries }));
