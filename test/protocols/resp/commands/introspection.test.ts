/**
 * OBJECT ENCODING's size rules (introspection.ts), as Redis 7.4 applies them to a value of each
 * type. What OBJECT and MEMORY answer around them, errors included, is checked against
 * redis-server in redis_differential.test.ts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { encodingOf } from "../../../../src/protocols/resp/commands/introspection.js";

const many = (count: number, length = 1) =>
  Array.from({ length: count }, (_, index) => `${index}`.padStart(length, "x"));

test("strings: int for a canonical 64-bit integer, embstr up to 44 bytes, raw beyond", () => {
  const string = (data: string) => encodingOf({ type: "string", data });
  assert.equal(string("123"), "int");
  assert.equal(string("-9223372036854775808"), "int");
  assert.equal(string("9223372036854775808"), "embstr");
  assert.equal(string("007"), "embstr");
  assert.equal(string("a".repeat(44)), "embstr");
  assert.equal(string("a".repeat(45)), "raw");
});

test("collections: listpack while small, then Redis's large encodings", () => {
  const hash = (fields: string[]) =>
    encodingOf({ type: "hash", fields: fields.map((field) => [field, "v"] as const) });
  assert.equal(hash(many(128)), "listpack");
  assert.equal(hash(many(129)), "hashtable");
  assert.equal(hash(["x".repeat(65)]), "hashtable");
  const set = (members: string[]) => encodingOf({ type: "set", members });
  assert.equal(set(many(512)), "intset");
  assert.equal(set([...many(100), "a"]), "listpack");
  assert.equal(set([...many(600), "a"]), "hashtable");
  const zset = (members: string[]) =>
    encodingOf({ type: "zset", entries: members.map((member) => [member, 1] as const) });
  assert.equal(zset(many(128)), "listpack");
  assert.equal(zset(many(129)), "skiplist");
  const list = (items: string[]) => encodingOf({ type: "list", items });
  assert.equal(list(many(10)), "listpack");
  assert.equal(list(many(100, 100)), "quicklist");
});
