/**
 * Callers waiting for replicas to hold an offset (Redis `WAIT`): checked after every pass of the
 * Ready loop, answered with the count reached when it is enough or when the deadline passes.
 */
import type { Offset } from "../../core/types.js";
import { assert } from "../../util/assert.js";

interface Wait {
  target: Offset;
  replicas: number;
  deadlineMs: number;
  resolve: (count: number) => void;
}

export class ReplicaWaits {
  private waits: Wait[] = [];

  constructor(private readonly waitsMax: number) {}

  get size(): number {
    return this.waits.length;
  }

  get full(): boolean {
    return this.waits.length >= this.waitsMax;
  }

  add(wait: Wait): void {
    assert(this.waits.length < this.waitsMax, () => `waits ${this.waits.length} at limit`);
    this.waits.push(wait);
  }

  /** Answers every wait that is met or expired; `count` tells how many replicas hold an offset. */
  check(nowMs: number, count: (target: Offset) => number): void {
    if (this.waits.length === 0) return;
    this.waits = this.waits.filter((wait) => {
      const reached = count(wait.target);
      if (reached < wait.replicas && nowMs < wait.deadlineMs) return true;
      wait.resolve(reached);
      return false;
    });
  }

  /** Answers every wait with what it has now (the node is stopping). */
  release(count: (target: Offset) => number): void {
    for (const wait of this.waits) wait.resolve(count(wait.target));
    this.waits = [];
  }
}
