/**
 * fast-check generators of kv commands over a few keys, strings that are and are not Redis
 * integers, increments at the 64-bit edges, and times on a small clock so that expiry is often
 * just before, at or just after a command or a read.
 */
import fc from "fast-check";
import type { KvCommand } from "../../../src/core/state/index.js";

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
);

/** A command with the leader timestamp of its batch. */
export const recordArbitrary = fc.record({ command: commandArbitrary, nowMs: nowMsArbitrary });
