/**
 * Partitions between network namespaces as firewall commands: a pure function from directed cuts
 * (partitions.ts) to the commands that carry them out. A cut `[from, to]` becomes one rule in the
 * receiver's namespace that drops every packet whose source is the sender's address, as Jepsen
 * cuts links (`iptables -A INPUT -s <host> -j DROP`). Only node↔node traffic matches: the lab's
 * clients talk from the bridge's address, so they keep reaching every node.
 *
 * A one-way cut at the IP layer is not a one-way cut of messages: TCP needs the other direction
 * for handshakes and acknowledgements, so an established connection from the cut sender still
 * delivers a window's worth, then stalls, and new connections fail both ways. That is what a
 * half-broken link does to real deployments, and why Jepsen's asymmetric partitions use it.
 *
 * `nft` stands in where `iptables` is missing, with the same rule in a table of its own.
 */
import type { Cut } from "./partitions.js";

export type Firewall = "iptables" | "nft";

/** A command to run inside a namespace (`ip netns exec <namespace> <argv...>`). */
export interface NamespaceCommand {
  readonly namespace: string;
  readonly argv: readonly string[];
}

export interface FirewallNode {
  readonly id: number;
  readonly namespace: string;
  readonly address: string;
}

const nftTable = ["inet", "onelog"] as const;
const nftChain = "cuts";

export function cutCommands(
  firewall: Firewall,
  cuts: readonly Cut[],
  nodes: readonly FirewallNode[],
): NamespaceCommand[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const find = (id: number) => {
    const node = byId.get(id);
    if (node === undefined) throw new RangeError(`cut names node ${id}, not in the network`);
    return node;
  };
  const commands: NamespaceCommand[] = [];
  const nftReady = new Set<string>();
  for (const [from, to] of cuts) {
    const source = find(from).address;
    const { namespace } = find(to);
    if (firewall === "iptables") {
      // -w: wait for the xtables lock rather than fail when another command holds it.
      commands.push({
        namespace,
        argv: ["iptables", "-w", "-A", "INPUT", "-s", source, "-j", "DROP"],
      });
      continue;
    }
    if (!nftReady.has(namespace)) {
      nftReady.add(namespace);
      commands.push(
        { namespace, argv: ["nft", "add", "table", ...nftTable] },
        {
          namespace,
          argv: [
            "nft",
            "add",
            "chain",
            ...nftTable,
            nftChain,
            "{ type filter hook input priority 0 ; policy accept ; }",
          ],
        },
      );
    }
    commands.push({
      namespace,
      argv: ["nft", "add", "rule", ...nftTable, nftChain, "ip", "saddr", source, "drop"],
    });
  }
  return commands;
}

/**
 * Removes every cut: each namespace is the run's own, so its whole input chain (iptables) or
 * ruleset (nft) holds nothing but cuts.
 */
export function healCommands(
  firewall: Firewall,
  nodes: readonly FirewallNode[],
): NamespaceCommand[] {
  const argv =
    firewall === "iptables" ? ["iptables", "-w", "-F", "INPUT"] : ["nft", "flush", "ruleset"];
  return nodes.map((node) => ({ namespace: node.namespace, argv }));
}
