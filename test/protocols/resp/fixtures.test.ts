/**
 * Bytes captured from real clients (testdata/resp/*.bin, by capture_fixtures.ts): ioredis 6 and
 * node-redis 6 handshakes (HELLO 3, CLIENT SETINFO), SET with EX and NX, pipelined batches, and
 * redis-cli `-3` and `--pipe` (inline lines, a blank line, binary ECHO). Each decodes, whole and
 * split anywhere, to the commands in its `.commands.txt` (UPDATE_GOLDEN=1 rewrites them).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { bytewise, decodeChunks, splitAt } from "./support.js";

const directory = join(process.cwd(), "testdata", "resp");
const names = readdirSync(directory)
  .filter((file) => file.endsWith(".bin"))
  .map((file) => file.slice(0, -4));

/** One command a line, each argument a JSON string of its Latin-1 text. */
const render = (commands: string[][]): string =>
  commands.map((command) => command.map((arg) => JSON.stringify(arg)).join(" ")).join("\n") + "\n";

/** What each client must have sent, checked by hand against its source (wire-protocols.md §2.2). */
const mustContain: Record<string, string[][]> = {
  ioredis6: [
    ["hello", "3"],
    ["client", "SETINFO", "LIB-NAME", "ioredis"],
    ["info"],
    ["set", "key", "value", "EX", "10", "NX"],
    ["incr", "counter"],
  ],
  node_redis6: [
    ["HELLO", "3"],
    ["CLIENT", "SETINFO", "LIB-NAME", "node-redis"],
    ["SET", "key", "value", "EX", "10", "NX"],
    ["INCR", "counter"],
  ],
  redis_cli_resp3_set: [
    ["HELLO", "3"],
    ["SET", "key", "value", "EX", "10", "NX"],
  ],
  redis_cli_pipe: [
    ["SET", "a", "1"],
    ["GET", "a"],
    ["INCR", "counter"],
  ],
};

test("the fixtures are there", () => {
  assert.deepEqual([...names].sort(), Object.keys(mustContain).sort());
});

for (const name of names) {
  test(`${name}: decodes to its golden commands, however split`, () => {
    const bytes = readFileSync(join(directory, `${name}.bin`));
    const whole = decodeChunks([bytes]);
    assert.equal(whole.error, undefined);
    const goldenFile = join(directory, `${name}.commands.txt`);
    if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(goldenFile, render(whole.commands));
    assert.equal(render(whole.commands), readFileSync(goldenFile, "utf8"));
    for (const command of mustContain[name] ?? []) {
      assert.ok(
        whole.commands.some((c) => JSON.stringify(c) === JSON.stringify(command)),
        `${name} sends ${command.join(" ")}`,
      );
    }
    assert.deepEqual(decodeChunks(bytewise(bytes)), whole);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 10 }), (cuts) => {
        assert.deepEqual(decodeChunks(splitAt(bytes, cuts)), whole);
      }),
      { numRuns: 100 },
    );
  });
}
