/** The lab's workloads, by name. */
import { BankWorkload } from "./bank.js";
import { KvWorkload } from "./kv.js";
import { ListAppendWorkload } from "./list_append.js";
import { QueueWorkload } from "./queue.js";
import { RegisterWorkload } from "./register.js";
import { TxnWorkload } from "./txn.js";
import type { Workload, WorkloadName } from "./types.js";

export { bankTotal } from "./bank.js";
export { checkBankInvariant } from "./bank_invariant.js";
export { checkQueueInvariant, type QueueViolation } from "./queue_invariant.js";
export type { LabOperation, Observation, Workload, WorkloadName } from "./types.js";
export { workloadNames } from "./types.js";
export { type Concerns, createWorkers, type WorkerPool } from "./worker.js";

export function makeWorkload(name: WorkloadName): Workload {
  switch (name) {
    case "register":
      return new RegisterWorkload();
    case "kv":
      return new KvWorkload();
    case "list-append":
      return new ListAppendWorkload();
    case "bank":
      return new BankWorkload();
    case "bank-script":
      return new BankWorkload(true);
    case "txn":
      return new TxnWorkload();
    case "queue":
      return new QueueWorkload();
  }
}
