import assert from "node:assert/strict";
import { test } from "node:test";
import { readConcernArguments, writeConcernArguments } from "../../src/client/concern_args.js";
import { offset } from "../../src/core/types.js";

test("write concerns become W, J and WTIMEOUT; none leaves the preset's default", () => {
  assert.deepEqual(writeConcernArguments(undefined), []);
  assert.deepEqual(writeConcernArguments({ w: "majority" }), ["W", "majority"]);
  assert.deepEqual(writeConcernArguments({ w: 0 }), ["W", "0"]);
  assert.deepEqual(writeConcernArguments({ w: "all", j: true, timeoutMs: 250 }), [
    "W",
    "all",
    "J",
    "WTIMEOUT",
    "250",
  ]);
  assert.deepEqual(writeConcernArguments({ w: 2, j: false }), ["W", "2"]);
});

test("read concerns become READ, AT, AFTER, PREF, MAXSTALENESS and TIMEOUT", () => {
  assert.deepEqual(readConcernArguments(undefined), []);
  assert.deepEqual(readConcernArguments({ afterOffset: offset(9) }), ["AFTER", "9"]);
  assert.deepEqual(
    readConcernArguments({
      level: "snapshot",
      atOffset: offset(4),
      afterOffset: offset(3),
      readPreference: "secondaryPreferred",
      maxStalenessMs: 90_000,
      timeoutMs: 100,
    }),
    [
      "READ",
      "snapshot",
      "AT",
      "4",
      "AFTER",
      "3",
      "PREF",
      "secondaryPreferred",
      "MAXSTALENESS",
      "90000",
      "TIMEOUT",
      "100",
    ],
  );
});

test("a concern that cannot be written down is a programmer error", () => {
  assert.throws(() => writeConcernArguments({ w: -1 }), /w=-1/);
  assert.throws(() => writeConcernArguments({ w: 1.5 }), /w=1.5/);
  assert.throws(() => writeConcernArguments({ w: 1, timeoutMs: -5 }), /-5/);
  assert.throws(() => readConcernArguments({ level: "snapshot" }), /atOffset/);
  assert.throws(() => readConcernArguments({ afterOffset: offset(-1) }), /offset -1/);
});
