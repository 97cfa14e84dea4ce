export { KvStateMachine } from "./kv.js";
export type {
  Key,
  KvCommand,
  KvErrorCode,
  KvQuery,
  KvQueryResult,
  KvResult,
  StateMachine,
  Value,
} from "./kv_ops.js";
