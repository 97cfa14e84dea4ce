/**
 * C's `%.Ng` (c_format.ts) against what C prints (Python's `%` formatting, which rounds the exact
 * value of the double half to even as glibc's printf does): the ties JavaScript rounds the other
 * way, the switch between fixed and exponential forms, the extremes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatG } from "../../../../src/protocols/resp/scripting/c_format.js";

const printed: Array<[number, number, string]> = [
  [123456789012345, 14, "1.2345678901234e+14"],
  [0.1, 17, "0.10000000000000001"],
  [3, 17, "3"],
  [1e20, 17, "1e+20"],
  [1 / 3, 14, "0.33333333333333"],
  [0.125, 2, "0.12"],
  [2.5, 1, "2"],
  [1e-5, 17, "1.0000000000000001e-05"],
  [123.456, 14, "123.456"],
  [1e16, 17, "10000000000000000"],
  [1e17, 17, "1e+17"],
  [-7, 17, "-7"],
  [0.000123, 14, "0.000123"],
  [5e-324, 17, "4.9406564584124654e-324"],
  [1.7976931348623157e308, 17, "1.7976931348623157e+308"],
  [100, 2, "1e+02"],
  [999.5, 3, "1e+03"],
  [0.5, 1, "0.5"],
  [1.5, 1, "2"],
  [-0, 17, "-0"],
  [2 ** 53, 14, "9.007199254741e+15"],
  [0.30000000000000004, 17, "0.30000000000000004"],
  [-1.25e-7, 14, "-1.25e-07"],
  [9.5, 1, "1e+01"],
  [8.5, 1, "8"],
];

test("%.Ng prints as C prints, ties to even", () => {
  for (const [value, precision, expected] of printed) {
    assert.equal(formatG(value, precision), expected, `%.${precision}g of ${value}`);
  }
});

test("non-finite values print as glibc prints them", () => {
  assert.equal(formatG(Number.NaN, 17), "nan");
  assert.equal(formatG(Number.POSITIVE_INFINITY, 14), "inf");
  assert.equal(formatG(Number.NEGATIVE_INFINITY, 14), "-inf");
});
