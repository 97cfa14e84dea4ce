/**
 * One register (key `r`): reads, writes and compare-and-sets, Jepsen's cas-register. A cas
 * expects the value the worker last read (or a recent write), so that some compares succeed.
 */
import type { Random } from "../../core/random.js";
import { type LabOperation, type Observation, UniqueValues, type Workload } from "./types.js";

const key = "r";

export class RegisterWorkload implements Workload {
  readonly name = "register";
  readonly keys = [key];
  readonly setup = [];
  private readonly values = new UniqueValues();
  private readonly lastSeen = new Map<number, string | null>();

  next(worker: number, random: Random): LabOperation {
    const roll = random.next();
    if (roll < 0.5) return { f: "read", key, value: null };
    if (roll < 0.75 || !this.lastSeen.has(worker)) {
      return { f: "write", key, value: this.values.next(worker) };
    }
    return { f: "cas", key, value: [this.lastSeen.get(worker) ?? null, this.values.next(worker)] };
  }

  observe(worker: number, { operation, readValue, ok }: Observation): void {
    if (!ok) return;
    if (operation.f === "read") this.lastSeen.set(worker, (readValue as string | null) ?? null);
    else if (operation.f === "write") this.lastSeen.set(worker, operation.value);
    else if (operation.f === "cas") this.lastSeen.set(worker, operation.value[1]);
  }
}
