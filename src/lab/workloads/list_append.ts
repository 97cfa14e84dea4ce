/**
 * List-append (Elle's workload without transactions): appends of unique elements to a few lists
 * and reads of whole lists. A list read shows every append before it in log order, so lost and
 * dirty appends are visible element by element.
 */
import type { Random } from "../../core/random.js";
import { type LabOperation, UniqueValues, type Workload } from "./types.js";

const keyCount = 3;

export class ListAppendWorkload implements Workload {
  readonly name = "list-append";
  readonly keys = Array.from({ length: keyCount }, (_, index) => `l${index}`);
  readonly setup = [];
  private readonly values = new UniqueValues();

  next(worker: number, random: Random): LabOperation {
    const key = random.pick(this.keys);
    if (random.chance(0.4)) return { f: "read", key, value: null };
    return { f: "list-append", key, value: this.values.next(worker) };
  }

  observe(): void {}
}
