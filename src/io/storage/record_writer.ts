/**
 * Writes a batch's records as one MessagePack array (https://github.com/msgpack/msgpack/blob/
 * master/spec.md), the bytes record_codec.ts reads back. A plain `SET key value` — no option, most
 * of a Redis workload — is written by hand: two fixed maps around two strings, about a fifth of
 * what msgpackr's generic object walk costs. Every other record goes through msgpackr. The bytes
 * differ from msgpackr's own only in map field order, which a reader does not see; strings get the
 * smallest header that holds them, as msgpackr writes them, so record_bytes.ts's bound holds.
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
    // Stops at the first plain SET, which in a Redis load is the first record.
    if (!records.some(isPlainSet)) return this.packr.pack(records);
    const builder = this.builder;
    builder.reset();
    builder.arrayHeader(records.length);
    for (const record of records) {
      if (isPlainSet(record)) {
        builder.copy(setRecordHead);
        builder.string(record.command.key);
        builder.copy(setRecordValueField);
        builder.string(record.command.value);
      } else {
        builder.copy(this.packr.pack(record));
      }
    }
    return builder.take();
  }
}
