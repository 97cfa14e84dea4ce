export { KvStateMachine } from "./kv.js";
export type {
  Key,
  KvCommand,
  KvErrorCode,
  KvQuery,
  KvQueryResult,
  KvResult,
  KvSnapshot,
  KvSnapshotEntry,
  StateMachine,
  Value,
} from "./kv_ops.js";
