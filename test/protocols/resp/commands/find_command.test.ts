/**
 * The command lookup compares the bytes sent with the table's names, ASCII case-insensitive as
 * Redis's (strcasecmp): every name is found however it is cased, and nothing else is.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { commandNames, findCommand } from "../../../../src/protocols/resp/commands/index.js";

const found = (name: string | Buffer): string | undefined =>
  findCommand([typeof name === "string" ? Buffer.from(name, "latin1") : name])?.name;

test("every command is found by its name in any ASCII case", () => {
  const names = commandNames();
  assert.ok(names.includes("set") && names.includes("ol.cas"));
  for (const name of names) {
    assert.equal(found(name), name);
    assert.equal(found(name.toUpperCase()), name);
    const alternating = [...name].map((char, index) => (index % 2 ? char.toUpperCase() : char));
    assert.equal(found(alternating.join("")), name);
  }
});

test("nothing but a command's name is found", () => {
  const names = new Set(commandNames());
  assert.equal(findCommand([]), undefined);
  assert.equal(found(""), undefined);
  for (const name of ["se", "sett", "seT ", "s3t", "gat", "ol,cas"])
    assert.equal(found(name), undefined);
  // Case folding is ASCII only: a latin1 letter is not an ASCII one.
  assert.equal(found(Buffer.from([0x53, 0x45, 0xd4])), undefined);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
      const name = Buffer.from(bytes).toString("latin1").toLowerCase();
      const expected = names.has(name) && /^[\x20-\x7e]*$/.test(name) ? name : undefined;
      assert.equal(found(Buffer.from(bytes)), expected);
    }),
  );
});
