/**
 * fast-check generators of set and sorted-set commands and queries over the kv generators' keys:
 * a few members, scores at the edges Redis cares about (-0, ±inf, equal scores ordered by
 * member), every ZADD option combination the face accepts, and seeds for SPOP and SRANDMEMBER.
 */
import fc from "fast-check";
import type {
  KvCommand,
  KvQuery,
  LexBound,
  ScoreBound,
  ZrangeSpec,
} from "../../../src/core/state/index.js";

const memberArbitrary = fc.constantFrom("m", "n", "o", "");
const membersArbitrary = fc.array(memberArbitrary, { minLength: 1, maxLength: 3 });
/** Scores a command carries: the face never sends -0 (zset_ops.ts); bounds may hold it. */
const scoreArbitrary = fc.constantFrom(0, 1, -1, 1.5, 2, Infinity, -Infinity);
const boundScoreArbitrary = fc.constantFrom(0, -0, 1, -1, 1.5, 2, Infinity, -Infinity);
const seedArbitrary = fc.nat();
const countArbitrary = fc.option(fc.nat(4), { nil: undefined });

const zaddArbitrary = (keyArbitrary: fc.Arbitrary<string>) =>
  fc
    .record({
      key: keyArbitrary,
      entries: fc.array(fc.tuple(memberArbitrary, scoreArbitrary), { minLength: 1, maxLength: 3 }),
      condition: fc.constantFrom(undefined, "nx" as const, "xx" as const),
      compare: fc.constantFrom(undefined, "gt" as const, "lt" as const),
      changed: fc.boolean(),
      increment: fc.boolean(),
    })
    .map((zadd): KvCommand => {
      // The face refuses NX with GT or LT, and INCR with more than one pair.
      const compare = zadd.condition === "nx" ? undefined : zadd.compare;
      const increment = zadd.increment && zadd.entries.length === 1;
      return {
        kind: "zadd",
        key: zadd.key,
        entries: zadd.entries,
        ...(zadd.condition === undefined ? {} : { condition: zadd.condition }),
        ...(compare === undefined ? {} : { compare }),
        ...(zadd.changed ? { changed: true } : {}),
        ...(increment ? { increment: true } : {}),
      };
    });

/** Set and sorted-set commands on the keys `keyArbitrary` draws. */
export const collectionCommandArbitrary = (
  keyArbitrary: fc.Arbitrary<string>,
): fc.Arbitrary<KvCommand> =>
  fc.oneof(
    fc
      .record({ key: keyArbitrary, members: membersArbitrary })
      .chain((command) =>
        fc.constantFrom<KvCommand>({ kind: "sadd", ...command }, { kind: "srem", ...command }),
      ),
    fc.record({ key: keyArbitrary, count: countArbitrary, seed: seedArbitrary }).map(
      ({ key, count, seed }): KvCommand => ({
        kind: "spop",
        key,
        seed,
        ...(count === undefined ? {} : { count }),
      }),
    ),
    zaddArbitrary(keyArbitrary),
    fc
      .record({ key: keyArbitrary, members: membersArbitrary })
      .map((command): KvCommand => ({ kind: "zrem", ...command })),
    fc
      .record({
        key: keyArbitrary,
        side: fc.constantFrom("min" as const, "max" as const),
        count: countArbitrary,
      })
      .map(
        ({ key, side, count }): KvCommand => ({
          kind: "zpop",
          key,
          side,
          ...(count === undefined ? {} : { count }),
        }),
      ),
    fc
      .record({
        op: fc.constantFrom("inter" as const, "union" as const, "diff" as const),
        destination: keyArbitrary,
        keys: fc.array(keyArbitrary, { minLength: 1, maxLength: 3 }),
      })
      .map((command): KvCommand => ({ kind: "setStore", ...command })),
    fc
      .record({ source: keyArbitrary, destination: keyArbitrary, member: memberArbitrary })
      .map((command): KvCommand => ({ kind: "smove", ...command })),
    fc
      .record({
        keys: fc.array(keyArbitrary, { minLength: 1, maxLength: 3 }),
        side: fc.constantFrom("min" as const, "max" as const),
        count: fc.integer({ min: 1, max: 3 }),
      })
      .map((command): KvCommand => ({ kind: "zmpop", ...command })),
    fc
      .record({ key: keyArbitrary, min: scoreBoundArbitrary, max: scoreBoundArbitrary })
      // The face reads -0 as 0 (scoreBound), which MessagePack would turn it into anyway.
      .map(
        ({ key, min, max }): KvCommand => ({
          kind: "zremRange",
          by: "score",
          key,
          min: { ...min, score: min.score + 0 },
          max: { ...max, score: max.score + 0 },
        }),
      ),
    fc
      .record({ key: keyArbitrary, start: indexArbitrary, stop: indexArbitrary })
      .map((command): KvCommand => ({ kind: "zremRange", by: "rank", ...command })),
    fc
      .record({ key: keyArbitrary, min: lexBoundArbitrary, max: lexBoundArbitrary })
      .map((command): KvCommand => ({ kind: "zremRange", by: "lex", ...command })),
  );

