/**
 * Blocking pops and moves (BLPOP, BRPOP, BLMOVE, BZPOPMIN and kin) through ioredis against real
 * 3-node clusters, under the `redis` preset (leader acknowledgement) and the `raft` preset
 * (majority writes):
 * - a blocked client is served by another client's push, and shows as blocked meanwhile;
 * - clients blocked on one key are served in the order they blocked, one element each;
 * - many consumers against a producer: every element reaches exactly one consumer;
 * - BLMOVE as a reliable queue; BZPOPMIN waiting for ZADD;
 * - timeouts, CLIENT UNBLOCK, a blocked client that disconnects (it takes nothing), inside MULTI
 *   (no wait), on a follower (READONLY), on a leader cut off from its peers (UNBLOCKED once it
 *   steps down), and a pipeline behind a blocked command (it waits).
 * How each reply is shaped, errors included, is the differential test's against redis-server.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { nodeId } from "../../src/core/types.js";
import { sendFaults } from "../../src/lab/admin_calls.js";
import { LocalNodes, testSecret } from "./support/local_nodes.js";
import { exchange } from "./support/raw_exchange.js";

/** Waits until `ready` holds, polling; fails after `timeoutMs`. */
async function eventually(ready: () => Promise<boolean>, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const preset of ["redis", "raft"] as const) {
  describe(`blocking pops on a 3-node ${preset}-preset cluster`, { timeout: 60_000 }, () => {
    let cluster: LocalNodes;
    let leaderPort: number;
    let followerPort: number;
    const open: Redis[] = [];

    const client = async (port = leaderPort): Promise<Redis> => {
      const connection = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
      await connection.connect();
      open.push(connection);
      return connection;
    };
    /** Resolves once `count` clients are blocked on this node. */
    const blockedClients = (admin: Redis, count: number) =>
      eventually(async () => {
        const info = await admin.info("clients");
        return info.includes(`blocked_clients:${count}\r`);
      }, `${count} blocked clients`);

    before(async () => {
      cluster = await LocalNodes.create(3, preset, { electionTimeoutMs: 1500 });
      cluster.startAll();
      ({ leader: leaderPort, follower: followerPort } = await cluster.respPorts());
    });
    after(async () => {
      for (const connection of open) connection.disconnect();
      await cluster.destroy();
    });

    it("serves a blocked BLPOP with another client's push, showing it blocked meanwhile", async () => {
      const [consumer, producer] = [await client(), await client()];
      const popped = consumer.blpop("q1", 0);
      await blockedClients(producer, 1);
      const list = String(await producer.call("CLIENT", "LIST"));
      assert.match(list, / flags=b .*cmd=blpop /);
      assert.equal(await producer.rpush("q1", "job"), 1);
      assert.deepEqual(await popped, ["q1", "job"]);
      assert.equal(await producer.exists("q1"), 0, "the element was popped, not copied");
      await blockedClients(producer, 0);
    });

    it("serves clients blocked on one key in the order they blocked, one element each", async () => {
      const consumers = [await client(), await client(), await client()];
      const producer = await client();
      const popped: Promise<[string, string] | null>[] = [];
      for (const [index, consumer] of consumers.entries()) {
        popped.push(consumer.brpop("q2", "other", 0));
        await blockedClients(producer, index + 1);
      }
      await producer.lpush("q2", "first", "second", "third");
      assert.deepEqual(await Promise.all(popped), [
        ["q2", "first"],
        ["q2", "second"],
        ["q2", "third"],
      ]);
    });

    it("hands every element to exactly one of many consumers", async () => {
      const total = 150;
      const consumers = await Promise.all(Array.from({ length: 4 }, () => client()));
      const producer = await client();
      const received: string[] = [];
      const consuming = consumers.map(async (consumer) => {
        while (received.length < total) {
          const reply = await consumer.blpop("q3", 0.2);
          if (reply !== null) received.push(reply[1]);
        }
      });
      for (let index = 0; index < total; index += 3) {
        await producer.rpush("q3", ...[index, index + 1, index + 2].map((n) => `e${n}`));
      }
      await Promise.all(consuming);
      const expected = Array.from({ length: total }, (_, index) => `e${index}`);
      assert.deepEqual([...received].sort(), [...expected].sort());
      assert.equal(await producer.llen("q3"), 0);
    });

    it("moves with BLMOVE and pops sorted sets with BZPOPMIN once data arrives", async () => {
      const [worker, producer] = [await client(), await client()];
      const moved = worker.blmove("jobs", "processing", "LEFT", "RIGHT", 0);
      await blockedClients(producer, 1);
      await producer.rpush("jobs", "j1", "j2");
      assert.equal(await moved, "j1");
      assert.deepEqual(await producer.lrange("processing", 0, -1), ["j1"]);
      assert.deepEqual(await producer.lrange("jobs", 0, -1), ["j2"]);
      const lowest = worker.bzpopmin("scores", 0);
      await blockedClients(producer, 1);
      await producer.zadd("scores", 5, "five", 2, "two");
      assert.deepEqual(await lowest, ["scores", "two", "2"]);
    });

    it("answers null when the timeout passes, and CLIENT UNBLOCK ends a wait early", async () => {
      const [consumer, admin] = [await client(), await client()];
      const started = Date.now();
      assert.equal(await consumer.blpop("never", 0.2), null);
      assert.ok(Date.now() - started >= 150, "it waited for its timeout");
      const id = Number(await consumer.client("ID"));
      const waiting = consumer.blpop("never", 0);
      await blockedClients(admin, 1);
      assert.equal(await admin.call("CLIENT", "UNBLOCK", String(id)), 1);
      assert.equal(await waiting, null);
      const erring = consumer.brpoplpush("never", "elsewhere", 0);
      await blockedClients(admin, 1);
      assert.equal(await admin.call("CLIENT", "UNBLOCK", String(id), "ERROR"), 1);
      await assert.rejects(erring, /UNBLOCKED client unblocked via CLIENT UNBLOCK/);
      assert.equal(await admin.call("CLIENT", "UNBLOCK", String(id)), 0);
    });

    it("takes nothing for a client that disconnects while blocked", async () => {
      const [leaving, producer] = [await client(), await client()];
      leaving.blpop("q4", 0).catch(() => {});
      await blockedClients(producer, 1);
      leaving.disconnect();
      await blockedClients(producer, 0);
      await producer.rpush("q4", "kept");
      assert.deepEqual(await producer.lrange("q4", 0, -1), ["kept"]);
    });

    it("does not wait inside MULTI, and is refused on a follower", async () => {
      const consumer = await client();
      const replies = await consumer.multi().blpop("empty", 0).rpush("empty", "x").exec();
      assert.deepEqual(replies, [
        [null, null],
        [null, 1],
      ]);
      const follower = await client(followerPort);
      await assert.rejects(follower.blpop("empty", 0), /^ReplyError: READONLY/);
    });

    it("unblocks a client whose node loses leadership, with Redis's error", async () => {
      const leader = await cluster.waitForLeader();
      const others = cluster.nodes.map((node) => node.id).filter((id) => id !== leader);
      const [consumer, watcher] = [await client(), await client()];
      const popped = consumer.blpop("q6", 0);
      await blockedClients(watcher, 1);
      // A write after the BLPOP's first (empty) try, acknowledged: that try is answered too, so
      // the cut below finds the client waiting, not trying (a try cut off answers UNKNOWN).
      await watcher.set("marker", "after the first try");
      // Cut the leader off from its peers: it steps down (check quorum), its clients stay.
      const admin = { host: "127.0.0.1", adminPort: cluster.node(leader).adminPort };
      const cut = { blockedTo: others.map(nodeId), blockedFrom: others.map(nodeId) };
      assert.deepEqual(await sendFaults(admin, testSecret, cut), { kind: "ok" });
      try {
        await assert.rejects(
          popped,
          /UNBLOCKED force unblock from blocking operation, instance state changed/,
        );
      } finally {
        assert.deepEqual(await sendFaults(admin, testSecret, null), { kind: "ok" });
      }
      ({ leader: leaderPort, follower: followerPort } = await cluster.respPorts());
    });

    it("answers the commands pipelined behind a blocked one only after it", async () => {
      // RPUSH after BLPOP on one connection cannot serve it: Redis reads nothing more from a
      // blocked client, so the BLPOP times out first.
      const pipeline =
        "*3\r\n$5\r\nBLPOP\r\n$2\r\nq5\r\n$3\r\n0.3\r\n*3\r\n$5\r\nRPUSH\r\n$2\r\nq5\r\n$1\r\nx\r\n";
      const { text } = await exchange(leaderPort, pipeline, { expectedBytes: 9 });
      assert.equal(text, "*-1\r\n:1\r\n");
    });
  });
}
