/**
 * MULTI ... EXEC transactions over three registers (`x`, `y`, `z`), checked whole with
 * Knossos's multi-register model (src/checker/models/multi_register.ts): each transaction reads
 * and writes one to three registers with unique values, as one record at the preset's concerns
 * (docs/commands.md, "Transactions"). Under `raft` (majority writes, linearizable reads) the
 * history must be linearizable: every transaction takes effect at one point, its reads seeing
 * the registers as they were there, its own earlier writes included. The final phase is one
 * transaction that reads all three.
 */
import type { Random } from "../../core/random.js";
import { type LabOperation, type MicroOperation, UniqueValues, type Workload } from "./types.js";

const registers = ["x", "y", "z"];
/** The history's key for every transaction: the model checks them all together. */
export const txnKey = "txn";

export class TxnWorkload implements Workload {
  readonly name = "txn";
  readonly keys = [];
  readonly setup = [];
  readonly final: LabOperation[] = [
    { f: "txn", key: txnKey, value: registers.map((key): MicroOperation => ["r", key, null]) },
  ];
  private readonly values = new UniqueValues();

  next(worker: number, random: Random): LabOperation {
    const micro: MicroOperation[] = [];
    for (let count = random.int(1, 3); count > 0; count--) {
      const key = random.pick(registers);
      micro.push(random.next() < 0.5 ? ["r", key, null] : ["w", key, this.values.next(worker)]);
    }
    return { f: "txn", key: txnKey, value: micro };
  }

  observe(): void {}
}
