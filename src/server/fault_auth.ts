/**
 * Signing of the admin fault requests (issue 6). The header `x-onelog-signature` carries the
 * hex HMAC-SHA256, keyed by the cluster secret, of `<METHOD>\n<body>`; the secret itself never
 * crosses the wire. There is no nonce: a captured request can be replayed, which on loopback
 * (where the lab runs) needs someone who can already read the node's traffic.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { FaultSettings } from "../io/transport/index.js";

export const faultSignatureHeader = "x-onelog-signature";

export function signFaultRequest(clusterSecret: string, method: string, body: string): string {
  return createHmac("sha256", clusterSecret).update(`${method}\n${body}`).digest("hex");
}

export function verifyFaultSignature(
  clusterSecret: string,
  method: string,
  body: string,
  signature: string,
): boolean {
  const expected = Buffer.from(signFaultRequest(clusterSecret, method, body), "hex");
  const given = Buffer.from(signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type ParsedFaults =
  | { kind: "ok"; settings: Partial<FaultSettings> }
  | { kind: "error"; message: string };

/** Checks a fault body field by field; unknown fields are an error, not silently ignored. */
export function parseFaultSettings(body: string): ParsedFaults {
  let value: unknown;
  try {
    value = JSON.parse(body === "" ? "{}" : body);
  } catch {
    return { kind: "error", message: "body is not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "error", message: "body must be a JSON object" };
  }
  const settings: { -readonly [K in keyof FaultSettings]?: FaultSettings[K] } = {};
  for (const [field, given] of Object.entries(value)) {
    switch (field) {
      case "blockedTo":
      case "blockedFrom":
        if (!Array.isArray(given) || !given.every((id) => Number.isInteger(id) && id > 0)) {
          return { kind: "error", message: `${field}: expected an array of node ids` };
        }
        settings[field] = given as FaultSettings["blockedTo"];
        break;
      case "lossRate":
        if (typeof given !== "number" || !(given >= 0 && given <= 1)) {
          return { kind: "error", message: "lossRate: expected a number in [0, 1]" };
        }
        settings.lossRate = given;
        break;
      case "delayMs":
      case "delayJitterMs":
        if (typeof given !== "number" || !(given >= 0 && given <= 60_000)) {
          return { kind: "error", message: `${field}: expected 0 to 60000 ms` };
        }
        settings[field] = given;
        break;
      default:
        return { kind: "error", message: `unknown field ${field}` };
    }
  }
  return { kind: "ok", settings };
}
