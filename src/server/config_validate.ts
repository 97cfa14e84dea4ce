/**
 * Turns a raw settings object (the YAML file merged with environment and flags) into a
 * `NodeConfig`, or the list of every problem, each naming its field: `nodes[2].peerPort: expected
 * a port (1-65535), got "x"`. Hand-written rather than a schema library: the shape is small and
 * the messages are what an operator reads.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { FsyncPolicy } from "../io/storage/index.js";
import {
  configDefaults,
  type LogLevel,
  logLevels,
  type NodeConfig,
  type NodeEndpoints,
} from "./config.js";
import { type PresetName, presetNames, presets } from "./presets.js";

export type ConfigOutcome =
  | { kind: "ok"; config: NodeConfig }
  | { kind: "invalid"; errors: string[] };

type Raw = Record<string, unknown>;

class Reader {
  readonly errors: string[] = [];
  constructor(
    private readonly raw: Raw,
    private readonly prefix: string,
  ) {}

  private fail(key: string, expected: string): undefined {
    this.errors.push(`${this.prefix}${key}: expected ${expected}, got ${show(this.raw[key])}`);
    return undefined;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null && this.raw[key] !== "";
  }

  integer(key: string, min: number, max: number, fallback?: number): number | undefined {
    if (!this.has(key)) {
      if (fallback !== undefined) return fallback;
      this.errors.push(`${this.prefix}${key}: required`);
      return undefined;
    }
    const value = this.raw[key];
    const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== "number" || !Number.isInteger(number) || number < min || number > max) {
      return this.fail(key, `an integer in [${min}, ${max}]`);
    }
    return number;
  }

  string(key: string, fallback?: string): string | undefined {
    if (!this.has(key)) {
      if (fallback !== undefined) return fallback;
      this.errors.push(`${this.prefix}${key}: required`);
      return undefined;
    }
    const value = this.raw[key];
    if (typeof value !== "string" && typeof value !== "number") return this.fail(key, "a string");
    return String(value);
  }

  choice<T extends string>(key: string, choices: readonly T[], fallback: T): T | undefined {
    const value = this.string(key, fallback);
    if (value === undefined) return undefined;
    if (!(choices as readonly string[]).includes(value)) return this.fail(key, choices.join("|"));
    return value as T;
  }
}

const show = (value: unknown): string =>
  value === undefined ? "nothing" : (JSON.stringify(value) ?? String(value));

const portMax = 65535;

/** `baseDir` resolves relative paths (the config file's folder). */
export function validateConfig(raw: Raw, baseDir: string): ConfigOutcome {
  const reader = new Reader(raw, "");
  const errors = reader.errors;
  const nodeId = reader.integer("nodeId", 1, 1_000_000);
  const clusterId = reader.string("clusterId", configDefaults.clusterId);
  const secret = readSecret(reader, raw, baseDir);
  const dataDir = reader.string("dataDir");
  const preset = reader.choice<PresetName>("preset", presetNames, configDefaults.preset);
  const fsync = readFsync(reader, preset);
  const listenHost = reader.string("listenHost", configDefaults.listenHost);
  const tickMs = reader.integer("tickMs", 1, 10_000, configDefaults.tickMs);
  const electionTimeoutMs = reader.integer(
    "electionTimeoutMs",
    1,
    600_000,
    configDefaults.electionTimeoutMs,
  );
  const heartbeatMs = reader.integer("heartbeatMs", 1, 600_000, configDefaults.heartbeatMs);
  const fetchWaitMs = reader.integer("fetchWaitMs", 1, 600_000, configDefaults.fetchWaitMs);
  const compactionRecords = reader.integer(
    "compactionRecords",
    1,
    Number.MAX_SAFE_INTEGER,
    configDefaults.compactionRecords,
  );
  const compactionRetainRecords = reader.integer(
    "compactionRetainRecords",
    0,
    Number.MAX_SAFE_INTEGER,
    configDefaults.compactionRetainRecords,
  );
  const logLevel = reader.choice<LogLevel>("logLevel", logLevels, configDefaults.logLevel);
  const logFile = reader.has("logFile") ? reader.string("logFile") : undefined;
  const shutdownGraceMs = reader.integer(
    "shutdownGraceMs",
    0,
    600_000,
    configDefaults.shutdownGraceMs,
  );
  const requirepass = reader.has("requirepass") ? reader.string("requirepass") : undefined;
  const nodes = readNodes(raw["nodes"], errors);
  if (tickMs !== undefined && electionTimeoutMs !== undefined && electionTimeoutMs < 2 * tickMs) {
    errors.push(`electionTimeoutMs: ${electionTimeoutMs} must be at least 2 × tickMs (${tickMs})`);
  }
  if (
    electionTimeoutMs !== undefined &&
    fetchWaitMs !== undefined &&
    heartbeatMs !== undefined &&
    fetchWaitMs + heartbeatMs >= electionTimeoutMs
  ) {
    // A parked fetch answers as the leader's heartbeat; it must come well within the timeout.
    errors.push(
      `fetchWaitMs: ${fetchWaitMs} + heartbeatMs ${heartbeatMs} must be below electionTimeoutMs ${electionTimeoutMs}`,
    );
  }
  if (nodeId !== undefined && nodes !== undefined && !nodes.some((node) => node.id === nodeId)) {
    errors.push(`nodes: no entry for this node's id ${nodeId}`);
  }
  if (errors.length > 0) return { kind: "invalid", errors };
  return {
    kind: "ok",
    config: {
      nodeId: nodeId as number,
      clusterId: clusterId as string,
      clusterSecret: secret as string,
      dataDir: absolute(dataDir as string, baseDir),
      preset: preset as PresetName,
      fsync: fsync as FsyncPolicy,
      listenHost: listenHost as string,
      tickMs: tickMs as number,
      electionTimeoutMs: electionTimeoutMs as number,
      heartbeatMs: heartbeatMs as number,
      fetchWaitMs: fetchWaitMs as number,
      compactionRecords: compactionRecords as number,
      compactionRetainRecords: compactionRetainRecords as number,
      nodes: nodes as NodeEndpoints[],
      logFile: logFile === undefined ? undefined : absolute(logFile, baseDir),
      logLevel: logLevel as LogLevel,
      shutdownGraceMs: shutdownGraceMs as number,
      requirepass,
    },
  };
}

