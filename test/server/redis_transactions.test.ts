/**
 * MULTI ... EXEC and WATCH through real clients against real 3-node clusters, under the `redis`
 * preset (leader acknowledgement, local reads) and the `raft` preset (majority writes,
 * linearizable reads):
 * - ioredis's and node-redis's own transaction APIs, errors inside a transaction included;
 * - WATCH as optimistic locking: clients racing to increment one counter by WATCH, GET, MULTI,
 *   SET, EXEC, retrying when EXEC answers nil, lose no increment;
 * - isolation: readers of two keys that every transaction increments together never see them
 *   apart;
 * - on a follower, a transaction of reads runs and one with a write is refused at queue time.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { LocalNodes } from "./support/local_nodes.js";

for (const preset of ["redis", "raft"] as const) {
  describe(`transactions on a 3-node ${preset}-preset cluster`, () => {
    let cluster: LocalNodes;
    let leaderPort: number;
    let followerPort: number;

    before(async () => {
      cluster = await LocalNodes.create(3, preset, { electionTimeoutMs: 1500 });
      cluster.startAll();
      ({ leader: leaderPort, follower: followerPort } = await cluster.respPorts());
    });
    after(async () => cluster.destroy());

    it("answers ioredis's multi() and node-redis's multi() with every reply in order", async () => {
      const io = new Redis({ port: leaderPort, lazyConnect: true });
      await io.connect();
      const nodeRedis = createClient({ socket: { port: leaderPort, host: "127.0.0.1" }, RESP: 3 });
      await nodeRedis.connect();
      try {
        const replies = await io.multi().set("t", "1").incr("t").get("t").lpush("t", "x").exec();
        assert.equal(replies?.length, 4);
        assert.deepEqual(replies?.slice(0, 3), [
          [null, "OK"],
          [null, 2],
          [null, "2"],
        ]);
        assert.match(String(replies?.[3]?.[0]), /^ReplyError: WRONGTYPE/);
        assert.deepEqual(await nodeRedis.multi().del("t").hSet("h", "f", "1").hGetAll("h").exec(), [
          1,
          1,
          { f: "1" },
        ]);
        // The queued commands run with the client still in MULTI, as CLIENT INFO shows in Redis.
        const [[, info] = []] = (await io.multi().call("CLIENT", "INFO").exec()) ?? [];
        assert.match(String(info), / flags=x .* multi=1 /);
        // A command refused while queueing discards the whole transaction.
        await assert.rejects(
          io.multi().set("u", "1").call("NOSUCHCOMMAND").exec(),
          /EXECABORT Transaction discarded because of previous errors/,
        );
        assert.equal(await io.exists("u"), 0);
      } finally {
        io.disconnect();
        await nodeRedis.close();
      }
    });

    it("loses no increment when clients race through WATCH, GET, MULTI, SET, EXEC", async () => {
      const clients = 5;
      const incrementsEach = 20;
      let aborted = 0;
      const racers = Array.from({ length: clients }, async () => {
        const client = new Redis({ port: leaderPort, lazyConnect: true });
        await client.connect();
        try {
          for (let done = 0; done < incrementsEach; ) {
            await client.watch("counter");
            const current = Number((await client.get("counter")) ?? "0");
            const result = await client
              .multi()
              .set("counter", String(current + 1))
              .exec();
            if (result === null) aborted++;
            else done++;
          }
        } finally {
          client.disconnect();
        }
      });
      await Promise.all(racers);
      const reader = new Redis({ port: leaderPort, lazyConnect: true });
      await reader.connect();
      try {
        assert.equal(await reader.get("counter"), String(clients * incrementsEach));
      } finally {
        reader.disconnect();
      }
      // The race is real: some transactions found the counter changed under them.
      assert.ok(aborted > 0, `no EXEC aborted among ${clients} racing clients`);
    });

    it("never shows a reader two keys that every transaction changes together apart", async () => {
      const writer = new Redis({ port: leaderPort, lazyConnect: true });
      const reader = new Redis({ port: leaderPort, lazyConnect: true });
      await writer.connect();
      await reader.connect();
      try {
        await writer.mset("left", "0", "right", "0");
        const writes = (async () => {
          for (let round = 0; round < 100; round++) {
            await writer.multi().incr("left").incr("right").exec();
          }
        })();
        let reads = 0;
        let finished = false;
        void writes.then(() => {
          finished = true;
        });
        while (!finished) {
          const replies = await reader.multi().get("left").get("right").exec();
          const [left, right] = (replies ?? []).map(([, value]) => value);
          assert.equal(left, right, "a transaction's two increments seen apart");
          reads++;
        }
        await writes;
        assert.deepEqual(await reader.mget("left", "right"), ["100", "100"]);
        assert.ok(reads > 0);
      } finally {
        writer.disconnect();
        reader.disconnect();
      }
    });

    it("runs a transaction of reads on a follower and refuses a write there", async () => {
      const leader = new Redis({ port: leaderPort, lazyConnect: true });
      const follower = new Redis({ port: followerPort, lazyConnect: true });
      await leader.connect();
      await follower.connect();
      try {
        await leader.set("seen", "here");
        await leader.call("WAIT", "2", "2000");
        await follower.call("READONLY");
        assert.deepEqual(await follower.multi().get("seen").exists("seen").exec(), [
          [null, "here"],
          [null, 1],
        ]);
        await assert.rejects(
          follower.multi().get("seen").set("seen", "there").exec(),
          /EXECABORT Transaction discarded because of previous errors/,
        );
        assert.equal(await leader.get("seen"), "here");
      } finally {
        leader.disconnect();
        follower.disconnect();
      }
    });
  });
}
