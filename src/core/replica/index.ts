export type { Mutation, ReplicaConfig } from "./config.js";
export { type Batch, batchEnd, type LogRecord, ReplicaLog } from "./log.js";
export type { Message, MessageBody } from "./messages.js";
export { processReady, type ReadyShell, type ReadyStorage, writeReady } from "./process_ready.js";
export type { HardState, Ready } from "./ready.js";
export {
  isStringEntry,
  plainSetRecordBytesBound,
  recordBytesBound,
  recordsBytesBound,
  type StringEntry,
  snapshotElementBytesBound,
  snapshotEntryBytesBound,
} from "./record_bytes.js";
export {
  Replica,
  type ReplicaOptions,
  type ReplicaStatus,
  type Role,
} from "./replica.js";
export type { Snapshot, SnapshotKind } from "./snapshot.js";
export { elementsOf } from "./snapshot_entry_parts.js";
export type { SnapshotChunk, SnapshotPosition } from "./snapshot_transfer.js";
