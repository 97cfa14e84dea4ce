/**
 * The simulator's agenda: events ordered by virtual time, ties broken by insertion order, so
 * that one seed always replays the same run. A binary heap.
 */
import { assert } from "../util/assert.js";

interface Entry<T> {
  timeMs: number;
  sequence: number;
  event: T;
}

export class EventQueue<T> {
  private readonly heap: Array<Entry<T>> = [];
  private sequence = 0;

  get size(): number {
    return this.heap.length;
  }

  push(timeMs: number, event: T): void {
    assert(Number.isFinite(timeMs), () => `event at ${timeMs}`);
    const entry = { timeMs, sequence: this.sequence++, event };
    const heap = this.heap;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(entry, heap[parent] as Entry<T>)) break;
      heap[index] = heap[parent] as Entry<T>;
      index = parent;
    }
    heap[index] = entry;
  }

  /** The time of the earliest event, or undefined when the agenda is empty. */
  peekTimeMs(): number | undefined {
    return this.heap[0]?.timeMs;
  }

  /** The earliest event, or undefined when the agenda is empty. */
  pop(): { timeMs: number; event: T } | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop() as Entry<T>;
    if (heap.length > 0) {
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child =
          right < heap.length && before(heap[right] as Entry<T>, heap[left] as Entry<T>)
            ? right
            : left;
        if (!before(heap[child] as Entry<T>, last)) break;
        heap[index] = heap[child] as Entry<T>;
        index = child;
      }
      heap[index] = last;
    }
    return { timeMs: top.timeMs, event: top.event };
  }
}

const before = <T>(a: Entry<T>, b: Entry<T>): boolean =>
  a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.sequence < b.sequence);
