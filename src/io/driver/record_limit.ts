/**
 * Refuses a write whose record could outgrow a storage frame (DESIGN.md §12: bad input never
 * crashes a node). RESP takes bulk strings up to 512 MB (proto-max-bulk-len), far beyond a frame,
 * so the check comes before the replica sees the write: once a record is in the log, a frame too
 * large for it is a programmer error that stops the node.
 */
import type { WriteOutcome } from "../../core/concern/index.js";
import { plainSetRecordBytesBound, recordBytesBound } from "../../core/replica/index.js";
import type { KvCommand } from "../../core/state/index.js";
import { isPlainSetCommand, recordBytesMax } from "../storage/index.js";

type Rejected = Extract<WriteOutcome, { kind: "rejected" }>;

export function oversizedWrite(command: KvCommand): Rejected | undefined {
  return oversizedRecord(writeRecordBytes(command));
}

/** An upper bound of the bytes a write's record takes in a frame. */
export function writeRecordBytes(command: KvCommand): number {
  if (isPlainSetCommand(command)) return plainSetRecordBytesBound(command.key, command.value);
  return recordBytesBound({ kind: "kv", command });
}

/** The refusal of a record of `bytes` (writeRecordBytes), if it is too large. */
export function oversizedRecord(bytes: number): Rejected | undefined {
  if (bytes <= recordBytesMax) return undefined;
  return {
    kind: "rejected",
    reason: "too_large",
    detail: `value too large: a record holds at most ${recordBytesMax} bytes`,
  };
}
