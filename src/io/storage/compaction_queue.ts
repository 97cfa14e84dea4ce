/**
 * The compaction snapshots of one DiskStorage on their way to disk: at most one being written in
 * the background (snapshot_writer.ts) and the newest one that came meanwhile, written when it
 * ends. Snapshots in between are never written, since the newest covers them; the one being
 * written is always finished, so a steady stream of compactions cannot starve the disk of every
 * snapshot.
 */
import { join } from "node:path";
import type { Snapshot } from "../../core/replica/index.js";
import type { Offset } from "../../core/types.js";
import { assert } from "../../util/assert.js";
import type { DiskStorageOptions } from "./options.js";
import { snapshotFileName } from "./snapshot_file.js";
import { type SnapshotWriteOutcome, SnapshotWriter } from "./snapshot_writer.js";

export class CompactionQueue {
  private current: { writer: SnapshotWriter; waiting: Snapshot | undefined } | undefined;
  /** Abandoned writes that still hold their file (a slice or an fsync pending). */
  private windingDown = 0;
  private idleWaiters: Array<() => void> = [];

  /** `onWritten` is called once a snapshot is in place, durably, and only then. */
  constructor(
    private readonly directory: string,
    private readonly options: Pick<DiskStorageOptions, "snapshotSlice" | "warn">,
    private readonly onWritten: (snapshot: Snapshot) => void,
  ) {}

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** The newest snapshot being written or waiting. */
  get newest(): Snapshot | undefined {
    return this.current?.waiting ?? this.current?.writer.snapshot;
  }

  /** Writes `snapshot` now, or after the one being written, instead of any other waiting. */
  add(snapshot: Snapshot): void {
    if (this.current !== undefined) this.current.waiting = snapshot;
    else this.start(snapshot);
  }

  /** Records from `from` on are gone: a snapshot past `from` has nothing to stand in for. */
  truncated(from: Offset): void {
    const current = this.current;
    if (current === undefined) return;
    // The waiting snapshot is newer than the one being written: past `from` if that one is.
    if (current.writer.snapshot.offset > from) {
      this.options.warn("truncation below a compaction snapshot; it is abandoned", {
        file: join(this.directory, snapshotFileName),
        offset: current.writer.snapshot.offset,
        truncateTo: from,
      });
      this.abandon();
    } else if (current.waiting !== undefined && current.waiting.offset > from) {
      current.waiting = undefined;
    }
  }

  /** Drops every snapshot, removing the one half written; the old one on disk stays. */
  abandon(): void {
    if (this.current === undefined) return;
    this.current.writer.abandon();
    this.current = undefined;
    this.windingDown++;
  }

  /**
   * Resolves once no snapshot is being written or waits to be, and every abandoned write has let
   * go of its file.
   */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.resolveIfIdle();
    });
  }

  private start(snapshot: Snapshot): void {
    const writer = new SnapshotWriter(
      this.directory,
      snapshot,
      this.options.snapshotSlice,
      (outcome) => this.ended(writer, outcome),
    );
    this.current = { writer, waiting: undefined };
  }

  /**
   * A write ended. On failure the old snapshot and every segment stay, so nothing is lost; the
   * node's log hears of it, and the next compaction tries again.
   */
  private ended(writer: SnapshotWriter, outcome: SnapshotWriteOutcome): void {
    if (outcome.kind === "abandoned") {
      this.windingDown--;
      return this.resolveIfIdle();
    }
    const current = this.current;
    assert(current?.writer === writer, "a compaction write ended that is not the current one");
    this.current = undefined;
    if (outcome.kind === "written") this.onWritten(writer.snapshot);
    else {
      this.options.warn("compaction snapshot not written; the old snapshot and log are kept", {
        file: join(this.directory, snapshotFileName),
        offset: writer.snapshot.offset,
        error: outcome.error.message,
      });
    }
    if (current.waiting !== undefined) this.start(current.waiting);
    else this.resolveIfIdle();
  }

  private resolveIfIdle(): void {
    if (this.current !== undefined || this.windingDown > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
