/**
 * The presets a node offers so far (DESIGN.md §5): both elect by Raft vote and commit by
 * majority; they differ in what plain Redis commands ask for. `raft` reads linearizably (etcd's
 * default); `mongodb` reads the primary's local state (MongoDB's default read concern "local"
 * with read preference "primary"). Both sync in groups (one fsync per round of Readys, MongoDB's
 * journal commit); etcd syncs every batch, which for one shard per node is the same thing.
 *
 * `redis` is Redis's replication as far as the core allows (docs/decisions/0006): a write is
 * acknowledged once the leader appended it (`w:1`, Redis's asynchronous replication; WAIT counts
 * replicas afterwards), reads are any replica's local state (a Redis replica serves its copy),
 * and nothing is fsynced (`appendonly no`). The core has no `none` commit policy yet, so the log
 * still commits by majority underneath; no Redis command waits for it.
 */
import type { ReadConcern, WriteConcern } from "../api/index.js";
import { type CommitPolicy, majorityCommit } from "../core/policy/index.js";
import type { FsyncPolicy } from "../io/storage/index.js";

export const presetNames = ["raft", "mongodb", "redis"] as const;
export type PresetName = (typeof presetNames)[number];

export interface Preset {
  readonly name: PresetName;
  readonly commitPolicy: CommitPolicy;
  readonly fsync: FsyncPolicy;
  readonly defaultWrite: WriteConcern;
  readonly defaultRead: ReadConcern;
}

export const presets: Record<PresetName, Preset> = {
  raft: {
    name: "raft",
    commitPolicy: majorityCommit,
    fsync: { kind: "group" },
    defaultWrite: { w: "majority" },
    defaultRead: { level: "linearizable" },
  },
  mongodb: {
    name: "mongodb",
    commitPolicy: majorityCommit,
    fsync: { kind: "group" },
    defaultWrite: { w: "majority", j: true },
    defaultRead: { level: "local", readPreference: "primary" },
  },
  redis: {
    name: "redis",
    commitPolicy: majorityCommit,
    fsync: { kind: "none" },
    defaultWrite: { w: 1 },
    defaultRead: { level: "local", readPreference: "nearest" },
  },
};
