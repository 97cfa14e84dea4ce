/**
 * The callers waiting for the replicas' replies, by request id, with the time each write was fed
 * to its replica. A replica answers each request once, so an answered request's id is free to
 * reuse: the table is as large as the most requests ever pending at once, and adding or taking a
 * caller allocates nothing. (A Map by ever-growing id, filled and emptied by every batch of
 * writes, rebuilt its hash table again and again: a fifteenth of what a node under SETs
 * allocated. docs/decisions/0023-request-ids-reused-once-answered.md.)
 */
import { assert } from "../../util/assert.js";

export type CallerKind = "write" | "read";

export class PendingCallers<Write, Read> {
  /** By id - 1: the caller, undefined once answered. */
  private readonly callers: (Write | Read | undefined)[] = [];
  private readonly kinds: CallerKind[] = [];
  private readonly sinceMs: number[] = [];
  private readonly freeIds: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** A new id for `caller` (ids start at 1). */
  add(kind: "write", caller: Write): number;
  add(kind: "read", caller: Read): number;
  add(kind: CallerKind, caller: Write | Read): number {
    const id = this.freeIds.pop() ?? this.callers.length + 1;
    this.callers[id - 1] = caller;
    this.kinds[id - 1] = kind;
    this.sinceMs[id - 1] = 0;
    this.count++;
    return id;
  }

  /** Request `id`, pending, was fed to its replica at `nowMs`. */
  fed(id: number, nowMs: number): void {
    this.sinceMs[id - 1] = nowMs;
  }

  /** When request `id`, pending, was fed to its replica (0 if not yet). */
  fedAtMs(id: number): number {
    return this.sinceMs[id - 1] as number;
  }

  /**
   * The caller of request `id`, of `kind`, no longer pending; undefined if it was answered
   * already (the driver answers what is pending when it stops, and replies may follow).
   */
  take(kind: "write", id: number): Write | undefined;
  take(kind: "read", id: number): Read | undefined;
  take(kind: CallerKind, id: number): Write | Read | undefined {
    const caller = this.callers[id - 1];
    if (caller === undefined) return undefined;
    assert(this.kinds[id - 1] === kind, () => `a ${kind} reply to request ${id}, not a ${kind}`);
    this.callers[id - 1] = undefined;
    this.freeIds.push(id);
    this.count--;
    return caller;
  }

  /** Every pending id of `kind`, in id order. */
  ids(kind: CallerKind): number[] {
    const ids: number[] = [];
    this.callers.forEach((caller, index) => {
      if (caller !== undefined && this.kinds[index] === kind) ids.push(index + 1);
    });
    return ids;
  }
}
