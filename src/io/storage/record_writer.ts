/**
 * Writes a batch's records as one MessagePack array (https://github.com/msgpack/msgpack/blob/
 * master/spec.md), the bytes record_codec.ts reads back. A plain `SET key value` — no option, most
 * of a Redis workload — is two fixed maps around two strings. Every other record is walked here as
 * msgpackr walks it with the codec's options (maps of the own fields that are not undefined, in
 * their order; integers of 32 bits or less in their smallest form, other numbers as float64,
 * bigints as int64), without msgpackr's per-value dispatch, which was a sixth of a node's CPU
 * under INCR. A record holding anything else (a Buffer, a Map, undefined in an array) goes to
 * msgpackr whole. The bytes differ from msgpackr's own only in map field order for the plain
 * SET, which a reader does not see; strings get the smallest header that holds them, as msgpackr
 * writes them, so record_bytes.ts's bound holds.
 */
import type { Packr } from "msgpackr";
import type { LogRecord } from "../../core/replica/index.js";
import { PackBuilder } from "./pack_builder.js";
import { isPlainSet, setRecordHead, setRecordValueField } from "./plain_set_record.js";

export class RecordWriter {
  private readonly builder = new PackBuilder();

  constructor(private readonly packr: Packr) {}

  /** The records' bytes, in a buffer of their own. */
  write(records: readonly LogRecord[]): Buffer {
    const builder = this.builder;
    builder.reset();
    builder.arrayHeader(records.length);
    for (const record of records) {
      if (isPlainSet(record)) {
        builder.copy(setRecordHead);
        builder.string(record.command.key);
        builder.copy(setRecordValueField);
        builder.string(record.command.value);
        continue;
      }
      const mark = builder.mark;
      if (!writeValue(builder, record)) {
        builder.rewind(mark);
        builder.copy(this.packr.pack(record));
      }
    }
    return builder.take();
  }
}

/**
 * Writes `value`, a record or a part of one; false, leaving bytes for the caller to rewind, at a
 * value msgpackr must write.
 */
function writeValue(builder: PackBuilder, value: unknown): boolean {
  switch (typeof value) {
    case "string":
      builder.string(value);
      return true;
    case "number":
      builder.number(value);
      return true;
    case "boolean":
      builder.boolean(value);
      return true;
    case "bigint":
      return builder.bigint(value);
    case "object":
      if (value === null) {
        builder.nil();
        return true;
      }
      if (Array.isArray(value)) {
        builder.arrayHeader(value.length);
        for (const item of value) if (!writeValue(builder, item)) return false;
        return true;
      }
      return (
        Object.getPrototypeOf(value) === Object.prototype &&
        writeFields(builder, value as Record<string, unknown>)
      );
    default:
      return false;
  }
}

/** A plain object as a map of its own fields that are not undefined (msgpackr's `skipValues`). */
function writeFields(builder: PackBuilder, object: Record<string, unknown>): boolean {
  let count = 0;
  for (const field in object) {
    if (Object.hasOwn(object, field) && object[field] !== undefined) count++;
  }
  builder.mapHeader(count);
  for (const field in object) {
    const fieldValue = object[field];
    if (!Object.hasOwn(object, field) || fieldValue === undefined) continue;
    builder.string(field);
    if (!writeValue(builder, fieldValue)) return false;
  }
  return true;
}
