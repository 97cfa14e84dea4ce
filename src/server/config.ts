/**
 * A node's configuration: what it is, where it listens, who its peers are, and how its shard
 * behaves. Read from a YAML file, then `ONELOG_*` environment variables, then flags (each later
 * source overrides), and validated into `NodeConfig` with errors that name the field.
 */
import type { FsyncPolicy } from "../io/storage/index.js";
import type { PresetName } from "./presets.js";

export interface NodeEndpoints {
  readonly id: number;
  readonly host: string;
  readonly respPort: number;
  readonly peerPort: number;
  readonly adminPort: number;
}

export const logLevels = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

export interface NodeConfig {
  readonly nodeId: number;
  readonly clusterId: string;
  readonly clusterSecret: string;
  /** This node's data: one folder per shard. */
  readonly dataDir: string;
  readonly preset: PresetName;
  readonly fsync: FsyncPolicy;
  /** The address every listener binds (DESIGN.md §12: loopback unless configured). */
  readonly listenHost: string;
  readonly tickMs: number;
  readonly electionTimeoutMs: number;
  readonly heartbeatMs: number;
  readonly fetchWaitMs: number;
  /** Committed records in the log that trigger a snapshot and compaction of the log below. */
  readonly compactionRecords: number;
  /** How many committed records compaction keeps, so followers just behind still fetch records. */
  readonly compactionRetainRecords: number;
  /** Every node of the cluster, this one included. */
  readonly nodes: readonly NodeEndpoints[];
  /** Logs go here (appended) when set, else to stdout. */
  readonly logFile: string | undefined;
  readonly logLevel: LogLevel;
  /** How long a stopping node keeps answering requests in flight. */
  readonly shutdownGraceMs: number;
  /** Redis `requirepass`: clients must AUTH with it before other commands; unset: no password. */
  readonly requirepass?: string | undefined;
}

/** The scalar settings that environment variables and flags may set, by config key. */
export const scalarKeys = [
  "nodeId",
  "clusterId",
  "clusterSecret",
  "clusterSecretFile",
  "dataDir",
  "preset",
  "fsync",
  "fsyncIntervalMs",
  "listenHost",
  "tickMs",
  "electionTimeoutMs",
  "heartbeatMs",
  "fetchWaitMs",
  "compactionRecords",
  "compactionRetainRecords",
  "logFile",
  "logLevel",
  "shutdownGraceMs",
  "requirepass",
] as const;
export type ScalarKey = (typeof scalarKeys)[number];

/** `electionTimeoutMs` → `ONELOG_ELECTION_TIMEOUT_MS`. */
export const environmentName = (key: ScalarKey): string =>
  `ONELOG_${key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;

/** `electionTimeoutMs` → `--election-timeout-ms`. */
export const flagName = (key: ScalarKey): string =>
  `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

export const configDefaults = {
  clusterId: "onelog",
  preset: "raft",
  listenHost: "127.0.0.1",
  tickMs: 10,
  electionTimeoutMs: 1000,
  heartbeatMs: 100,
  fetchWaitMs: 200,
  compactionRecords: 100_000,
  compactionRetainRecords: 10_000,
  logLevel: "info",
  shutdownGraceMs: 2000,
} as const;
