/**
 * A work queue, as Jepsen's total-queue: workers enqueue unique elements at the tail of one list
 * (RPUSH through OL.APPEND, at the run's write concern) and dequeue from its head with BLPOP (a
 * blocking pop at the preset's write concern, docs/commands.md "Blocking pops"). The final phase
 * drains what is left. The invariant (queue_invariant.ts): no element is delivered twice or
 * invented, and none acknowledged is lost beyond what dequeues of unknown outcome may have taken.
 */
import type { Random } from "../../core/random.js";
import { type LabOperation, UniqueValues, type Workload } from "./types.js";

export const queueKey = "queue";

export class QueueWorkload implements Workload {
  readonly name = "queue";
  readonly keys = [];
  readonly setup = [];
  readonly final: LabOperation[] = [{ f: "drain", key: queueKey, value: null }];
  private readonly values = new UniqueValues();

  next(worker: number, random: Random): LabOperation {
    return random.next() < 0.5
      ? { f: "enqueue", key: queueKey, value: this.values.next(worker) }
      : { f: "dequeue", key: queueKey, value: null };
  }

  observe(): void {}
}
