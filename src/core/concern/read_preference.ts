/**
 * Server selection by read preference (MongoDB server selection spec, [M8]): which replicas a
 * client may send a read to, best first. The replica itself re-checks what it can (a follower
 * refuses `primary`, a leader refuses `secondary`, a stale follower refuses `maxStalenessMs`).
 */
import type { Random } from "../random.js";
import type { NodeId } from "../types.js";
import type { ReadPreference } from "./types.js";

export interface ReplicaCandidate {
  node: NodeId;
  /** The client believes this replica leads. */
  isLeader: boolean;
  /** The client's estimate of how far behind the replica is, if it has one. */
  stalenessMs?: number;
  /** Round-trip time, for `nearest`; equal when unknown. */
  latencyMs?: number;
}

/** Candidates in the order to try them; empty if the preference allows none. */
export function selectReplicas(
  preference: ReadPreference,
  candidates: readonly ReplicaCandidate[],
  random: Random,
  maxStalenessMs?: number,
): NodeId[] {
  const leaders = candidates.filter((candidate) => candidate.isLeader);
  const fresh = (candidate: ReplicaCandidate) =>
    maxStalenessMs === undefined || (candidate.stalenessMs ?? 0) <= maxStalenessMs;
  const secondaries = shuffle(
    candidates.filter((candidate) => !candidate.isLeader && fresh(candidate)),
    random,
  );
  const ids = (list: readonly ReplicaCandidate[]) => list.map((candidate) => candidate.node);
  switch (preference) {
    case "primary":
      return ids(leaders);
    case "primaryPreferred":
      return [...ids(leaders), ...ids(secondaries)];
    case "secondary":
      return ids(secondaries);
    case "secondaryPreferred":
      return [...ids(secondaries), ...ids(leaders)];
    case "nearest": {
      const eligible = shuffle(
        [...leaders, ...candidates.filter((c) => !c.isLeader && fresh(c))],
        random,
      );
      // Stable sort keeps the shuffle among equal latencies (the spec's random pick in the window).
      return ids(eligible.sort((a, b) => (a.latencyMs ?? 0) - (b.latencyMs ?? 0)));
    }
  }
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = random.int(0, index);
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
  return items;
}
