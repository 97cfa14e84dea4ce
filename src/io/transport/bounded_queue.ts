/**
 * A FIFO ring buffer of at most `capacity` items. Pushing onto a full queue evicts the oldest
 * item and returns it, so the caller counts the drop: for replication the newest message is the
 * useful one (a fetch retried, a newer epoch), and the protocol tolerates the loss.
 */
import { assert } from "../../util/assert.js";

export class BoundedQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    assert(Number.isSafeInteger(capacity) && capacity > 0, () => `queue capacity ${capacity}`);
    this.items = new Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Appends `item`; returns the evicted oldest item when the queue was full. */
  push(item: T): T | undefined {
    let evicted: T | undefined;
    if (this.count === this.capacity) evicted = this.shift();
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
    return evicted;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return item;
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    while (this.count > 0) out.push(this.shift() as T);
    return out;
  }
}
