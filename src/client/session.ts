/**
 * A causal session (MongoDB's causal consistency: operationTime chaining, [M] driver sessions
 * spec): it remembers the highest offset any of its replies reflected, and every read it sends
 * carries `AFTER` that offset, so a read on any replica sees the session's own writes and never
 * goes back behind what the session already read — read-your-writes and monotonic reads across
 * nodes.
 *
 * Which outcomes advance it: `ok` (reads and writes) and a write's `timeout` (the write is in the
 * leader's log at that offset). Not `unknown`: its offset may be rolled back and the session
 * must not wait for a write that may never have been (reads would still be answerable, since
 * every log eventually grows past any offset, but possibly only after a long wait).
 */
import type { WriteConcern } from "../core/concern/index.js";
import { type Offset, offset as toOffset } from "../core/types.js";
import type { OnelogClient, SetOptions } from "./client.js";
import type { ReadOptions } from "./concern_args.js";
import type { CasResult, ReadResult, WaitResult, WriteResult } from "./types.js";

export class CausalSession {
  private seen: Offset | undefined;
  private lastWrite: Offset | undefined;

  constructor(private readonly client: OnelogClient) {}

  /** The highest offset this session has seen (MongoDB's operationTime), if any. */
  get operationOffset(): Offset | undefined {
    return this.seen;
  }

  /** Joins another session's causal past (MongoDB `advanceOperationTime`). */
  advance(offset: Offset): void {
    if (this.seen === undefined || offset > this.seen) this.seen = offset;
  }

  async get(key: string, concern: ReadOptions = {}): Promise<ReadResult> {
    const after = Math.max(concern.afterOffset ?? 0, this.seen ?? 0);
    const chained = after > 0 ? { ...concern, afterOffset: toOffset(after) } : concern;
    const read = await this.client.get(key, chained);
    if (read.kind === "ok") this.advance(read.offset);
    return read;
  }

  set(
    key: string,
    value: string,
    concern?: WriteConcern,
    options?: SetOptions,
  ): Promise<WriteResult<boolean>> {
    return this.observe(this.client.set(key, value, concern, options));
  }

  cas(
    key: string,
    expected: string | null,
    value: string,
    concern?: WriteConcern,
  ): Promise<WriteResult<CasResult>> {
    return this.observe(this.client.cas(key, expected, value, concern));
  }

  append(key: string, element: string, concern?: WriteConcern): Promise<WriteResult<number>> {
    return this.observe(this.client.append(key, element, concern));
  }

  incr(key: string, by?: bigint, concern?: WriteConcern): Promise<WriteResult<bigint>> {
    return this.observe(this.client.incr(key, by, concern));
  }

  del(keys: string | readonly string[], concern?: WriteConcern): Promise<WriteResult<number>> {
    return this.observe(this.client.del(keys, concern));
  }

  /** Redis's WAIT on this session's last write: how many replicas hold it. */
  wait(replicas: number, timeoutMs: number): Promise<WaitResult> {
    return this.client.wait(this.lastWrite ?? toOffset(0), replicas, timeoutMs);
  }

  private async observe<R>(pending: Promise<WriteResult<R>>): Promise<WriteResult<R>> {
    const written = await pending;
    if (written.kind === "ok" || written.kind === "timeout") {
      this.advance(written.offset);
      this.lastWrite = written.offset;
    }
    return written;
  }
}
