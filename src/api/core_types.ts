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
  ListSide,
  Value,
  ValueType,
} from "../core/state/index.js";
export { type NodeId, nodeId, type Offset, offset, type ShardId, shardId } from "../core/types.js";
