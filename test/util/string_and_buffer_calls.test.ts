/**
 * The direct calls answer exactly what the methods they stand for answer, for any bytes and any
 * string, whatever its representation (sequential, sliced, cons).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { latin1, setBytes, subarray } from "../../src/util/buffer_calls.js";
import { charCodeAt, substring } from "../../src/util/string_calls.js";

test("latin1 decodes any bytes as toString('latin1') does, views included", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (array, from, to) => {
      const bytes = Buffer.from(array);
      assert.equal(latin1(bytes), bytes.toString("latin1"));
      const start = Math.min(from, bytes.length);
      const view = bytes.subarray(start, Math.max(start, Math.min(to, bytes.length)));
      assert.equal(latin1(view), view.toString("latin1"));
    }),
  );
});

test("subarray is a view of the same bytes, as Buffer's own", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 100 }),
      fc.nat(),
      fc.nat(),
      (array, a, b) => {
        const bytes = Buffer.from(array);
        const start = a % bytes.length;
        const end = start + (b % (bytes.length - start + 1));
        const view = subarray(bytes, start, end);
        assert.ok(Buffer.isBuffer(view));
        assert.deepEqual(view, bytes.subarray(start, end));
        if (view.length > 0) {
          bytes[start] = (bytes[start]! + 1) & 0xff;
          assert.equal(view[0], bytes[start]);
        }
      },
    ),
  );
});

test("charCodeAt and substring answer as the methods do, in every string representation", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ maxLength: 20 }),
      (a, b) => {
        const joined = a + b; // a cons string when long enough
        const sliced = `${joined}${"x".repeat(20)}`.substring(1); // a sliced string
        for (const text of [a, joined, sliced]) {
          for (let index = 0; index <= text.length; index++) {
            assert.ok(Object.is(charCodeAt(text, index), text.charCodeAt(index)));
            assert.equal(substring(text, index, text.length), text.substring(index));
            assert.equal(substring(text, 0, index), text.substring(0, index));
          }
        }
      },
    ),
  );
});

test("setBytes copies as Buffer's copy does, at any offset that holds the bytes", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(64), (source, room) => {
      const at = room % (65 - source.length);
      const target = Buffer.alloc(64, 7);
      const expected = Buffer.alloc(64, 7);
      Buffer.from(source).copy(expected, at);
      setBytes(target, source, at);
      assert.deepEqual(target, expected);
    }),
  );
});
