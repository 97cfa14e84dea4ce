/**
 * The network of a `--network netns` lab run, as data. Each node gets a network namespace of its
 * own (a "host"), joined by a veth pair to a bridge in the root namespace. The bridge holds the
 * subnet's first address, so the lab's clients, which run in the root namespace, reach every node
 * directly over layer 2: no forwarding, no NAT, and no route out of a node's namespace, so no
 * packet of the run can leave the machine.
 *
 * A run owns a slot 0–255: its subnet is 10.77.<slot>.0/24 and every name carries the prefix
 * `onelog` and the slot, so concurrent runs take different slots and a crashed run's leftovers
 * are recognisable (netns.ts claims slots and cleans leftovers).
 */
import { assert } from "../util/assert.js";

export const slotCount = 256;

export interface NetnsNode {
  readonly id: number;
  readonly namespace: string;
  /** The root-namespace end of the node's veth pair; the other end is `eth0` in its namespace. */
  readonly veth: string;
  readonly address: string;
}

export interface NetnsPlan {
  readonly slot: number;
  readonly bridge: string;
  readonly bridgeAddress: string;
  readonly nodes: readonly NetnsNode[];
}

/** Linux limits interface names to 15 bytes (IFNAMSIZ 16 with the NUL). */
const interfaceNameMax = 15;

export function netnsPlan(slot: number, nodeIds: readonly number[]): NetnsPlan {
  assert(Number.isInteger(slot) && slot >= 0 && slot < slotCount, `slot ${slot}`);
  const subnet = `10.77.${slot}`;
  const nodes = nodeIds.map((id) => {
    // Addresses .11 upward leave .1 to the bridge and name node i by its last digit.
    assert(Number.isInteger(id) && id >= 1 && id <= 200, `node id ${id} outside 1–200`);
    return {
      id,
      namespace: `onelog-${slot}-n${id}`,
      veth: `onelog${slot}n${id}`,
      address: `${subnet}.${10 + id}`,
    };
  });
  const plan = { slot, bridge: `onelog${slot}br`, bridgeAddress: `${subnet}.1`, nodes };
  for (const name of [plan.bridge, ...nodes.map((node) => node.veth)]) {
    assert(name.length <= interfaceNameMax, `interface name ${name} longer than 15`);
  }
  return plan;
}

/** `ip` argument lists that build the plan's network, in order. */
export function setupCommands(plan: NetnsPlan): string[][] {
  return [
    ["link", "add", plan.bridge, "type", "bridge"],
    ["addr", "add", `${plan.bridgeAddress}/24`, "dev", plan.bridge],
    ["link", "set", plan.bridge, "up"],
    ...plan.nodes.flatMap((node) => [
      ["netns", "add", node.namespace],
      ["link", "add", node.veth, "type", "veth", "peer", "name", "eth0", "netns", node.namespace],
      ["link", "set", node.veth, "master", plan.bridge, "up"],
      ["-n", node.namespace, "addr", "add", `${node.address}/24`, "dev", "eth0"],
      ["-n", node.namespace, "link", "set", "lo", "up"],
      ["-n", node.namespace, "link", "set", "eth0", "up"],
    ]),
  ];
}

/**
 * `ip` argument lists that remove everything the plan creates (the firewall rules live in the
 * namespaces and go with them). Each may fail harmlessly when its object is already gone, as
 * after a setup that stopped half way.
 */
export function teardownCommands(plan: NetnsPlan): string[][] {
  return [
    ...plan.nodes.flatMap((node) => [
      ["link", "del", node.veth],
      ["netns", "del", node.namespace],
    ]),
    ["link", "del", plan.bridge],
  ];
}
