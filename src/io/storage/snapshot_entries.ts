/**
 * A slice of a snapshot's entries as one MessagePack array, the bytes snapshot_file.ts reads
 * back with msgpackr. A string value without an expiry — most keys of a Redis workload — is
 * written by hand, as the plain SET record is (record_writer.ts): a compaction writes an entry
 * for every key, and with many keys that was a tenth of a node's CPU under msgpackr's walk.
 * Every other entry goes through msgpackr; field order differs from msgpackr's, which a reader
 * does not see.
 */
import type { Packr } from "msgpackr";
import { isStringEntry, type StringEntry } from "../../core/replica/index.js";
import type { KvSnapshotEntry } from "../../core/state/index.js";
import { fixstr, PackBuilder } from "./pack_builder.js";

const versionMax = 0xffff_ffff;

/** An entry written by hand: a string entry (isStringEntry) whose version is below 2^32. */
export function isHandWritten(entry: KvSnapshotEntry): entry is StringEntry {
  const { version } = entry;
  return Number.isInteger(version) && version >= 0 && version <= versionMax && isStringEntry(entry);
}

/** `{key: ` — the key string follows. */
const entryHead = Buffer.from([0x83, ...fixstr("key")]);
/** `, value: {type: "string", data: ` — the value string follows. */
const entryValueField = Buffer.from([
  ...fixstr("value"),
  0x82,
  ...fixstr("type"),
  ...fixstr("string"),
  ...fixstr("data"),
]);
/** `}, version: ` — the version follows. */
const entryVersionField = Buffer.from(fixstr("version"));

export class SnapshotEntriesWriter {
  private readonly builder = new PackBuilder();

  constructor(private readonly packr: Packr) {}

  /** `entries[start, end)` as one array, in a buffer of its own. */
  write(entries: readonly KvSnapshotEntry[], start: number, end: number): Buffer {
    const builder = this.builder;
    builder.reset();
    builder.arrayHeader(end - start);
    for (let index = start; index < end; index++) {
      const entry = entries[index] as KvSnapshotEntry;
      if (isHandWritten(entry)) {
        builder.copy(entryHead);
        builder.string(entry.key);
        builder.copy(entryValueField);
        builder.string(entry.value.data);
        builder.copy(entryVersionField);
        builder.unsigned(entry.version);
      } else {
        builder.copy(this.packr.pack(entry));
      }
    }
    return builder.take();
  }
}