// Plain objects: a bound inside a record must come back from MessagePack equal to itself.
const scoreBoundArbitrary: fc.Arbitrary<ScoreBound> = fc.record(
  { score: boundScoreArbitrary, exclusive: fc.boolean() },
  { noNullPrototype: true },
);
const lexBoundArbitrary: fc.Arbitrary<LexBound> = fc.oneof(
  fc.constantFrom<LexBound>("-", "+"),
  fc.record({ member: memberArbitrary, exclusive: fc.boolean() }),
);
const limitArbitrary = fc.option(fc.integer({ min: -1, max: 3 }), { nil: undefined });
const indexArbitrary = fc.integer({ min: -5, max: 5 });

const rangeArbitrary: fc.Arbitrary<ZrangeSpec> = fc.oneof(
  fc.record({ by: fc.constant("rank" as const), start: indexArbitrary, stop: indexArbitrary }),
  fc.record({
    by: fc.constant("score" as const),
    min: scoreBoundArbitrary,
    max: scoreBoundArbitrary,
    offset: limitArbitrary,
    limit: limitArbitrary,
  }),
  fc.record({
    by: fc.constant("lex" as const),
    min: lexBoundArbitrary,
    max: lexBoundArbitrary,
    offset: limitArbitrary,
    limit: limitArbitrary,
  }),
);

/** Set and sorted-set queries on the keys `keyArbitrary` draws. */
export const collectionQueryArbitrary = (
  keyArbitrary: fc.Arbitrary<string>,
): fc.Arbitrary<KvQuery> =>
  fc.oneof(
    keyArbitrary.chain((key) =>
      fc.constantFrom<KvQuery>(
        { kind: "smembers", key },
        { kind: "scard", key },
        { kind: "zcard", key },
      ),
    ),
    fc
      .record({ key: keyArbitrary, member: memberArbitrary, reverse: fc.boolean() })
      .chain(({ key, member, reverse }) =>
        fc.constantFrom<KvQuery>(
          { kind: "sismember", key, member },
          { kind: "zscore", key, member },
          { kind: "zrank", key, member, reverse },
        ),
      ),
    fc
      .record({ key: keyArbitrary, members: membersArbitrary })
      .chain((query) =>
        fc.constantFrom<KvQuery>({ kind: "smismember", ...query }, { kind: "zmscore", ...query }),
      ),
    fc
      .record({
        key: keyArbitrary,
        count: fc.option(fc.integer({ min: -4, max: 4 }), { nil: undefined }),
        seed: seedArbitrary,
      })
      .map(
        ({ key, count, seed }): KvQuery => ({
          kind: "srandmember",
          key,
          seed,
          ...(count === undefined ? {} : { count }),
        }),
      ),
    fc
      .record({ key: keyArbitrary, min: scoreBoundArbitrary, max: scoreBoundArbitrary })
      .map((query): KvQuery => ({ kind: "zcount", ...query })),
    fc
      .record({ key: keyArbitrary, range: rangeArbitrary, reverse: fc.boolean() })
      .map((query): KvQuery => ({ kind: "zrange", ...query })),
  );
