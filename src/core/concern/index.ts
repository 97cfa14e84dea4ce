export { ParkedReads, type ReadView } from "./read.js";
export { type ReplicaCandidate, selectReplicas } from "./read_preference.js";
export type {
  ClientReply,
  ReadConcern,
  ReadLevel,
  ReadOutcome,
  ReadPreference,
  ReadRequest,
  RejectReason,
  RequestId,
  WriteConcern,
  WriteOutcome,
  WriteRequest,
} from "./types.js";
export { concernReached, PendingWrites, unsatisfiableReason } from "./write.js";
