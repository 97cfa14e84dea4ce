/**
 * The plain `SET key value` record — no option, most of a Redis workload — and the fixed bytes
 * around its two strings in a MessagePack batch (https://github.com/msgpack/msgpack/blob/master/
 * spec.md). record_writer.ts writes these bytes by hand and record_reader.ts reads them back.
 */
import type { LogRecord } from "../../core/replica/index.js";
import type { KvCommand } from "../../core/state/index.js";
import { fixstr } from "./pack_builder.js";

type SetCommand = Extract<KvCommand, { kind: "set" }>;
export type PlainSetRecord = { kind: "kv"; command: SetCommand };

/** The optional fields a plain SET leaves undefined (kv_ops.ts); any of them set → msgpackr. */
const setOptionFields: ReadonlySet<string> = new Set<keyof SetCommand>([
  "condition",
  "expireAtMs",
  "keepTtl",
  "returnOld",
]);

export function isPlainSet(record: LogRecord): record is PlainSetRecord {
  // Malformed records reach here from tests of the decoder: look before touching.
  return record.kind === "kv" && isPlainSetCommand(record.command);
}

export function isPlainSetCommand(command: KvCommand): command is SetCommand {
  const fields = command as unknown as Record<string, unknown>;
  if (typeof fields !== "object" || fields === null || fields["kind"] !== "set") return false;
  for (const field in fields) {
    if (field === "kind" || field === "key" || field === "value") continue;
    // An unknown field could be new data: only undefined options may be left out.
    if (!setOptionFields.has(field) || fields[field] !== undefined) return false;
  }
  return typeof fields["key"] === "string" && typeof fields["value"] === "string";
}

/** `{kind: "kv", command: {kind: "set", key: ` — the key string follows. */
export const setRecordHead = Buffer.from([
  0x82,
  ...fixstr("kind"),
  ...fixstr("kv"),
  ...fixstr("command"),
  0x83,
  ...fixstr("kind"),
  ...fixstr("set"),
  ...fixstr("key"),
]);

/** `, value: ` — the value string follows. */
export const setRecordValueField = Buffer.from(fixstr("value"));
