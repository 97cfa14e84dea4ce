/**
 * One onelog node: its shard replicas on disk, the peer transport, the driver that runs them in
 * real time, the Store over them, and the RESP and admin listeners. `startNode` brings it up;
 * `stop` takes it down cleanly: no new clients, requests in flight answered (or failed), storage
 * flushed and closed, transport stopped.
 */
import type { Logger } from "pino";
import type { NodeAddress } from "../api/index.js";
import type { ApplyHooks } from "../core/state/index.js";
import { type NodeId, nodeId, shardId } from "../core/types.js";
import { Driver } from "../io/driver/index.js";
import { PeerTransport } from "../io/transport/index.js";
import { BlockedClients, PubSubHub } from "../protocols/resp/commands/index.js";
import { ActiveExpiry } from "./active_expiry.js";
import { AdminServer, type StatusDocument } from "./admin_server.js";
import type { NodeConfig } from "./config.js";
import { HealthLog } from "./health_log.js";
import { NodeMetrics } from "./metrics.js";
import { NodeStore } from "./node_store.js";
import { presets } from "./presets.js";
import { RespServer } from "./resp_server.js";
import { openShard } from "./shard_host.js";

/** The Redis version a node reports (HELLO, INFO): the command set it follows. */
const redisVersion = "7.4.0";

export interface RunningNode {
  readonly store: NodeStore;
  stop(): Promise<void>;
}

export type StartOutcome = { kind: "ok"; node: RunningNode } | { kind: "failed"; message: string };

export async function startNode(config: NodeConfig, logger: Logger): Promise<StartOutcome> {
  const self = nodeId(config.nodeId);
  const members: NodeId[] = config.nodes.map((node) => nodeId(node.id));
  const endpoints = config.nodes.find((node) => node.id === config.nodeId);
  if (endpoints === undefined)
    return { kind: "failed", message: `no node ${config.nodeId} in nodes` };
  const warn = (message: string, fields: Record<string, unknown>) => logger.warn(fields, message);
  // The node's subscribers, which every PUBLISH record the replica applies is delivered to, and
  // its blocked clients, which every record that writes their keys wakes.
  const pubsub = new PubSubHub();
  const blocked = new BlockedClients();
  const hooks: ApplyHooks = {
    publish: (channel, message, shard) => pubsub.publish(channel, message, shard),
    written: (key) => blocked.written(key),
  };
  // One shard whose members are all nodes; more shards per node add entries here.
  const opened = openShard(config, shardId(0), members, self, warn, hooks);
  if (opened.kind === "corrupt") return { kind: "failed", message: opened.message };
  const shards = [opened.shard];

  const transport = new PeerTransport({
    clusterId: config.clusterId,
    nodeId: self,
    clusterSecret: config.clusterSecret,
    listen: { host: config.listenHost, port: endpoints.peerPort },
    peers: new Map(
      config.nodes.map((node) => [nodeId(node.id), { host: node.host, port: node.peerPort }]),
    ),
    logger,
  });
  let metrics: NodeMetrics | undefined;
  const driver = new Driver(shards, {
    tickMs: config.tickMs,
    catchUpTicksMax: Math.max(1, Math.ceil((2 * config.electionTimeoutMs) / config.tickMs)),
    send: (messages) => transport.sendNow(messages),
    onSync: (durationMs) => metrics?.recordFsync(durationMs / 1000),
  });
  const nodes: NodeAddress[] = config.nodes.map((node) => ({
    id: nodeId(node.id),
    clientAddress: `${node.host}:${node.respPort}`,
  }));
  metrics = new NodeMetrics({
    shards: () => store.topology().shards,
    fsyncCount: () => driver.syncCount,
    peers: () => transport,
  });
  const store = new NodeStore(self, driver, presets[config.preset], nodes, metrics, opened.state);
  const startedAtMs = Date.now();
  const appendOnly = config.fsync.kind !== "none";
  const resp = new RespServer(
    store,
    { version: redisVersion, processId: process.pid, startedAtMs, appendOnly },
    logger,
    endpoints.respPort,
    {
      requirepass: config.requirepass,
      bind: config.listenHost,
      dir: config.dataDir,
      pubsub,
      blocked,
    },
  );
  const expiry = new ActiveExpiry(store, {
    intervalMs: 100,
    keysPerCycleMax: 200,
    onExpired: (count) => {
      resp.state.stats.expiredKeys += count;
    },
  });
  const health = new HealthLog(() => store.topology().shards, logger, {
    intervalMs: 100,
    stallWarnMs: Math.max(200, config.electionTimeoutMs / 4),
  });
  const status = (): StatusDocument => ({
    ...store.topology(),
    preset: config.preset,
    pid: process.pid,
    uptimeSeconds: Math.floor((Date.now() - startedAtMs) / 1000),
  });
  // The lab's fault endpoints act on this node's peer transport (admin_server.ts).
  const admin = new AdminServer(status, metrics, logger, endpoints.adminPort, {
    faults: transport.faults,
    clusterSecret: config.clusterSecret,
  });

  try {
    transport.onMessage((message) => driver.step(message));
    await transport.start();
    driver.start();
    await resp.listen(config.listenHost);
    expiry.start();
    health.start();
    await admin.listen(config.listenHost);
  } catch (error) {
    await driver.stop(0);
    await transport.stop();
    for (const shard of shards) shard.storage.close();
    return { kind: "failed", message: `cannot listen: ${(error as Error).message}` };
  }
  logger.info(
    {
      preset: config.preset,
      resp: `${config.listenHost}:${endpoints.respPort}`,
      peer: `${config.listenHost}:${endpoints.peerPort}`,
      admin: `${config.listenHost}:${endpoints.adminPort}`,
      leo: opened.shard.replica.log.leo,
      epoch: opened.shard.replica.epoch,
    },
    "node started",
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info({}, "node stopping");
      resp.stopAccepting();
      expiry.stop();
      health.stop();
      await driver.stop(config.shutdownGraceMs);
      await resp.close(500);
      await admin.close();
      await transport.stop();
      for (const shard of shards) shard.storage.close();
      logger.info({}, "node stopped");
    })();
    return stopping;
  };
  return { kind: "ok", node: { store, stop } };
}
