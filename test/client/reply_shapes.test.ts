import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  parseCasReply,
  parseCountReply,
  parseGetReply,
  parseIncrReply,
  parseSetReply,
} from "../../src/client/reply_shapes.js";
import { classifyServerError } from "../../src/client/server_errors.js";
import { parseStatusReply } from "../../src/client/status_reply.js";

const endpoint = { host: "127.0.0.1", port: 7380 };

test("each command's reply shape is read with its offset", () => {
  assert.deepEqual(parseSetReply(["OK", "12"]), { ok: true, value: { result: true, offset: 12 } });
  assert.deepEqual(parseSetReply([null, "13"]), { ok: true, value: { result: false, offset: 13 } });
  assert.deepEqual(parseCountReply(["3", "14"]), { ok: true, value: { result: 3, offset: 14 } });
  assert.deepEqual(parseIncrReply(["9223372036854775807", "15"]), {
    ok: true,
    value: { result: 9223372036854775807n, offset: 15 },
  });
  assert.deepEqual(parseCasReply(["1", "16", null]), {
    ok: true,
    value: { result: { swapped: true }, offset: 16 },
  });
  assert.deepEqual(parseCasReply(["0", "17", ["a", "b"]]), {
    ok: true,
    value: { result: { swapped: false, current: ["a", "b"] }, offset: 17 },
  });
  assert.deepEqual(parseGetReply(["v", "20", "18"]), {
    ok: true,
    value: { value: "v", offset: 20, version: 18 },
  });
  assert.deepEqual(parseGetReply([null, "20", null]), {
    ok: true,
    value: { value: null, offset: 20, version: null },
  });
});

test("a bad offset or an unexpected shape is a failure that says what was wrong", () => {
  const cases: Array<[unknown, RegExp]> = [
    [parseSetReply(["OK", "1.5"]), /offset is not an integer: "1.5"/],
    [parseSetReply(["OK", "-3"]), /offset is out of range/],
    [parseSetReply(["OK", "99999999999999999999"]), /offset is out of range/],
    [parseSetReply(["OK", "007"]), /not an integer/],
    [parseSetReply(["YES", "1"]), /set result is not OK or nil/],
    [parseSetReply("OK"), /expected an array of 2/],
    [parseGetReply(["v", "1"]), /expected an array of 3/],
    [parseGetReply([["a", ["b"]], "1", "1"]), /value is not a string, a list or nil/],
    [parseGetReply(["v", "1", "x"]), /version is not an integer/],
    [parseCasReply(["2", "1", null]), /cas swapped is not 1 or 0/],
    [parseIncrReply(["ten", "1"]), /incr value is not an integer/],
  ];
  for (const [result, pattern] of cases) {
    assert.equal((result as { ok: boolean }).ok, false);
    assert.match((result as { detail: string }).detail, pattern);
  }
});

test("no reply, however malformed, makes a parser or the error table throw", () => {
  const json = fc.jsonValue();
  fc.assert(
    fc.property(json, fc.string(), (reply, message) => {
      for (const parse of [
        parseSetReply,
        parseCountReply,
        parseIncrReply,
        parseCasReply,
        parseGetReply,
      ]) {
        parse(reply);
      }
      parseStatusReply(reply, endpoint);
      classifyServerError(message);
    }),
  );
});

test("every error code of docs/commands.md is classified by whether a write happened", () => {
  const table: Array<[string, unknown]> = [
    [
      "NOTLEADER 2 127.0.0.1:7382 not the leader",
      { kind: "redirect", leader: { id: 2, endpoint: { host: "127.0.0.1", port: 7382 } } },
    ],
    ["NOTLEADER ? ? no leader known", { kind: "redirect", leader: undefined }],
    ["READONLY You can't write against a read only replica.", { kind: "redirect" }],
    ["NOTSECONDARY this node leads", { kind: "refused", reason: "not_secondary" }],
    ["STALE 12000 ms behind", { kind: "refused", reason: "too_stale" }],
    ["UNSATISFIABLE w=4 on 3 replicas", { kind: "refused", reason: "unsatisfiable" }],
    ["BUSY too many waiting", { kind: "refused", reason: "overloaded" }],
    ["SNAPSHOTTOOOLD below 40", { kind: "refused", reason: "snapshot_too_old" }],
    ["ERR syntax error", { kind: "refused", reason: "invalid" }],
    ["WTIMEOUT 41 concern not met", { kind: "write_timeout", offset: 41 }],
    ["WTIMEOUT soon", { kind: "unrecognized" }],
    ["UNKNOWN 42 leadership lost", { kind: "write_unknown", offset: 42 }],
    ["TIMEOUT read waited 100 ms", { kind: "read_timeout" }],
    ["MOVED 3999 127.0.0.1:6381", { kind: "unrecognized" }],
  ];
  for (const [message, expected] of table) {
    const { message: _, ...classified } = classifyServerError(message) as { message: string };
    assert.deepEqual(classified, expected, message);
  }
});

test("a status reply's fields are read; a malformed one is a failure", () => {
  const status = parseStatusReply(
    ["role", "leader", "epoch", "3", "leader", "1", "leo", "10", "commit", "9", "durable", "10"],
    endpoint,
  );
  assert.ok(status.ok);
  assert.equal(status.value.role, "leader");
  assert.deepEqual(
    [status.value.epoch, status.value.leo, status.value.commit, status.value.durable],
    [3, 10, 9, 10],
  );
  assert.equal(parseStatusReply(["role"], endpoint).ok, false);
  assert.equal(parseStatusReply([1, 2], endpoint).ok, false);
});
