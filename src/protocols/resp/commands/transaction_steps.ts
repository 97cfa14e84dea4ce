/**
 * The Store a queued command's handler sees at EXEC (transactions.ts): its write or read is not
 * sent but becomes the next step of the transaction, and is answered once the transaction's one
 * record has applied, with that step's result at the record's offset. Every data handler makes
 * at most one Store call, before its first await, so the steps are known once every handler has
 * been called; a call after that is a bug and throws.
 */
import type {
  KvCommand,
  KvQuery,
  KvQueryResult,
  KvResult,
  Offset,
  ShardId,
  StepQuery,
  Store,
  StoreReadOutcome,
  StoreWriteOutcome,
  Topology,
  TransactionStep,
} from "../../../api/index.js";
import { assert } from "../../../util/assert.js";

/** The queries only the node asks, never a Redis command (kv_ops.ts StepQuery). */
const notSteps: ReadonlySet<KvQuery["kind"]> = new Set([
  "multi",
  "watch",
  "keyCounts",
  "expiredKeys",
]);

type Answer = (result: KvResult | KvQueryResult, at: Offset) => void;

export class TransactionSteps implements Store {
  readonly steps: TransactionStep[] = [];
  private readonly answers: Answer[] = [];
  private sealed = false;

  constructor(private readonly store: Store) {}

  /** Whether some step writes: the steps then go as one exec record, else as one read. */
  get writes(): boolean {
    return this.steps.some((step) => "write" in step);
  }

  write(command: KvCommand): Promise<StoreWriteOutcome> {
    assert(command.kind !== "exec", "a transaction step cannot be a transaction");
    this.add({ write: command });
    return new Promise((resolve) =>
      this.answers.push((result, at) =>
        resolve({ kind: "ok", offset: at, result: result as KvResult }),
      ),
    );
  }

  read(query: KvQuery): Promise<StoreReadOutcome> {
    assert(!notSteps.has(query.kind), () => `a transaction step cannot read ${query.kind}`);
    this.add({ read: query as StepQuery });
    return new Promise((resolve) =>
      this.answers.push((result, at) =>
        resolve({ kind: "ok", offset: at, result: result as KvQueryResult }),
      ),
    );
  }

  /** No more steps: the transaction is being sent. */
  seal(): void {
    this.sealed = true;
  }

  /** Answers each step's handler with its result from the transaction, in order. */
  answer(results: readonly (KvResult | KvQueryResult)[], at: Offset): void {
    assert(
      results.length === this.answers.length,
      () => `${results.length} results for ${this.answers.length} steps`,
    );
    for (const [index, answer] of this.answers.entries()) answer(results[index]!, at);
  }

  waitReplicas(shard: ShardId, offset: Offset, replicas: number, timeoutMs: number) {
    return this.store.waitReplicas(shard, offset, replicas, timeoutMs);
  }

  topology(): Topology {
    return this.store.topology();
  }

  private add(step: TransactionStep): void {
    assert(!this.sealed, "a queued command read or wrote after its transaction was sent");
    this.steps.push(step);
  }
}
