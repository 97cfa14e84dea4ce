/** The TypeScript client: typed calls with every concern, redirects, read preference, sessions. */
export { OnelogClient, type SetOptions } from "./client.js";
export type { ReadOptions } from "./concern_args.js";
export { CausalSession } from "./session.js";
export type {
  CasResult,
  ClientOptions,
  ClientRejectReason,
  CommandAnswer,
  Endpoint,
  EvalResult,
  LeaderHint,
  NodeStatus,
  PopResult,
  ReadResult,
  Rejected,
  StatusResult,
  TransactionResult,
  Value,
  WaitResult,
  WriteResult,
} from "./types.js";
