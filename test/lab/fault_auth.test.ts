/** The signed fault requests of the admin endpoint: what a wrong secret or a bad body gets. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  parseFaultSettings,
  signFaultRequest,
  verifyFaultSignature,
} from "../../src/server/fault_auth.js";

test("a signature verifies only with the same secret, method and body", () => {
  const body = JSON.stringify({ blockedTo: [2] });
  const signature = signFaultRequest("secret", "POST", body);
  assert.ok(verifyFaultSignature("secret", "POST", body, signature));
  assert.ok(!verifyFaultSignature("other", "POST", body, signature));
  assert.ok(!verifyFaultSignature("secret", "DELETE", body, signature));
  assert.ok(!verifyFaultSignature("secret", "POST", "{}", signature));
  assert.ok(!verifyFaultSignature("secret", "POST", body, "abc"));
});

test("fault bodies are checked field by field", () => {
  assert.deepEqual(parseFaultSettings('{"blockedTo":[1,3],"lossRate":0.5}'), {
    kind: "ok",
    settings: { blockedTo: [1, 3], lossRate: 0.5 },
  });
  assert.deepEqual(parseFaultSettings(""), { kind: "ok", settings: {} });
  for (const bad of ["[1]", "nope", '{"lossRate":2}', '{"blockedFrom":["a"]}', '{"x":1}']) {
    assert.equal(parseFaultSettings(bad).kind, "error", bad);
  }
});
