/**
 * The request decoder on tables of Redis behaviour: multibulk and inline framing, pipelining,
 * skipped empty commands, each protocol error with Redis's text (redis/redis@4f8cdc2a
 * src/networking.c processMultibulkBuffer / processInlineBuffer), limits and terminal errors.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RespRequestDecoder } from "../../../src/protocols/resp/index.js";
import { bytewise, decodeChunks, decodeText, encodeCommand } from "./support.js";

const small = {
  inlineBytesMax: 16,
  bulkBytesMax: 32,
  queryBufferBytesMax: 256,
};

describe("framing", () => {
  test("a multibulk command, a pipelined batch and binary arguments", () => {
    const batch = Buffer.concat([
      encodeCommand(["SET", "k", "v"]),
      encodeCommand(["GET", "k"]),
      encodeCommand([Buffer.from([0, 13, 10, 255]), ""]),
    ]);
    for (const chunks of [[batch], bytewise(batch)]) {
      assert.deepEqual(decodeChunks(chunks).commands, [
        ["SET", "k", "v"],
        ["GET", "k"],
        ["\u0000\r\n\u00ff", ""],
      ]);
    }
  });

  test("commands of up to 64 arguments and of more come out whole, one after the other", () => {
    const many = Array.from({ length: 100 }, (_, index) => `a${index}`);
    const sixtyFour = many.slice(0, 64);
    const batch = Buffer.concat(
      [sixtyFour, ["SET", "k", "v"], many, ["PING"]].map((args) => encodeCommand(args)),
    );
    for (const chunks of [[batch], bytewise(batch)]) {
      const { commands } = decodeChunks(chunks);
      assert.deepEqual(commands, [sixtyFour, ["SET", "k", "v"], many, ["PING"]]);
    }
  });

  test("inline commands end at \\n or \\r\\n; blank lines and *0 / *-1 are skipped", () => {
    const decoded = decodeText("PING\r\n\r\n\n   \r\nSET a  b\n*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n");
    assert.deepEqual(decoded.commands, [["PING"], ["SET", "a", "b"], ["PING"]]);
    assert.equal(decoded.error, undefined);
  });

  test("an incomplete command waits for more bytes", () => {
    const decoder = new RespRequestDecoder();
    decoder.write(Buffer.from("*2\r\n$3\r\nGET\r\n$1\r"));
    assert.equal(decoder.next(), undefined);
    decoder.write(Buffer.from("\nk\r"));
    assert.equal(decoder.next(), undefined);
    decoder.write(Buffer.from("\n"));
    assert.deepEqual(decoder.next(), [Buffer.from("GET"), Buffer.from("k")]);
    assert.equal(decoder.next(), undefined);
    assert.equal(decoder.bufferedBytes, 0);
  });

  test("like Redis, the two bytes after a header's \\r and after bulk data are skipped unread", () => {
    assert.deepEqual(decodeText("*1\rx$3\r\nGETyz").commands, [["GET"]]);
  });

  test("a 1 MB argument arriving in 1 KB chunks comes out whole", () => {
    const value = Buffer.alloc(1024 * 1024);
    for (let index = 0; index < value.length; index++) value[index] = index % 251;
    const bytes = Buffer.concat([encodeCommand(["SET", "k", value]), encodeCommand(["PING"])]);
    const decoder = new RespRequestDecoder();
    const commands: Buffer[][] = [];
    for (let start = 0; start < bytes.length; start += 1024) {
      decoder.write(bytes.subarray(start, start + 1024));
      for (let out = decoder.next(); out !== undefined; out = decoder.next()) {
        commands.push(out as Buffer[]);
      }
    }
    assert.equal(commands.length, 2);
    assert.ok(commands[0]![2]!.equals(value));
    assert.deepEqual(commands[1], [Buffer.from("PING")]);
  });

  test("arguments already returned stay intact when more chunks arrive", () => {
    const decoder = new RespRequestDecoder();
    decoder.write(Buffer.from("*2\r\n$3\r\nSET\r\n"));
    assert.equal(decoder.next(), undefined);
    decoder.write(Buffer.from("$1\r\na\r\n*1\r\n$4\r\nP"));
    const first = decoder.next();
    decoder.write(Buffer.from("ING\r\n"));
    const second = decoder.next();
    assert.deepEqual(first, [Buffer.from("SET"), Buffer.from("a")]);
    assert.deepEqual(second, [Buffer.from("PING")]);
  });
});

describe("protocol errors carry Redis's reply text", () => {
  const rows: Array<[string, string, string | undefined]> = [
    ["*x\r\n", "invalid_multibulk_length", "ERR Protocol error: invalid multibulk length"],
    ["*01\r\n", "invalid_multibulk_length", "ERR Protocol error: invalid multibulk length"],
    ["*+1\r\n", "invalid_multibulk_length", "ERR Protocol error: invalid multibulk length"],
    ["*2147483648\r\n", "invalid_multibulk_length", "ERR Protocol error: invalid multibulk length"],
    ["*1\r\n$-1\r\n", "invalid_bulk_length", "ERR Protocol error: invalid bulk length"],
    ["*1\r\n$x\r\n", "invalid_bulk_length", "ERR Protocol error: invalid bulk length"],
    ["*1\r\n$33\r\n", "invalid_bulk_length", "ERR Protocol error: invalid bulk length"],
    ["*1\r\nx3\r\n", "expected_dollar", "ERR Protocol error: expected '$', got 'x'"],
    ["*1\r\n\r\n", "expected_dollar", "ERR Protocol error: expected '$', got ' '"],
    ["*2\r\n$1\r\na\r\n:1\r\n", "expected_dollar", "ERR Protocol error: expected '$', got ':'"],
    ['GET "a\r\n', "unbalanced_quotes", "ERR Protocol error: unbalanced quotes in request"],
    ["GET 'a\r\n", "unbalanced_quotes", "ERR Protocol error: unbalanced quotes in request"],
    ['GET "a"b\r\n', "unbalanced_quotes", "ERR Protocol error: unbalanced quotes in request"],
    [`${"x".repeat(17)}`, "too_big_inline_request", "ERR Protocol error: too big inline request"],
    [`${"x".repeat(17)}\n`, "too_big_inline_request", "ERR Protocol error: too big inline request"],
    [`*${"1".repeat(16)}`, "too_big_mbulk_count", "ERR Protocol error: too big mbulk count string"],
    [
      `*${"1".repeat(17)}\r\n`,
      "too_big_mbulk_count",
      "ERR Protocol error: too big mbulk count string",
    ],
    [
      `*1\r\n$${"1".repeat(16)}`,
      "too_big_bulk_count",
      "ERR Protocol error: too big bulk count string",
    ],
    [`*20\r\n${`$20\r\n${"x".repeat(20)}\r\n`.repeat(20)}`, "query_buffer_limit", undefined],
  ];
  for (const [input, code, reply] of rows) {
    test(`${JSON.stringify(input.slice(0, 30))} -> ${code}`, () => {
      const bytes = Buffer.from(input, "latin1");
      for (const chunks of [[bytes], bytewise(bytes)]) {
        const { error } = decodeChunks(chunks, { limits: small });
        assert.equal(error?.code, code);
        assert.equal(error?.reply, reply);
      }
    });
  }

  test("lines at the limit are still accepted", () => {
    const line = `SET k ${"v".repeat(9)}\r`; // 16 bytes before the \n
    assert.deepEqual(decodeText(`${line}\n`, { limits: small }).commands, [
      ["SET", "k", "v".repeat(9)],
    ]);
    assert.deepEqual(decodeText(`*1\r\n$32\r\n${"b".repeat(32)}\r\n`, { limits: small }).commands, [
      ["b".repeat(32)],
    ]);
  });

  test("counts are parsed as string2ll does, to the 64-bit edges", () => {
    assert.deepEqual(decodeText("*-9223372036854775808\r\nPING\r\n").commands, [["PING"]]);
    assert.equal(decodeText("*-9223372036854775809\r\n").error?.code, "invalid_multibulk_length");
    assert.equal(decodeText("*-0\r\n").error?.code, "invalid_multibulk_length");
    assert.equal(decodeText("*1\r\n$-0\r\n").error?.code, "invalid_bulk_length");
    assert.equal(decodeText("*1\r\n$536870913\r\n").error?.code, "invalid_bulk_length");
    // Header lines past the bytes scanned by hand: found by Buffer.indexOf, then refused.
    const long = `*${"1".repeat(40)}\r\n`;
    assert.equal(decodeText(long).error?.code, "invalid_multibulk_length");
    assert.equal(decodeText(`*1\r\n$${"0".repeat(40)}\r\n`).error?.code, "invalid_bulk_length");
    const chunks = bytewise(Buffer.from(long));
    assert.equal(decodeChunks(chunks).error?.code, "invalid_multibulk_length");
  });

  test("a NUL byte after $ is reported raw, as printf %c does", () => {
    assert.equal(
      decodeText("*1\r\n\u0000\r\n").error?.reply,
      "ERR Protocol error: expected '$', got '\u0000'",
    );
  });

  test("the error is terminal: commands before it come out, nothing after it", () => {
    const decoder = new RespRequestDecoder();
    decoder.write(Buffer.from("PING\r\n*x\r\nPING\r\n"));
    assert.deepEqual(decoder.next(), [Buffer.from("PING")]);
    assert.equal((decoder.next() as { code: string }).code, "invalid_multibulk_length");
    assert.equal(decoder.next(), undefined);
    decoder.write(Buffer.from("PING\r\n"));
    assert.equal(decoder.next(), undefined);
    assert.equal(decoder.error?.code, "invalid_multibulk_length");
    assert.equal(decoder.bufferedBytes, 0);
  });
});

describe("limits before AUTH (networking.c authRequired)", () => {
  test("more than 10 arguments, or a bulk over 16384 bytes, is refused", () => {
    const eleven = encodeCommand(Array.from({ length: 11 }, () => "a")).toString("latin1");
    assert.equal(
      decodeText(eleven, { authRequired: true }).error?.reply,
      "ERR Protocol error: unauthenticated multibulk length",
    );
    assert.equal(decodeText(eleven).error, undefined);
    const big = encodeCommand(["SET", "k", "v".repeat(16_385)]).toString("latin1");
    assert.equal(
      decodeText(big, { authRequired: true }).error?.reply,
      "ERR Protocol error: unauthenticated bulk length",
    );
  });

  test("after AUTH the normal limits apply", () => {
    const decoder = new RespRequestDecoder({ authRequired: true });
    decoder.write(encodeCommand(["AUTH", "secret"]));
    assert.deepEqual(decoder.next(), [Buffer.from("AUTH"), Buffer.from("secret")]);
    decoder.setAuthRequired(false);
    decoder.write(encodeCommand(Array.from({ length: 11 }, () => "a")));
    assert.equal((decoder.next() as Buffer[]).length, 11);
  });

  test("the query buffer holds at most 1 MB before AUTH", () => {
    const decoder = new RespRequestDecoder({ authRequired: true });
    decoder.write(Buffer.from("*1\r\n$16384\r\n"));
    decoder.next();
    const errorCode = (): string | undefined => decoder.error?.code;
    for (let index = 0; index < 64; index++) decoder.write(Buffer.alloc(16_384, 120));
    assert.equal(errorCode(), undefined, "1 MB pending is within the limit");
    decoder.write(Buffer.from("x"));
    assert.equal(errorCode(), "query_buffer_limit");
    assert.equal(decoder.next()?.constructor, Object, "the error, not a command");
    assert.equal(decoder.bufferedBytes, 0, "the buffer is dropped");
  });
});
