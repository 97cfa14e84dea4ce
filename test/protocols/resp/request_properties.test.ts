/**
 * Properties of the request decoder: commands survive encode-then-decode with binary arguments;
 * any split of a pipelined stream gives the same commands and error; arbitrary bytes never
 * throw, end in commands and at most one error, and never make it hold more than its limits.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { RespRequestDecoder } from "../../../src/protocols/resp/index.js";
import { decodeChunks, encodeCommand, splitAt } from "./support.js";

const argument = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b));
const command = fc.array(argument, { minLength: 1, maxLength: 6 });
const cuts = fc.array(fc.nat(), { maxLength: 20 });

/** Inline-safe words: no blanks, quotes or NUL, so the line splits back into them. */
const word = fc.stringMatching(/^[A-Za-z0-9:_.-]{1,8}$/);

/** A piece of a pipelined stream and the commands it stands for. */
const piece: fc.Arbitrary<[Buffer, string[][]]> = fc.oneof(
  command.map((args): [Buffer, string[][]] => [
    encodeCommand(args),
    [args.map((a) => a.toString("latin1"))],
  ]),
  fc
    .tuple(fc.array(word, { minLength: 1, maxLength: 4 }), fc.constantFrom("\n", "\r\n"))
    .map(([words, end]): [Buffer, string[][]] => [Buffer.from(words.join(" ") + end), [words]]),
  fc.constantFrom<[Buffer, string[][]]>(
    [Buffer.from("\r\n"), []],
    [Buffer.from("*0\r\n"), []],
    [Buffer.from("*-1\r\n"), []],
    [Buffer.from("SET \"a b\" 'c\\'d'\r\n"), [["SET", "a b", "c'd"]]],
  ),
);

test("round trip: pipelined commands come back as they were sent, however split", () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 8 }), cuts, (pieces, at) => {
      const stream = Buffer.concat(pieces.map(([bytes]) => bytes));
      const expected = pieces.flatMap(([, commands]) => commands);
      const decoded = decodeChunks(splitAt(stream, at));
      assert.equal(decoded.error, undefined);
      assert.deepEqual(decoded.commands, expected);
    }),
    { numRuns: 500 },
  );
});

/** Bytes that are often nearly RESP: headers, lengths, quotes, line ends, and noise. */
const nearlyResp = fc
  .array(
    fc.oneof(
      fc.constantFrom("*", "$", "\r\n", "\r", "\n", "1", "2", "3", "-1", "0", "10", '"', "'"),
      fc.constantFrom(
        "\\",
        "\\x4",
        " ",
        "GET",
        "a",
        "\u0000",
        "*2\r\n",
        "$3\r\nabc\r\n",
        "9".repeat(25),
      ),
      fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b).toString("latin1")),
    ),
    { maxLength: 60 },
  )
  .map((parts) => Buffer.from(parts.join(""), "latin1"));
const anyBytes = fc.oneof(
  nearlyResp,
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
);

const small = { inlineBytesMax: 24, bulkBytesMax: 48, queryBufferBytesMax: 128 };

test("chunking: any split of any bytes gives the same commands and the same error", () => {
  fc.assert(
    fc.property(anyBytes, cuts, fc.boolean(), (bytes, at, authRequired) => {
      // The query buffer limit is left at its default here: it bounds what one write adds.
      const limits = { inlineBytesMax: 24, bulkBytesMax: 48 };
      const whole = decodeChunks([bytes], { limits, authRequired });
      assert.deepEqual(decodeChunks(splitAt(bytes, at), { limits, authRequired }), whole);
    }),
    { numRuns: 1000 },
  );
});

test("arbitrary bytes: no throw, at most one error, and the limits always hold", () => {
  fc.assert(
    fc.property(anyBytes, cuts, (bytes, at) => {
      const decoder = new RespRequestDecoder({ limits: small });
      let errors = 0;
      for (const chunk of splitAt(bytes, at)) {
        decoder.write(chunk);
        assert.ok(decoder.bufferedBytes <= small.queryBufferBytesMax, "query buffer limit");
        for (let out = decoder.next(); out !== undefined; out = decoder.next()) {
          if (!Array.isArray(out)) {
            errors++;
            assert.ok(out.reply === undefined || out.reply.startsWith("ERR Protocol error: "));
            continue;
          }
          assert.equal(errors, 0, "nothing after the error");
          assert.ok(out.length > 0);
          for (const arg of out) assert.ok(arg.length <= small.bulkBytesMax, "bulk limit");
        }
        assert.ok(decoder.bufferedBytes <= small.queryBufferBytesMax, "query buffer limit");
      }
      assert.ok(errors <= 1);
    }),
    { numRuns: 1000 },
  );
});
