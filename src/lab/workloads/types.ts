/**
 * A workload decides what each client worker does next; the worker (worker.ts) runs it through
 * OnelogClient and records it. Operations are the history's `f` names (docs/history-format.md);
 * written values are unique per key, so a read's value names the write it saw.
 */
import type { Random } from "../../core/random.js";

export type LabOperation =
  | { f: "read"; key: string; value: null }
  | { f: "write"; key: string; value: string }
  /** `script`: the compare-and-set runs as a Lua script (EVAL), not as OL.CAS. */
  | { f: "cas"; key: string; value: [string | null, string]; script?: true }
  | { f: "list-append"; key: string; value: string }
  /** Knossos's multi-register transaction: its reads complete with the values they saw. */
  | { f: "txn"; key: string; value: MicroOperation[] }
  /** A queue's RPUSH of a unique element (OL.APPEND, at the run's write concern). */
  | { f: "enqueue"; key: string; value: string }
  /** BLPOP: completes with the element popped, or null when none came in time. */
  | { f: "dequeue"; key: string; value: null }
  /** The final phase's LRANGE and DEL in one transaction: completes with what was left. */
  | { f: "drain"; key: string; value: null };

/** `["r", key, null]` reads a register, `["w", key, value]` writes one. */
export type MicroOperation = ["r", string, string | null] | ["w", string, string];

export const workloadNames = [
  "register",
  "kv",
  "list-append",
  "bank",
  "bank-script",
  "txn",
  "queue",
] as const;
export type WorkloadName = (typeof workloadNames)[number];

/** What a worker tells its workload about a completed operation. */
export interface Observation {
  operation: LabOperation;
  /** A read's value when it succeeded; undefined otherwise. */
  readValue?: unknown;
  ok: boolean;
}

export interface Workload {
  readonly name: WorkloadName;
  /** Every key the workload touches: the final phase reads each. */
  readonly keys: readonly string[];
  /** What the final phase runs instead of a read of each key, when reads are not its words. */
  readonly final?: readonly LabOperation[];
  /** Operations to run once, in order, before the workers start (the bank's opening balances). */
  readonly setup: readonly LabOperation[];
  next(worker: number, random: Random): LabOperation;
  observe(worker: number, observation: Observation): void;
}

/** `${worker}-${n}`: unique across workers, and readable in a report. */
export class UniqueValues {
  private sequence = 0;
  next(worker: number): string {
    return `${worker}-${++this.sequence}`;
  }
}
