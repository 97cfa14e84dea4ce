/**
 * What the client believes about the cluster: the nodes it knows (the configured endpoints plus
 * any a redirect named), which one leads, which are followers, and a smoothed round-trip time
 * per node for `nearest`. Beliefs only: every node re-checks a request, and a wrong guess costs
 * one redirect.
 */
import type { ReplicaCandidate } from "../core/concern/index.js";
import { nodeId } from "../core/types.js";
import { assert } from "../util/assert.js";
import { NodeConnection } from "./node_connection.js";
import { type Endpoint, endpointKey } from "./types.js";

/** Weight of a new round-trip sample (the 0.2 of MongoDB's server selection spec). */
const latencySampleWeight = 0.2;

interface KnownNode {
  connection: NodeConnection;
  isFollower: boolean;
  latencyMs?: number;
}

export class Topology {
  private readonly nodes: KnownNode[] = [];
  private readonly indexByKey = new Map<string, number>();
  private leaderIndex: number | undefined;

  constructor(endpoints: readonly Endpoint[]) {
    assert(endpoints.length > 0, "a client needs at least one endpoint");
    for (const endpoint of endpoints) this.indexOf(endpoint);
  }

  get size(): number {
    return this.nodes.length;
  }

  /** The node's index, adding it when a redirect names a node the client did not know. */
  indexOf(endpoint: Endpoint): number {
    const key = endpointKey(endpoint);
    const known = this.indexByKey.get(key);
    if (known !== undefined) return known;
    this.nodes.push({ connection: new NodeConnection(endpoint), isFollower: false });
    this.indexByKey.set(key, this.nodes.length - 1);
    return this.nodes.length - 1;
  }

  connection(index: number): NodeConnection {
    return this.node(index).connection;
  }

  get leader(): number | undefined {
    return this.leaderIndex;
  }

  setLeader(index: number): void {
    this.node(index).isFollower = false;
    this.leaderIndex = index;
  }

  /** The node said it does not lead; whether it follows is left to the next status. */
  notLeader(index: number): void {
    if (this.leaderIndex === index) this.leaderIndex = undefined;
  }

  setFollower(index: number): void {
    this.notLeader(index);
    this.node(index).isFollower = true;
  }

  /** Whether any follower is known, so that secondary reads have somewhere to go. */
  get knowsFollowers(): boolean {
    return this.nodes.some((node) => node.isFollower);
  }

  recordLatency(index: number, latencyMs: number): void {
    const node = this.node(index);
    node.latencyMs =
      node.latencyMs === undefined
        ? latencyMs
        : node.latencyMs + latencySampleWeight * (latencyMs - node.latencyMs);
  }

  /** Every node as a selection candidate; the candidate's `node` is the index here. */
  candidates(): ReplicaCandidate[] {
    return this.nodes.map((node, index) => ({
      node: nodeId(index),
      isLeader: index === this.leaderIndex,
      ...(node.latencyMs === undefined ? {} : { latencyMs: node.latencyMs }),
    }));
  }

  close(): void {
    for (const node of this.nodes) node.connection.close();
  }

  private node(index: number): KnownNode {
    const node = this.nodes[index];
    assert(node !== undefined, () => `no node ${index} of ${this.nodes.length}`);
    return node;
  }
}
