/**
 * The small Redis pieces the kv queries and commands stand on: glob matching (stringmatchlen in
 * redis/src/util.c, https://redis.io/docs/latest/commands/keys/), float reading and formatting
 * (string2ld / ld2string, INCRBYFLOAT), and SCAN cursors.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { globMatch } from "../../../src/core/state/glob.js";
import { formatRedisFloat, parseRedisFloat } from "../../../src/core/state/redis_float.js";
import { cursorAfter, keyOfCursor } from "../../../src/core/state/scan_cursor.js";

describe("glob", () => {
  const table: Array<[string, string, boolean]> = [
    ["*", "", false], // as stringmatchlen; KEYS and SCAN special-case "*" (kv_commands.test.ts)
    ["*", "anything", true],
    ["h?llo", "hello", true],
    ["h?llo", "hllo", false],
    ["h*llo", "heeeello", true],
    ["h*llo", "hllo", true],
    ["h[ae]llo", "hallo", true],
    ["h[ae]llo", "hillo", false],
    ["h[^e]llo", "hallo", true],
    ["h[^e]llo", "hello", false],
    ["h[a-b]llo", "hbllo", true],
    ["h[a-b]llo", "hcllo", false],
    ["h[b-a]llo", "hallo", true], // reversed ends are swapped
    ["h\\*llo", "h*llo", true],
    ["h\\*llo", "hello", false],
    ["h[\\]]llo", "h]llo", true], // an escaped ] inside a set
    ["[]", "]", false], // "[" opens, "]" closes an empty set
    ["a[", "a[", false], // an unclosed set takes the rest of the pattern: "[" matches nothing
    ["ab\\", "ab\\", true], // a trailing backslash matches itself
    ["a*b*c", "aXbYc", true],
    ["a*b*c", "aXbY", false],
    ["user:*:name", "user:42:name", true],
    ["*a", "bbb", false],
    ["**", "x", true],
    ["?", "", false],
    ["", "", true],
    ["", "a", false],
    ["a", "A", false], // case-sensitive
  ];
  for (const [pattern, text, expected] of table) {
    test(`${JSON.stringify(pattern)} ${expected ? "matches" : "does not match"} ${JSON.stringify(text)}`, () => {
      assert.equal(globMatch(pattern, text), expected);
    });
  }

  test("a pathological pattern answers quickly (the skipLongerMatches exit)", () => {
    const text = "a".repeat(60);
    assert.equal(globMatch(`${"a*".repeat(30)}b`, text), false);
  });
});

describe("INCRBYFLOAT numbers", () => {
  const readable: Array<[string, number]> = [
    ["10.5", 10.5],
    ["+1.5", 1.5],
    ["-.5", -0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["1E-2", 0.01],
    ["inf", Infinity],
    ["-Infinity", -Infinity],
  ];
  for (const [text, value] of readable) {
    test(`"${text}" reads as ${value}`, () => assert.equal(parseRedisFloat(text), value));
  }
  for (const text of ["", " 1", "1 ", "abc", "nan", "1e", "--1", ".", "1e400", "1e-400", "0x10"]) {
    test(`"${text}" is not a float`, () => assert.equal(parseRedisFloat(text), undefined));
  }
  test("0 written with many zeros still reads (no false underflow)", () => {
    assert.equal(parseRedisFloat("0.000e-5"), 0);
  });

  const formatted: Array<[number, string]> = [
    [10.5, "10.5"],
    [3, "3"],
    [-0, "0"],
    [0.1 + 0.2, "0.3"],
    [10.1, "10.1"],
    [5.0e3, "5000"],
    [-2.25, "-2.25"],
    [1e21, "1000000000000000000000"],
    [3e-7, "0.0000003"],
    [1.5e-17, "0.00000000000000002"], // rounded to 17 fractional digits
    [1e-20, "0"],
    [2 / 3, "0.666666666666667"], // 15 significant digits
  ];
  for (const [value, text] of formatted) {
    test(`${value} is written "${text}"`, () => assert.equal(formatRedisFloat(value), text));
  }
});

describe("SCAN cursors", () => {
  test("a cursor is decimal digits and names the key it resumes after", () => {
    for (const key of ["", "a", "\x00", "\x00\x00k", "user:1000", "\xff\xfe"]) {
      const cursor = cursorAfter(key);
      assert.match(cursor, /^[1-9][0-9]*$/);
      assert.equal(keyOfCursor(cursor), key);
    }
    assert.equal(cursorAfter("a"), "353");
    assert.equal(keyOfCursor("0"), undefined);
  });
});
