/**
 * How a face's concern meets the shard preset's (api/store.ts WriteConcernInput): no `w`, the
 * preset's concern with the given fields over it; a `w`, the concern as given.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ReadConcern, WriteConcern } from "../../src/api/index.js";
import { resolveRead, resolveWrite } from "../../src/server/node_store.js";

const preset: WriteConcern = { w: "majority", j: true, timeoutMs: 1000 };

test("no field at all is the preset's concern itself", () => {
  assert.equal(resolveWrite({}, preset), preset);
  assert.equal(resolveWrite(Object.freeze({}), preset), preset);
});

test("fields without w override the preset's, even an explicit undefined", () => {
  assert.deepEqual(resolveWrite({ timeoutMs: 5 }, preset), {
    w: "majority",
    j: true,
    timeoutMs: 5,
  });
  assert.deepEqual(resolveWrite({ j: undefined }, preset), {
    w: "majority",
    j: undefined,
    timeoutMs: 1000,
  });
});

test("a concern with w is taken as given", () => {
  const given = { w: 2 } as const;
  assert.equal(resolveWrite(given, preset), given);
});

test("reads resolve the same way, on `level`", () => {
  const readPreset: ReadConcern = { level: "majority", readPreference: "primary" };
  assert.equal(resolveRead({}, readPreset), readPreset);
  assert.equal(resolveRead(Object.freeze({}), readPreset), readPreset);
  assert.deepEqual(resolveRead({ readPreference: "nearest" }, readPreset), {
    level: "majority",
    readPreference: "nearest",
  });
  const given = { level: "local" } as const;
  assert.equal(resolveRead(given, readPreset), given);
});
