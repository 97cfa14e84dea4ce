export { type ApplyHooks, KvStateMachine } from "./kv.js";
export type {
  ExpireCondition,
  HashField,
  Key,
  KvCommand,
  KvCountResult,
  KvCountsResult,
  KvErrorCode,
  KvKeyCountsResult,
  KvKeyResult,
  KvKeysResult,
  KvPairsResult,
  KvQuery,
  KvQueryResult,
  KvQueryResultOf,
  KvQueryResults,
  KvRankResult,
  KvResult,
  KvScanResult,
  KvScoredResult,
  KvScoreResult,
  KvScoresResult,
  KvSnapshot,
  KvSnapshotEntry,
  KvStringResult,
  KvStringsResult,
  KvTransactionResult,
  KvTtlResult,
  KvTypeResult,
  KvValueResult,
  KvWrongTypeResult,
  ListSide,
  ScannedMember,
  StateMachine,
  StepCommand,
  StepQuery,
  Value,
  ValueType,
} from "./kv_ops.js";
export { readLongDouble } from "./long_double.js";
export { parseRangeFloat, parseRedisFloat } from "./redis_float.js";
export { ScriptState } from "./script_state.js";
export { combineSets, type SetAlgebra, type SetCommand, type SetQuery } from "./set_ops.js";
export type { TransactionBase } from "./transaction.js";
export type { TransactionStep, WatchedKey } from "./transaction_ops.js";
export type {
  LexBound,
  ScoreBound,
  ScoredMember,
  ZrangeSpec,
  ZsetCommand,
  ZsetQuery,
} from "./zset_ops.js";
