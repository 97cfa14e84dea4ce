import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { reconnectDelayMs } from "../../../src/io/transport/backoff.js";
import { BoundedQueue } from "../../../src/io/transport/bounded_queue.js";

test("a full queue evicts its oldest item and keeps the order of the rest", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer()), (capacity, items) => {
      const queue = new BoundedQueue<number>(capacity);
      const evicted = items.map((item) => queue.push(item)).filter((e) => e !== undefined);
      const kept = Math.min(capacity, items.length);
      assert.deepEqual(evicted, items.slice(0, items.length - kept));
      assert.equal(queue.length, kept);
      assert.deepEqual(queue.drain(), items.slice(items.length - kept));
      assert.equal(queue.length, 0);
    }),
  );
});

test("reconnect delays double from the minimum and stay within the bounds", () => {
  const limits = { delayMsMin: 50, delayMsMax: 2000 };
  const top = (failures: number) => reconnectDelayMs(limits, failures, () => 0.999999);
  const bottom = (failures: number) => reconnectDelayMs(limits, failures, () => 0);
  assert.deepEqual([0, 1, 2, 3, 6, 40].map(bottom), [50, 50, 100, 200, 1000, 1000]);
  assert.deepEqual(
    [0, 1, 2, 3, 6, 40].map((f) => Math.round(top(f))),
    [50, 100, 200, 400, 2000, 2000],
  );
  fc.assert(
    fc.property(
      fc.nat(1000),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (f, r) => {
        const delayMs = reconnectDelayMs(limits, f, () => r);
        assert.ok(delayMs >= 50 && delayMs <= 2000, `delay ${delayMs} for ${f} failures`);
      },
    ),
  );
});
