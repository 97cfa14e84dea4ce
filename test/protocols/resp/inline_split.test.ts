/**
 * Inline quoting, row by row against sdssplitargs (redis/redis@4f8cdc2a src/sds.c:985) and its
 * unit tests: escapes in double quotes, \' in single quotes, what a closing quote may touch.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { splitInlineArguments } from "../../../src/protocols/resp/index.js";

const rows: Array<[string, string[] | undefined]> = [
  ["", []],
  [" \t\v\f ", []],
  ["SET key value", ["SET", "key", "value"]],
  ["  GET\tkey  ", ["GET", "key"]],
  ['SET k "hello world"', ["SET", "k", "hello world"]],
  ['"\\n\\r\\t\\b\\a\\\\\\"\\q"', ['\n\r\t\b\u0007\\"q']],
  ['"\\x41\\x6a\\xff\\x00"', ["Aj\u00ff\u0000"]],
  ['"\\x4"', ["x4"]],
  ['"\\xZZ"', ["xZZ"]],
  ["'it\\'s'", ["it's"]],
  ["'a\\nb'", ["a\\nb"]],
  ["'\"'", ['"']],
  ['"\'"', ["'"]],
  ['ab"cd"', ["abcd"]],
  ['"a" "b"', ["a", "b"]],
  ['""', [""]],
  ["''", [""]],
  ["a\vb", ["a\vb"]],
  ["a\u0000 b", ["a"]],
  ['"a"b', undefined],
  ["'a'b", undefined],
  ['"abc', undefined],
  ["'abc", undefined],
  ['"abc\\"', undefined],
  ['"\\', undefined],
];

for (const [line, expected] of rows) {
  test(`${JSON.stringify(line)} -> ${JSON.stringify(expected)}`, () => {
    const bytes = Buffer.from(line, "latin1");
    const result = splitInlineArguments(bytes, 0, bytes.length);
    assert.deepEqual(
      result?.map((a) => a.toString("latin1")),
      expected,
    );
  });
}