const absolute = (path: string, baseDir: string): string =>
  isAbsolute(path) ? path : resolve(baseDir, path);

function readSecret(reader: Reader, raw: Raw, baseDir: string): string | undefined {
  if (reader.has("clusterSecret")) {
    const secret = reader.string("clusterSecret");
    if (secret !== undefined && secret.length < 16) {
      reader.errors.push("clusterSecret: must be at least 16 characters");
      return undefined;
    }
    return secret;
  }
  if (!reader.has("clusterSecretFile")) {
    reader.errors.push("clusterSecret: required (or clusterSecretFile)");
    return undefined;
  }
  const file = absolute(String(raw["clusterSecretFile"]), baseDir);
  try {
    const secret = readFileSync(file, "utf8").trim();
    if (secret.length < 16) {
      reader.errors.push(`clusterSecretFile: ${file} holds fewer than 16 characters`);
      return undefined;
    }
    return secret;
  } catch (error) {
    reader.errors.push(`clusterSecretFile: cannot read ${file}: ${(error as Error).message}`);
    return undefined;
  }
}

function readFsync(reader: Reader, preset: PresetName | undefined): FsyncPolicy | undefined {
  const fallback = presets[preset ?? "raft"].fsync.kind;
  const kinds = ["always", "group", "interval", "none"] as const;
  const kind = reader.choice("fsync", kinds, fallback);
  if (kind === undefined) return undefined;
  if (kind !== "interval") return { kind };
  const intervalMs = reader.integer("fsyncIntervalMs", 1, 600_000, 100);
  return intervalMs === undefined ? undefined : { kind, intervalMs };
}

function readNodes(raw: unknown, errors: string[]): NodeEndpoints[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) {
    errors.push(
      `nodes: expected a list of {id, host, respPort, peerPort, adminPort}, got ${show(raw)}`,
    );
    return undefined;
  }
  const nodes: NodeEndpoints[] = [];
  raw.forEach((entry: unknown, index) => {
    if (typeof entry !== "object" || entry === null) {
      errors.push(`nodes[${index}]: expected an object, got ${show(entry)}`);
      return;
    }
    const reader = new Reader(entry as Raw, `nodes[${index}].`);
    const id = reader.integer("id", 1, 1_000_000);
    const host = reader.string("host", "127.0.0.1");
    const respPort = reader.integer("respPort", 1, portMax);
    const peerPort = reader.integer("peerPort", 1, portMax);
    const adminPort = reader.integer("adminPort", 1, portMax);
    errors.push(...reader.errors);
    if (reader.errors.length > 0) return;
    if (nodes.some((node) => node.id === id))
      errors.push(`nodes[${index}].id: ${id} appears twice`);
    nodes.push({
      id: id as number,
      host: host as string,
      respPort: respPort as number,
      peerPort: peerPort as number,
      adminPort: adminPort as number,
    });
  });
  return nodes;
}
