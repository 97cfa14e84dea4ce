/**
 * `OL.STATUS` as RESP2 sends it: a flat array of alternating field names and values
 * (docs/commands.md). The fields a client routes by (role, leader) and the log positions are
 * lifted out; everything else stays in `fields` as sent.
 */
import { describe, type Parsed } from "./reply_shapes.js";
import type { Endpoint, NodeStatus } from "./types.js";

export function parseStatusReply(reply: unknown, endpoint: Endpoint): Parsed<NodeStatus> {
  if (!Array.isArray(reply) || reply.length % 2 !== 0)
    return { ok: false, detail: `status is not a flat field array: ${describe(reply)}` };
  const fields: Record<string, unknown> = {};
  for (let index = 0; index < reply.length; index += 2) {
    const name = reply[index];
    if (typeof name !== "string")
      return { ok: false, detail: `status field name is not a string: ${describe(name)}` };
    fields[name] = reply[index + 1];
  }
  const status: NodeStatus = { endpoint, fields };
  const text = (name: string) => (typeof fields[name] === "string" ? fields[name] : undefined);
  const number = (name: string) => {
    const value = Number(text(name) ?? Number.NaN);
    return Number.isSafeInteger(value) ? value : undefined;
  };
  status.role = text("role");
  status.leader = text("leader");
  status.epoch = number("epoch");
  status.leo = number("leo");
  status.commit = number("commit");
  status.durable = number("durable");
  return { ok: true, value: status };
}
