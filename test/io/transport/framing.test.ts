import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { encodeFrames, FrameDecoder, peerFrameBytesMax } from "../../../src/io/transport/index.js";
import { AssertionError } from "../../../src/util/assert.js";

/** Feeds `bytes` to a decoder cut at `cuts` and returns every frame (as arrays) or error read. */
function decodeChunked(bytes: Buffer, cuts: readonly number[], frameBytesMax?: number): unknown[] {
  const decoder = new FrameDecoder(frameBytesMax);
  const out: unknown[] = [];
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let start = 0;
  for (const end of [...points, bytes.length]) {
    decoder.write(bytes.subarray(start, end));
    start = end;
    for (let frame = decoder.read(); frame !== undefined; frame = decoder.read()) {
      out.push(Buffer.isBuffer(frame) ? [...frame] : frame);
      if (!Buffer.isBuffer(frame)) return out;
    }
  }
  return out;
}

test("any chunking of a stream yields the same frames", () => {
  fc.assert(
    fc.property(
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
      fc.array(fc.nat(), { maxLength: 40 }),
      (payloads, cuts) => {
        const bytes = encodeFrames(payloads);
        assert.deepEqual(
          decodeChunked(bytes, cuts),
          payloads.map((p) => [...p]),
        );
      },
    ),
    { numRuns: 1000 },
  );
});

test("one byte at a time yields the frames, and a partial frame waits", () => {
  const bytes = encodeFrames([Buffer.from("ab"), Buffer.alloc(0), Buffer.from("cde")]);
  const everyByte = [...bytes.keys()];
  assert.deepEqual(decodeChunked(bytes, everyByte), [[97, 98], [], [99, 100, 101]]);
  const decoder = new FrameDecoder();
  decoder.write(bytes.subarray(0, bytes.length - 1));
  assert.deepEqual([...(decoder.read() as Buffer)], [97, 98]);
  assert.deepEqual([...(decoder.read() as Buffer)], []);
  assert.equal(decoder.read(), undefined);
  assert.equal(decoder.pendingBytes, 6);
});

test("a frame above the limit is an error that sticks, even before its payload arrives", () => {
  const decoder = new FrameDecoder(16);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(17);
  decoder.write(encodeFrames([Buffer.alloc(16, 1)]));
  decoder.write(header);
  assert.equal((decoder.read() as Buffer).length, 16);
  const error = { kind: "frame_too_large", frameBytes: 17, frameBytesMax: 16 };
  assert.deepEqual(decoder.read(), error);
  decoder.write(encodeFrames([Buffer.from("x")]));
  assert.deepEqual(decoder.read(), error);
  assert.equal(decoder.pendingBytes, 0);
});

test("the default limit is 64 MiB and a u32 length above it is refused", () => {
  assert.equal(peerFrameBytesMax, 64 * 1024 * 1024);
  const decoder = new FrameDecoder();
  decoder.write(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  assert.deepEqual(decoder.read(), {
    kind: "frame_too_large",
    frameBytes: 2 ** 32 - 1,
    frameBytesMax: peerFrameBytesMax,
  });
});

test("the writer refuses to frame a payload above the limit", () => {
  assert.throws(() => encodeFrames([Buffer.alloc(17)], 16), AssertionError);
});
