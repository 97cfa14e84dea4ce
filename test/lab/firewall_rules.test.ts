/**
 * Partitions between namespaces: every directed cut of every shape becomes exactly one DROP of
 * the sender's address in the receiver's namespace, and healing empties every namespace.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { cutCommands, healCommands } from "../../src/lab/firewall_rules.js";
import { partitionShapes } from "../../src/lab/nemesis_plan.js";
import { netnsPlan } from "../../src/lab/netns_plan.js";
import { partitionCuts } from "../../src/lab/partitions.js";

const { nodes } = netnsPlan(7, [1, 2, 3]);

test("isolating leader 2 drops its packets at 1 and 3, and theirs at 2", () => {
  const cuts = partitionCuts("isolate-leader", [1, 2, 3], 2);
  assert.deepEqual(
    cutCommands("iptables", cuts, nodes).map(
      (command) => `${command.namespace}: ${command.argv.join(" ")}`,
    ),
    [
      "onelog-7-n1: iptables -w -A INPUT -s 10.77.7.12 -j DROP",
      "onelog-7-n2: iptables -w -A INPUT -s 10.77.7.11 -j DROP",
      "onelog-7-n3: iptables -w -A INPUT -s 10.77.7.12 -j DROP",
      "onelog-7-n2: iptables -w -A INPUT -s 10.77.7.13 -j DROP",
    ],
  );
});

test("an asymmetric cut drops only what the leader sends", () => {
  const commands = cutCommands("iptables", partitionCuts("asymmetric", [3, 1, 2], 1), nodes);
  assert.deepEqual(
    commands.map((command) => [command.namespace, command.argv[5]]),
    [
      ["onelog-7-n3", "10.77.7.11"],
      ["onelog-7-n2", "10.77.7.11"],
    ],
  );
});

test("every shape: one rule per directed cut, in the receiver, naming the sender", () => {
  const address = new Map(nodes.map((node) => [node.address, node.id]));
  const namespace = new Map(nodes.map((node) => [node.namespace, node.id]));
  for (const shape of partitionShapes) {
    for (const leader of [undefined, 1, 2, 3]) {
      const cuts = partitionCuts(shape, [2, 3, 1], leader);
      const rules = cutCommands("iptables", cuts, nodes).map((command) => [
        address.get(command.argv[5] as string),
        namespace.get(command.namespace),
      ]);
      assert.deepEqual(rules, cuts, `${shape}, leader ${leader}`);
    }
  }
});

test("nft makes its table and chain once per receiving namespace, then one drop per cut", () => {
  const cuts = partitionCuts("majority-minority", [1, 2, 3], undefined);
  const commands = cutCommands("nft", cuts, nodes).map(
    (command) => `${command.namespace}: ${command.argv.join(" ")}`,
  );
  assert.deepEqual(commands, [
    "onelog-7-n2: nft add table inet onelog",
    "onelog-7-n2: nft add chain inet onelog cuts { type filter hook input priority 0 ; policy accept ; }",
    "onelog-7-n2: nft add rule inet onelog cuts ip saddr 10.77.7.11 drop",
    "onelog-7-n1: nft add table inet onelog",
    "onelog-7-n1: nft add chain inet onelog cuts { type filter hook input priority 0 ; policy accept ; }",
    "onelog-7-n1: nft add rule inet onelog cuts ip saddr 10.77.7.12 drop",
    "onelog-7-n3: nft add table inet onelog",
    "onelog-7-n3: nft add chain inet onelog cuts { type filter hook input priority 0 ; policy accept ; }",
    "onelog-7-n3: nft add rule inet onelog cuts ip saddr 10.77.7.11 drop",
    "onelog-7-n1: nft add rule inet onelog cuts ip saddr 10.77.7.13 drop",
  ]);
});

test("healing clears every node's namespace, cut or not", () => {
  assert.deepEqual(
    healCommands("iptables", nodes).map((command) => command.namespace),
    ["onelog-7-n1", "onelog-7-n2", "onelog-7-n3"],
  );
  assert.deepEqual(healCommands("nft", nodes)[0]?.argv, ["nft", "flush", "ruleset"]);
});

test("a cut naming a node outside the network is a programmer error", () => {
  assert.throws(() => cutCommands("iptables", [[1, 9]], nodes), /node 9/);
});
