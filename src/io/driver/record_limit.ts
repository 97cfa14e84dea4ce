/**
 * Refuses a write whose record could outgrow a storage frame (DESIGN.md §12: bad input never
 * crashes a node). RESP takes bulk strings up to 512 MB (proto-max-bulk-len), far beyond a frame,
 * so the check comes before the replica sees the write: once a record is in the log, a frame too
 * large for it is a programmer error that stops the node.
 */
import type { WriteOutcome } from "../../core/concern/index.js";
import { recordBytesBound } from "../../core/replica/index.js";
import type { KvCommand } from "../../core/state/index.js";
import { recordBytesMax } from "../storage/index.js";

type Rejected = Extract<WriteOutcome, { kind: "rejected" }>;

export function oversizedWrite(command: KvCommand): Rejected | undefined {
  if (recordBytesBound({ kind: "kv", command }) <= recordBytesMax) return undefined;
  return {
    kind: "rejected",
    reason: "too_large",
    detail: `value too large: a record holds at most ${recordBytesMax} bytes`,
  };
}
