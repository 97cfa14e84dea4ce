/**
 * Jepsen's bank, with MULTI ... EXEC, under `kill -9` on a 3-node `raft` cluster: workers move
 * money between five accounts (`MULTI; DECRBY from n; INCRBY to n; EXEC`), retrying on the
 * current leader whatever the outcome, while the leader and later a follower are killed and
 * restarted. Every transfer keeps the total, applied once or (after an unknown outcome and a
 * retry) twice, so any state a replica ever holds at a record boundary sums to the opening
 * total; a transaction applied in part anywhere would not. Readers check that on the leader
 * (linearizable) and on every replica's local state (READONLY) throughout, and every replica
 * once the cluster has healed.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Reply } from "../../src/protocols/resp/index.js";
import { LocalNodes, sleep } from "./support/local_nodes.js";
import { TestRespClient } from "./support/resp_client.js";

const accounts = ["a0", "a1", "a2", "a3", "a4"];
const total = 500;
const transferWorkers = 3;
const transfersEach = 60;

const text = (reply: Reply | undefined): string | undefined =>
  reply?.kind === "bulk" ? reply.value?.toString("latin1") : undefined;

describe("MULTI/EXEC transfers under kill -9", () => {
  let cluster: LocalNodes;

  before(async () => {
    cluster = await LocalNodes.create(3, "raft");
    cluster.startAll();
    await cluster.waitForLeader();
  });
  after(() => cluster.destroy());

  /** The balances one transaction of five GETs saw, or undefined when it got no array. */
  async function balances(client: TestRespClient): Promise<number[] | undefined> {
    await client.call("MULTI");
    for (const account of accounts) await client.call("GET", account);
    const reply = await client.call("EXEC");
    if (reply.kind !== "array" || reply.items === null) return undefined;
    return reply.items.map((item) => Number(text(item) ?? "0"));
  }

  /** Set when the audit failed: the workers stop, so the test ends with the audit's error. */
  let halted = false;

  /** Runs `work` on a connection to the current leader, reconnecting after any failure. */
  async function onLeader(work: (client: TestRespClient) => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!halted) {
      assert.ok(Date.now() < deadline, "no leader took the transaction for 30 s");
      let client: TestRespClient | undefined;
      try {
        client = await TestRespClient.open(cluster.node(await cluster.anyLeader()).respPort);
        if (await work(client)) return;
      } catch {
        await sleep(30);
      } finally {
        client?.close();
      }
    }
  }

  async function transfers(worker: number, done: { count: number }): Promise<void> {
    for (let round = 0; round < transfersEach && !halted; round++) {
      const from = accounts[(worker + round) % accounts.length]!;
      const to = accounts[(worker + 2 * round + 1) % accounts.length]!;
      const amount = String(1 + ((worker * 7 + round) % 13));
      await onLeader(async (client) => {
        await client.call("MULTI");
        await client.call("DECRBY", from, amount);
        await client.call("INCRBY", to, amount);
        const reply = await client.call("EXEC");
        // An error (NOTLEADER, WTIMEOUT, UNKNOWN, EXECABORT) may or may not have applied:
        // the transfer is tried again, which keeps the total either way.
        return reply.kind === "array" && reply.items !== null;
      });
      done.count++;
    }
  }

  /** Reads every running replica's local state until `stop`; every sum must be the total. */
  async function audit(stop: () => boolean, seen: { reads: number }): Promise<void> {
    while (!stop()) {
      for (const node of cluster.nodes) {
        if (node.child === undefined) continue;
        let client: TestRespClient | undefined;
        try {
          client = await TestRespClient.open(node.respPort);
          await client.call("READONLY");
          const read = await balances(client);
          if (read === undefined) continue;
          const sum = read.reduce((left, right) => left + right, 0);
          assert.equal(sum, total, `node ${node.id} holds ${JSON.stringify(read)}`);
          seen.reads++;
        } catch (error) {
          if (error instanceof assert.AssertionError) throw error;
        } finally {
          client?.close();
        }
      }
      await sleep(10);
    }
  }

  it("never lets any replica hold a transfer in part, through a killed leader and follower", async () => {
    await onLeader(async (client) => {
      const reply = await client.call("MSET", ...accounts.flatMap((account) => [account, "100"]));
      return reply.kind === "simple";
    });
    const done = { count: 0 };
    const seen = { reads: 0 };
    let finished = false;
    const working = Promise.all(
      Array.from({ length: transferWorkers }, (_, worker) => transfers(worker, done)),
    ).finally(() => {
      finished = true;
    });
    const auditing = audit(() => finished, seen).catch((error: unknown) => {
      halted = true;
      throw error;
    });
    const planned = transferWorkers * transfersEach;
    const until = async (count: number) => {
      while (done.count < count && !finished) await sleep(5);
      if (halted) await auditing;
    };
    await cluster.killLeaderThenFollower((quarters) => until((quarters * planned) / 4));
    await Promise.all([working, auditing]);
    assert.equal(done.count, planned);
    assert.ok(seen.reads > 0, "the audit read nothing");

    await cluster.waitForCaughtUp();
    const finals: number[][] = [];
    for (const node of cluster.nodes) {
      const client = await TestRespClient.open(node.respPort);
      try {
        await client.call("READONLY");
        const read = await balances(client);
        assert.ok(read !== undefined, `node ${node.id} answered no balances`);
        finals.push(read);
      } finally {
        client.close();
      }
    }
    for (const read of finals) {
      assert.equal(
        read.reduce((left, right) => left + right, 0),
        total,
        JSON.stringify(read),
      );
      assert.deepEqual(read, finals[0], "replicas that hold the same log disagree");
    }
  });
});
