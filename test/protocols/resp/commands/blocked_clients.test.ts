/**
 * The blocked-client registry (blocked_clients.ts) with tries the test settles by hand: who a
 * write wakes, that a write during a try is not missed, and how a wait ends.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BlockedClients,
  type TryOutcome,
} from "../../../../src/protocols/resp/commands/blocked_clients.js";

/** A blocked client whose tries stay pending until the test settles them. */
function client(
  registry: BlockedClients,
  clientId: number,
  keys: string[],
  timeoutMs = 0,
  served = () => true,
) {
  const tries: Array<(outcome: TryOutcome<string>) => void> = [];
  const reply = registry.block(
    {
      clientId,
      keys,
      timeoutMs,
      attempt: () => new Promise<TryOutcome<string>>((settle) => tries.push(settle)),
      timedOut: "timed out",
      unblockedByError: "unblocked",
      served,
      unblockedByRoleChange: "no longer leader",
    },
    "closed",
  );
  const settle = async (outcome: TryOutcome<string>) => {
    const next = tries.at(-1);
    assert.ok(next, `client ${clientId} has no try in flight`);
    next(outcome);
    await flush();
  };
  return { tries, reply, settle };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const empty = { kind: "empty" } as const;
const done = (reply: string) => ({ kind: "done", reply }) as const;

test("a write wakes the longest-waiting idle client on the key, not every one", async () => {
  const registry = new BlockedClients();
  const first = client(registry, 1, ["q"]);
  const second = client(registry, 2, ["q", "r"]);
  await first.settle(empty);
  await second.settle(empty);
  registry.written("q");
  await flush();
  assert.equal(first.tries.length, 2);
  assert.equal(second.tries.length, 1);
  // The first client's pop writes the key again: that wakes the next idle one.
  registry.written("q");
  await flush();
  assert.equal(second.tries.length, 2);
  await first.settle(done("a"));
  await second.settle(done("b"));
  assert.deepEqual(await Promise.all([first.reply, second.reply]), ["a", "b"]);
  assert.equal(registry.count, 0);
});

test("a write during a try that comes back empty makes the client try again", async () => {
  const registry = new BlockedClients();
  const waiter = client(registry, 1, ["q"]);
  registry.written("q");
  await waiter.settle(empty);
  assert.equal(waiter.tries.length, 2, "the write between the try and the wait is not missed");
  await waiter.settle(empty);
  assert.equal(waiter.tries.length, 2, "no write since: it waits");
  assert.ok(registry.isBlocked(1));
  registry.written("other");
  await flush();
  assert.equal(waiter.tries.length, 2, "a write of another key wakes nobody");
});

test("a timeout during a try answers what the try found; after it, the timeout reply", async () => {
  const registry = new BlockedClients();
  const lucky = client(registry, 1, ["q"], 5);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await lucky.settle(done("found"));
  assert.equal(await lucky.reply, "found");
  const unlucky = client(registry, 2, ["q"], 5);
  await unlucky.settle(empty);
  assert.equal(await unlucky.reply, "timed out");
  assert.equal(registry.count, 0);
});

test("CLIENT UNBLOCK and a closed connection end the wait", async () => {
  const registry = new BlockedClients();
  const one = client(registry, 1, ["q"]);
  const two = client(registry, 2, ["q"]);
  const three = client(registry, 3, ["q"]);
  await Promise.all([one.settle(empty), two.settle(empty), three.settle(empty)]);
  assert.equal(registry.unblock(1, "timeout"), true);
  assert.equal(registry.unblock(2, "error"), true);
  registry.forget(3);
  assert.deepEqual(await Promise.all([one.reply, two.reply, three.reply]), [
    "timed out",
    "unblocked",
    "closed",
  ]);
  assert.equal(registry.unblock(1, "timeout"), false);
  registry.written("q");
  await flush();
  assert.deepEqual([one.tries.length, two.tries.length, three.tries.length], [1, 1, 1]);
});

test("a client whose node stops leading is unblocked with the role-change reply", async () => {
  const registry = new BlockedClients();
  let leading = true;
  const waiter = client(registry, 1, ["q"], 0, () => leading);
  await waiter.settle(empty);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(registry.isBlocked(1), "it waits while its node leads");
  leading = false;
  // The check's timer holds no process alive (a node's listeners do): this one holds the test.
  const alive = setTimeout(() => {}, 5000);
  assert.equal(await waiter.reply, "no longer leader");
  clearTimeout(alive);
  assert.equal(registry.count, 0);
});
