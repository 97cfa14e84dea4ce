/** Replies of every kind survive encode-then-decode on RESP3, and read as Redis renders them on RESP2. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  decodeReplies,
  encodeReply,
  type Reply,
  ReplyWriter,
  RespReplyDecoder,
} from "../../../src/protocols/resp/index.js";
import { replyArbitrary, seenByResp2, seenByResp3 } from "./reply_arbitraries.js";
import { splitAt } from "./support.js";

test("RESP3: decode(encode(reply)) is the reply", () => {
  fc.assert(
    fc.property(replyArbitrary, (reply) => {
      assert.deepEqual(decodeReplies(encodeReply(reply, 3)), [seenByResp3(reply)]);
    }),
    { numRuns: 500 },
  );
});

test("RESP2: decode(encode(reply)) is the RESP2 rendering of the reply", () => {
  fc.assert(
    fc.property(replyArbitrary, (reply) => {
      assert.deepEqual(decodeReplies(encodeReply(reply, 2)), [seenByResp2(reply)]);
    }),
    { numRuns: 500 },
  );
});

test("a writer's batch of replies decodes in order under any chunking", () => {
  fc.assert(
    fc.property(
      fc.array(replyArbitrary, { minLength: 1, maxLength: 6 }),
      fc.constantFrom<2 | 3>(2, 3),
      fc.array(fc.nat(), { maxLength: 12 }),
      (replies, protocol, cuts) => {
        const writer = new ReplyWriter();
        for (const reply of replies) writer.write(reply, protocol);
        const decoder = new RespReplyDecoder();
        const decoded: Reply[] = [];
        for (const chunk of splitAt(writer.take(), cuts)) {
          decoder.write(chunk);
          for (let r = decoder.next(); r !== undefined; r = decoder.next()) {
            assert.notEqual(r.kind, "reply_decode_error");
            decoded.push(r as Reply);
          }
        }
        const seen = protocol === 3 ? seenByResp3 : seenByResp2;
        assert.deepEqual(decoded, replies.map(seen));
      },
    ),
    { numRuns: 300 },
  );
});
