/**
 * Reply bytes, row by row, as Redis writes them for RESP2 and RESP3 clients
 * (redis/redis@4f8cdc2a src/networking.c addReplyNull, addReplyNullArray, addReplyMapLen,
 * addReplySetLen, addReplyDouble, addReplyBool, addReplyBigNum, addReplyVerbatim), and doubles
 * as d2string prints them (src/util.c:665, deps/fpconv/fpconv_dtoa.c).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  encodeReply,
  formatDouble,
  type Reply,
  replies,
} from "../../../src/protocols/resp/index.js";

const {
  array,
  bigNumber,
  boolean,
  bulk,
  double,
  error,
  integer,
  map,
  nullReply,
  ok,
  push,
  set,
  verbatim,
} = replies;

const rows: Array<[string, Reply, string, string]> = [
  ["simple", ok, "+OK\r\n", "+OK\r\n"],
  ["error", error("ERR bad\r\nthing"), "-ERR bad  thing\r\n", "-ERR bad  thing\r\n"],
  ["integer", integer(-42), ":-42\r\n", ":-42\r\n"],
  ["int64", integer(-(2n ** 63n)), ":-9223372036854775808\r\n", ":-9223372036854775808\r\n"],
  // A string is latin1, one byte a char, as the store holds values; short ones copied in a loop.
  ["bulk", bulk("h\xe9llo"), "$5\r\nh\xe9llo\r\n", "$5\r\nh\xe9llo\r\n"],
  [
    "long bulk",
    bulk("\xff".repeat(70)),
    `$70\r\n${"\xff".repeat(70)}\r\n`,
    `$70\r\n${"\xff".repeat(70)}\r\n`,
  ],
  ["empty bulk", bulk(Buffer.alloc(0)), "$0\r\n\r\n", "$0\r\n\r\n"],
  ["null bulk", bulk(null), "$-1\r\n", "_\r\n"],
  ["null", nullReply, "$-1\r\n", "_\r\n"],
  ["null array", array(null), "*-1\r\n", "_\r\n"],
  ["array", array([integer(1), bulk("a")]), "*2\r\n:1\r\n$1\r\na\r\n", "*2\r\n:1\r\n$1\r\na\r\n"],
  ["empty array", array([]), "*0\r\n", "*0\r\n"],
  [
    "map",
    map([
      [bulk("server"), bulk("redis")],
      [bulk("proto"), integer(3)],
    ]),
    "*4\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n",
    "%2\r\n$6\r\nserver\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n",
  ],
  ["empty map", map([]), "*0\r\n", "%0\r\n"],
  ["set", set([bulk("a")]), "*1\r\n$1\r\na\r\n", "~1\r\n$1\r\na\r\n"],
  ["double", double(1.5), "$3\r\n1.5\r\n", ",1.5\r\n"],
  ["integral double", double(3), "$1\r\n3\r\n", ",3\r\n"],
  ["inf", double(Number.POSITIVE_INFINITY), "$3\r\ninf\r\n", ",inf\r\n"],
  ["nan", double(Number.NaN), "$3\r\nnan\r\n", ",nan\r\n"],
  ["true", boolean(true), ":1\r\n", "#t\r\n"],
  ["false", boolean(false), ":0\r\n", "#f\r\n"],
  [
    "big number",
    bigNumber(3492890328409238509324850943850943825024385n),
    "$43\r\n3492890328409238509324850943850943825024385\r\n",
    "(3492890328409238509324850943850943825024385\r\n",
  ],
  [
    "verbatim",
    verbatim("txt", "Some string"),
    "$11\r\nSome string\r\n",
    "=15\r\ntxt:Some string\r\n",
  ],
  ["verbatim short format", verbatim("md", "x"), "$1\r\nx\r\n", "=5\r\nmd :x\r\n"],
  [
    "push",
    push([bulk("message"), bulk("ch"), bulk("hi")]),
    "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
    ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
  ],
  [
    "attribute",
    { kind: "attribute", entries: [[bulk("ttl"), integer(5)]], reply: ok },
    "+OK\r\n",
    "|1\r\n$3\r\nttl\r\n:5\r\n+OK\r\n",
  ],
];

for (const [name, reply, resp2, resp3] of rows) {
  test(`${name}: RESP2 and RESP3 bytes`, () => {
    assert.equal(encodeReply(reply, 2).toString("latin1"), resp2);
    assert.equal(encodeReply(reply, 3).toString("latin1"), resp3);
  });
}

const doubles: Array<[number, string]> = [
  [0, "0"],
  [-0, "-0"],
  [Number.NEGATIVE_INFINITY, "-inf"],
  [1.5, "1.5"],
  [-2.5, "-2.5"],
  [0.1, "0.1"],
  [123.456, "123.456"],
  [0.0001, "0.0001"],
  [1e-7, "1e-7"],
  [1.5e-10, "1.5e-10"],
  [12345678.90123456, "1.234567890123456e+7"],
  [2 ** 62, "4611686018427387904"],
  [-(2 ** 62), "-4611686018427387904"],
  [2 ** 63, "9223372036854776000"],
  [1e20, "1e+20"],
  [1e300, "1e+300"],
  [-1.7976931348623157e308, "-1.7976931348623157e+308"],
  [5e-324, "5e-324"],
];

for (const [value, text] of doubles) {
  test(`d2string(${value}) = ${text}`, () => {
    assert.equal(formatDouble(value), text);
    if (!Number.isNaN(value)) assert.ok(Object.is(Number(text.replace("inf", "Infinity")), value));
  });
}
