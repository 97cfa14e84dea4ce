/**
 * Multi-key kv: eight keys, the even ones strings (get/put), the odd ones lists (get/append),
 * so that no command meets a value of the wrong type. Keys are drawn uniformly.
 */
import type { Random } from "../../core/random.js";
import { type LabOperation, UniqueValues, type Workload } from "./types.js";

const keyCount = 8;

export class KvWorkload implements Workload {
  readonly name = "kv";
  readonly keys = Array.from({ length: keyCount }, (_, index) => `k${index}`);
  readonly setup = [];
  private readonly values = new UniqueValues();

  next(worker: number, random: Random): LabOperation {
    const index = random.int(0, keyCount - 1);
    const key = `k${index}`;
    if (random.chance(0.5)) return { f: "read", key, value: null };
    const value = this.values.next(worker);
    return index % 2 === 0 ? { f: "write", key, value } : { f: "list-append", key, value };
  }

  observe(): void {}
}
