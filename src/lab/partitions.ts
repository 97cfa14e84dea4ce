/**
 * Partition shapes as per-node blocked links (the peer transport's faults). `sides` maps each
 * shape to who cannot hear whom; `linkFaults` turns that into each node's `blockedTo` and
 * `blockedFrom`. A symmetric cut blocks both directions; the asymmetric one drops only what one
 * node (the leader when known) sends: it still hears the others, they never hear it — the
 * half-broken link of Jepsen's asymmetric partitions.
 */
import type { PartitionShape } from "./nemesis_plan.js";

/** Directed cuts: `[from, to]` means messages from `from` to `to` are dropped. */
export type Cut = [number, number];

export function partitionCuts(
  shape: PartitionShape,
  order: readonly number[],
  leader: number | undefined,
): Cut[] {
  const both = (a: readonly number[], b: readonly number[]): Cut[] =>
    a.flatMap((x) =>
      b.flatMap((y): Cut[] => [
        [x, y],
        [y, x],
      ]),
    );
  const first = order[0] as number;
  switch (shape) {
    case "isolate-leader": {
      const isolated = leader ?? first;
      return both(
        [isolated],
        order.filter((id) => id !== isolated),
      );
    }
    case "isolate-node":
      return both([first], order.slice(1));
    case "majority-minority": {
      const minority = order.slice(0, Math.floor(order.length / 2));
      return both(minority, order.slice(minority.length));
    }
    case "asymmetric": {
      const sender = leader ?? first;
      return order.filter((id) => id !== sender).map((id): Cut => [sender, id]);
    }
    case "bridge": {
      // The middle node of `order` hears both halves, which cannot hear each other.
      if (order.length < 3) return both([first], order.slice(1));
      const middle = Math.floor(order.length / 2);
      return both(order.slice(0, middle), order.slice(middle + 1));
    }
  }
}

/** Each node's blocked links for a set of cuts: drop at the sender and at the receiver. */
export function linkFaults(
  nodes: readonly number[],
  cuts: readonly Cut[],
): Map<number, { blockedTo: number[]; blockedFrom: number[] }> {
  const faults = new Map(
    nodes.map((id) => [id, { blockedTo: [] as number[], blockedFrom: [] as number[] }]),
  );
  for (const [from, to] of cuts) {
    faults.get(from)?.blockedTo.push(to);
    faults.get(to)?.blockedFrom.push(from);
  }
  return faults;
}
