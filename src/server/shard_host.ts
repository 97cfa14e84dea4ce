/**
 * Opens one shard replica of this node: its storage folder (`<dataDir>/shard-<id>`), recovered
 * from disk, and the replica built from what was recovered (its records reported through
 * `hooks`), as the simulator starts a node
 * (src/sim/cluster.ts `start`). Corruption that recovery cannot cut away is an error value: the
 * node refuses to start rather than serve a damaged log.
 */
import { randomInt } from "node:crypto";
import { join } from "node:path";
import { seededRandom } from "../core/random.js";
import { Replica, type ReplicaConfig } from "../core/replica/index.js";
import { type ApplyHooks, KvStateMachine } from "../core/state/index.js";
import { epoch, type NodeId, type ShardId } from "../core/types.js";
import type { DriverShard } from "../io/driver/index.js";
import {
  DiskStorage,
  type FsyncPolicy,
  frameBytesMax,
  type StorageWarn,
} from "../io/storage/index.js";
import { peerFrameBytesMax } from "../io/transport/index.js";
import { assert } from "../util/assert.js";
import type { NodeConfig } from "./config.js";
import { presets } from "./presets.js";

export type OpenShardOutcome =
  | { kind: "ok"; shard: DriverShard & { storage: DiskStorage }; state: KvStateMachine }
  | { kind: "corrupt"; message: string };

/**
 * Bytes of records per fetch response. A response holds at most this much after its first
 * batch, which may be as large as a storage frame, plus a few dozen bytes of header per batch,
 * so it stays well below the peer frame limit that every node refuses to read past.
 */
const fetchBytesMax = 8 * 1024 * 1024;
/** Bytes of snapshot entries per fetch response (ReplicaConfig.snapshotChunkBytesMax). */
const snapshotChunkBytesMax = 1024 * 1024;
assert(
  fetchBytesMax + frameBytesMax < peerFrameBytesMax,
  () =>
    `fetch of ${fetchBytesMax} bytes plus a frame of ${frameBytesMax} near ${peerFrameBytesMax}`,
);

export function replicaConfig(config: NodeConfig): ReplicaConfig {
  const ticks = (ms: number) => Math.max(1, Math.ceil(ms / config.tickMs));
  return {
    electionTimeoutTicks: ticks(config.electionTimeoutMs),
    heartbeatTicks: ticks(config.heartbeatMs),
    fetchWaitTicksMax: ticks(config.fetchWaitMs),
    // Many batches per fetch: at 1,000 (one batch) a follower needed a round trip per batch and
    // fell further behind a loaded leader every second, until it needed a snapshot.
    fetchRecordsMax: 16_384,
    fetchBytesMax,
    snapshotChunkBytesMax,
    preVote: true,
    checkQuorum: true,
    commitPolicy: presets[config.preset].commitPolicy,
    syncEveryWrite: syncsEveryWrite(config.fsync),
    tickMs: config.tickMs,
    pendingWritesMax: 10_000,
    parkedReadsMax: 10_000,
    snapshotHistoryRecords: 1000,
    compactionRecords: config.compactionRecords,
    compactionRetainRecords: config.compactionRetainRecords,
  };
}

const syncsEveryWrite = (fsync: FsyncPolicy): boolean =>
  fsync.kind === "always" || fsync.kind === "group";

export function openShard(
  config: NodeConfig,
  shard: ShardId,
  members: readonly NodeId[],
  id: NodeId,
  warn: StorageWarn,
  hooks: ApplyHooks,
): OpenShardOutcome {
  const directory = join(config.dataDir, `shard-${shard}`);
  const opened = DiskStorage.open(directory, { fsync: config.fsync, warn });
  if (opened.kind === "corrupt") {
    return { kind: "corrupt", message: opened.corruption.message };
  }
  const { storage } = opened;
  const { hardState, snapshot, batches } = storage.load();
  const state = new KvStateMachine(hooks);
  const replica = new Replica({
    ...(snapshot === undefined ? {} : { snapshot }),
    id,
    shard,
    members,
    config: replicaConfig(config),
    // Election timeouts must differ between nodes; a fresh seed per start does that.
    random: seededRandom(randomInt(1, 2 ** 31)),
    hardState: hardState ?? { epoch: epoch(0), vote: null },
    batches,
    stateMachine: state,
  });
  return { kind: "ok", shard: { replica, storage }, state };
}
