/**
 * The files of a local cluster under one data folder: a cluster secret made once and kept
 * (`cluster_secret`, mode 0600), and per node a folder `node-<id>` holding its `onelog.yaml`, its
 * shard data and its log file. Writing the configs again over existing data reuses the data.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { localPorts } from "./admin_client.js";

export interface LocalClusterPlan {
  dataDir: string;
  nodeCount: number;
  preset: string;
  basePort: number;
  electionTimeoutMs?: number;
  /** Node i's address, on which it also listens (the lab's namespaces); 127.0.0.1 without. */
  hosts?: readonly string[];
}

export interface LocalNode {
  id: number;
  host: string;
  configFile: string;
  respPort: number;
  peerPort: number;
  adminPort: number;
}

export function writeLocalCluster(plan: LocalClusterPlan): LocalNode[] {
  const dataDir = resolve(plan.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const secretFile = join(dataDir, "cluster_secret");
  if (!existsSync(secretFile)) {
    writeFileSync(secretFile, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
  }
  const nodes = Array.from({ length: plan.nodeCount }, (_, index) => ({
    id: index + 1,
    host: plan.hosts?.[index] ?? "127.0.0.1",
    ...localPorts(plan.basePort, index),
  }));
  return nodes.map((node) => {
    const folder = join(dataDir, `node-${node.id}`);
    mkdirSync(folder, { recursive: true });
    const configFile = join(folder, "onelog.yaml");
    const config = {
      nodeId: node.id,
      clusterId: "onelog-local",
      clusterSecretFile: "../cluster_secret",
      dataDir: ".",
      preset: plan.preset,
      logFile: "node.log",
      ...(plan.hosts === undefined ? {} : { listenHost: node.host }),
      ...(plan.electionTimeoutMs === undefined
        ? {}
        : {
            electionTimeoutMs: plan.electionTimeoutMs,
            heartbeatMs: Math.max(10, Math.floor(plan.electionTimeoutMs / 10)),
            fetchWaitMs: Math.max(10, Math.floor(plan.electionTimeoutMs / 5)),
          }),
      nodes,
    };
    writeFileSync(configFile, `# written by onelog up\n${stringify(config)}`);
    return { id: node.id, host: node.host, configFile, ...localPorts(plan.basePort, node.id - 1) };
  });
}
