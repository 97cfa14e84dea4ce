/** The store interface that protocol faces and the client call (DESIGN.md §3). */
export * from "./core_types.js";
export type {
  NodeAddress,
  ReadConcernInput,
  ReplicaView,
  ShardRole,
  ShardView,
  Store,
  StoreReadOutcome,
  StoreWriteOutcome,
  Topology,
  WriteConcernInput,
  WriteListener,
} from "./store.js";
