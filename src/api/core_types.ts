/**
 * The core's request and outcome types that faces need, re-exported so that protocols import
 * only `src/api` (DESIGN.md §2).
 */
export type {
  ReadConcern,
  ReadLevel,
  ReadOutcome,
  ReadPreference,
  RejectReason,
  WriteConcern,
  WriteOutcome,
} from "../core/concern/index.js";
export type {
  ExpireCondition,
  HashField,
  Key,
  KvCommand,
  KvErrorCode,
  KvQuery,
  KvQueryResult,
  KvQueryResultOf,
  KvResult,
  LexBound,
  ListSide,
  ScoreBound,
  ScoredMember,
  SetAlgebra,
  StepCommand,
  StepQuery,
  TransactionBase,
  TransactionStep,
  Value,
  ValueType,
  WatchedKey,
  ZrangeSpec,
} from "../core/state/index.js";
/** Redis's float reading (string2ld), which faces use for scores so that both ends agree. */
/** The set algebra, which SINTER and its kin compute at the face and SINTERSTORE in the core. */
/** The state a Lua script runs against (decision 0020). */
export {
  combineSets,
  parseRangeFloat,
  parseRedisFloat,
  readLongDouble,
  ScriptState,
} from "../core/state/index.js";
export { type NodeId, nodeId, type Offset, offset, type ShardId, shardId } from "../core/types.js";
