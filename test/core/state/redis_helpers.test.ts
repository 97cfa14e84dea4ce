/**
 * The small Redis pieces the kv queries and commands stand on: glob matching (stringmatchlen in
 * redis/src/util.c, https://redis.io/docs/latest/commands/keys/), float reading and formatting
 * (string2ld / ld2string, INCRBYFLOAT), and SCAN cursors.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { globMatch } from "../../../src/core/state/glob.js";
import {
  addLongDouble,
  formatLongDouble,
  readLongDouble,
} from "../../../src/core/state/long_double.js";
import { parseRangeFloat, parseRedisFloat } from "../../../src/core/state/redis_float.js";
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

describe("sorted-set numbers (string2d and zslParseRange's strtod)", () => {
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
  for (const text of ["", " 1", "1 ", "abc", "nan", "1e", "--1", ".", "1e400", "1e-400", "0x"]) {
    test(`"${text}" is not a float`, () => assert.equal(parseRedisFloat(text), undefined));
  }
  test("hexadecimal floats read as strtod reads them", () => {
    assert.equal(parseRedisFloat("0x10"), 16);
    assert.equal(parseRedisFloat("-0x1.8p1"), -3);
    assert.equal(parseRedisFloat("0x1p-1074"), 5e-324);
    assert.equal(parseRedisFloat("0x1p1024"), undefined); // overflow
    assert.equal(parseRedisFloat("0x1p-1076"), undefined); // underflow to zero
    // 2^53 + 1 rounds to even, as strtod rounds.
    assert.equal(parseRedisFloat("0x20000000000001"), 2 ** 53);
  });
  test("a range bound takes what a score refuses: spaces, nothing, beyond a double's range", () => {
    assert.equal(parseRangeFloat(""), 0);
    assert.equal(parseRangeFloat(" \t1.5"), 1.5);
    assert.equal(parseRangeFloat("1e400"), Infinity);
    assert.equal(parseRangeFloat("-1e400"), -Infinity);
    assert.equal(parseRangeFloat("1e-400"), 0);
    assert.equal(parseRangeFloat("0x10"), 16);
    for (const text of [" ", "1 ", "nan", "x", "1e", "(1"]) {
      assert.equal(parseRangeFloat(text), undefined, text);
    }
  });
  test("0 written with many zeros still reads (no false underflow)", () => {
    assert.equal(parseRedisFloat("0.000e-5"), 0);
  });
});

describe("INCRBYFLOAT in long double", () => {
  // What redis-server 7.0.15 (Debian, x86-64) answers to SET k <base> then INCRBYFLOAT k <by>.
  const redisAnswers: Array<[string, string, string]> = [
    ["10.5", "0.1", "10.6"],
    ["0", "0.1", "0.1"],
    ["0.1", "0.2", "0.3"],
    ["300", "0.1", "300.10000000000000001"],
    ["1.5", "-0.25", "1.25"],
    ["3", "0", "3"],
    ["-0", "0", "0"],
    ["5.0e3", "0", "5000"],
    ["1e21", "0", "1000000000000000000000"],
    ["3e-7", "0", "0.0000003"],
    ["1.5e-17", "0", "0.00000000000000002"],
    ["1e-20", "0", "0"],
    ["2", "0x10", "18"],
    ["0", "0x1p-3", "0.125"],
    ["0", "1e-4940", "0"],
    ["0", "9223372036854775807", "9223372036854775807"],
    ["-9223372036854775808", "-1", "-9223372036854775809"],
    ["1.1", "2.2", "3.3"],
    ["100", "-100", "0"],
    ["0", "0x1p-18", "0.00000381469726562"], // a tie at the 18th digit, to even
    ["0", "0x3p-18", "0.00001144409179688"], // a tie, to even, upward
    ["0", "2.5e-17", "0.00000000000000002"],
    ["0", "-1e-18", "0"],
    ["0", "123456789012345678901234567890", "123456789012345678899921813504"],
    ["0.3333333333333333333", "0", "0.33333333333333333"],
    ["0", ".5", "0.5"],
    ["0", "5.", "5"],
    ["0", "+.5e1", "5"],
    ["0", "0X1.8P1", "3"],
    [
      "0",
      "1e400",
      "10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880",
    ],
  ];
  const incrByFloat = (base: string, by: string): string | undefined => {
    const a = readLongDouble(base);
    const b = readLongDouble(by);
    if (typeof a !== "object" || typeof b !== "object") return undefined;
    const sum = addLongDouble(a, b);
    return sum === undefined ? undefined : formatLongDouble(sum);
  };
  for (const [base, by, answer] of redisAnswers) {
    test(`${base} + ${by} is "${answer}"`, () => assert.equal(incrByFloat(base, by), answer));
  }
  test("1e4932 + 1e4932 overflows, as Redis's NaN-or-Infinity error says", () => {
    assert.equal(incrByFloat("1e4932", "1e4932"), undefined);
  });
  test("inf reads as an infinity; nan, underflows to zero and partial numbers do not read", () => {
    assert.equal(readLongDouble("inf"), "infinity");
    assert.equal(readLongDouble("-Infinity"), "-infinity");
    for (const text of ["nan", "1e-5000", "1e", "0x", "", " 1", "1 ", ".", "e5", "--1", "0x1p"]) {
      assert.equal(readLongDouble(text), undefined, text);
    }
    assert.equal(readLongDouble("1".repeat(5 * 1024)), undefined);
  });
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
