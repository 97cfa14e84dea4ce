/**
 * A 3-node cluster of real `onelog node` processes on loopback: election, redis-cli, redirects
 * from followers, a peer with the wrong secret, a torn last batch, and a clean SIGTERM.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { nodeId } from "../../src/core/types.js";
import { PeerTransport } from "../../src/io/transport/index.js";
import { freePorts, LocalNodes, redisCli, sleep } from "./support/local_nodes.js";

describe("a 3-node cluster of real processes", () => {
  let cluster: LocalNodes;
  let leader: number;

  before(async () => {
    cluster = await LocalNodes.create(3);
    cluster.startAll();
    leader = await cluster.waitForLeader();
  });
  after(() => cluster.destroy());

  it("elects one leader that every node names in /status", async () => {
    for (const node of cluster.nodes) {
      const status = await cluster.status(node.id);
      const shard = status?.shards[0];
      assert.equal(shard?.leader, leader, `node ${node.id}: ${JSON.stringify(shard)}`);
      assert.equal(shard?.role, node.id === leader ? "leader" : "follower");
    }
  });

  it("answers redis-cli SET then GET on the leader", async () => {
    const port = cluster.node(leader).respPort;
    assert.equal(await redisCli(port, "SET", "k", "v"), "OK");
    assert.equal(await redisCli(port, "GET", "k"), "v");
    assert.equal(await redisCli(port, "INCR", "n"), "1");
    assert.equal(await redisCli(port, "DEL", "k", "n"), "2");
  });

  it("answers OL.SET on a follower with -NOTLEADER naming the leader", async () => {
    const follower = cluster.nodes.find((node) => node.id !== leader)!;
    const reply = await redisCli(follower.respPort, "OL.SET", "k", "v", "W", "majority");
    const address = `127.0.0.1:${cluster.node(leader).respPort}`;
    assert.equal(reply, `NOTLEADER ${leader} ${address} this node does not lead the shard`);
    assert.equal(
      await redisCli(follower.respPort, "SET", "k", "v"),
      "READONLY You can't write against a read only replica.",
    );
  });

  it("refuses a peer with the wrong secret and gives it nothing", async () => {
    const [port] = await freePorts(1);
    // It claims to be a follower (a real member id, so only the secret gives it away).
    const claimed = nodeId(cluster.nodes.find((node) => node.id !== leader)!.id);
    const received: unknown[] = [];
    const warnings: string[] = [];
    const impostor = new PeerTransport({
      clusterId: "test",
      nodeId: claimed,
      clusterSecret: "not-the-cluster-secret-at-all",
      listen: { port: port as number },
      peers: new Map([
        [nodeId(leader), { host: "127.0.0.1", port: cluster.node(leader).peerPort }],
      ]),
      logger: { info: () => {}, warn: (_, message) => warnings.push(message) },
      reconnectDelayMsMax: 100,
    });
    impostor.onMessage((message) => received.push(message));
    await impostor.start();
    try {
      const epoch = 1_000;
      const logFile = cluster.node(leader).logFile;
      // Keep knocking until the leader has refused at least one handshake (reconnects back off).
      for (let attempt = 0; attempt < 50; attempt++) {
        impostor.send([
          {
            shard: 0 as never,
            from: claimed,
            to: nodeId(leader),
            epoch: epoch as never,
            body: {
              kind: "vote_request",
              preVote: false,
              lastEpoch: epoch as never,
              lastOffset: 1e6 as never,
            },
          },
        ]);
        await sleep(100);
        if (attempt >= 5 && /peer refused/.test(readFileSync(logFile, "utf8"))) break;
      }
      assert.match(readFileSync(logFile, "utf8"), /peer refused/);
      assert.deepEqual(impostor.connectedPeers(), []);
      assert.equal(received.length, 0);
      const status = await cluster.status(leader);
      assert.equal(status?.shards[0]?.role, "leader", "the impostor's vote request must not count");
      assert.ok((status?.shards[0]?.epoch ?? 0) < epoch);
    } finally {
      await impostor.stop();
    }
  });

  it("recovers a follower whose last batch was torn while it was down", async () => {
    const port = cluster.node(leader).respPort;
    const follower = cluster.nodes.find((node) => node.id !== leader)!;
    for (let index = 0; index < 20; index++) {
      assert.equal(await redisCli(port, "SET", `torn-${index}`, "x".repeat(50)), "OK");
    }
    await cluster.stop(follower.id, "SIGKILL");
    const shardDir = join(follower.dataDir, "shard-0");
    const segments = readdirSync(shardDir)
      .filter((name) => name.endsWith(".log"))
      .sort();
    const last = join(shardDir, segments.at(-1) as string);
    const sizeBytes = statSync(last).size;
    assert.ok(sizeBytes > 10, `segment ${last} has ${sizeBytes} bytes`);
    truncateSync(last, sizeBytes - 5);
    assert.equal(await redisCli(port, "SET", "after-tear", "y"), "OK");
    cluster.start(follower.id);
    const leaderStatus = await cluster.status(leader);
    const leaderLeo = leaderStatus?.shards[0]?.leo as number;
    await cluster.waitForStatus(follower.id, (status) => (status.shards[0]?.leo ?? 0) >= leaderLeo);
    const log = readFileSync(follower.logFile, "utf8");
    assert.match(log, /torn|cut/i, "recovery should say it cut the torn tail");
    assert.equal(
      await redisCli(
        follower.respPort,
        "OL.GET",
        "after-tear",
        "READ",
        "local",
        "PREF",
        "secondary",
      ),
      `y\n${leaderLeo}\n${leaderLeo - 1}`,
    );
  });

  it("exits 0 on SIGTERM", async () => {
    const follower = cluster.nodes.find((node) => node.id !== leader)!;
    assert.equal(await cluster.stop(follower.id, "SIGTERM"), 0);
    assert.equal(await cluster.stop(leader, "SIGTERM"), 0);
    assert.match(readFileSync(cluster.node(leader).logFile, "utf8"), /node stopped/);
  });
});
