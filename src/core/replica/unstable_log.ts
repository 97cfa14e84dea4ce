/**
 * What the replica has changed in its log and not yet handed to storage (etcd-io/raft's
 * `unstable`), and the Ready in flight between `ready()` and `advance()`.
 */
import { assert } from "../../util/assert.js";
import { type Offset, offset } from "../types.js";
import type { Batch, ReplicaLog } from "./log.js";
import type { Snapshot, SnapshotKind } from "./snapshot.js";

/** The log writes of one Ready, in the order storage makes them. */
export interface LogWrites {
  snapshot: Snapshot | undefined;
  /** Set with `snapshot`; see Ready.snapshotKind. */
  snapshotKind: SnapshotKind | undefined;
  truncateTo: Offset | undefined;
  entries: Batch[];
}

export class UnstableLog {
  /** Records from here on are not yet handed to storage. */
  private from: Offset;
  private truncateTo: Offset | undefined;
  /** A snapshot taken or installed since the last Ready, to persist. */
  private snapshot: Snapshot | undefined;
  private snapshotKind: SnapshotKind | undefined;
  /** The log end the Ready in flight writes up to; undefined when none is. */
  private readyLeo: Offset | undefined;

  constructor(leo: Offset) {
    this.from = leo;
  }

  get readyOutstanding(): boolean {
    return this.readyLeo !== undefined;
  }

  /** Whether any log write waits to be handed to storage. */
  hasWrites(log: ReplicaLog): boolean {
    return this.from < log.leo || this.truncateTo !== undefined || this.snapshot !== undefined;
  }

  /** The log was truncated to `to`: stored records from there on must go too. */
  truncated(to: Offset): void {
    if (to >= this.from) return;
    this.from = to;
    this.truncateTo = this.truncateTo === undefined ? to : offset(Math.min(this.truncateTo, to));
  }

  /** Compaction took `snapshot`; the log below it is gone. */
  snapshotTaken(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    // A leader's snapshot not yet written stands in for a stored log that may not match it; the
    // snapshot taken on top of it replaces it and must be as durable.
    if (this.snapshotKind !== "installed") this.snapshotKind = "taken";
  }

  /** A leader's `snapshot` replaced the log: stored records at or past it are not known to match. */
  snapshotInstalled(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    this.snapshotKind = "installed";
    this.truncateTo = snapshot.offset;
    this.from = snapshot.offset;
  }

  /** The writes for a Ready, which stays in flight until `advance`. */
  take(log: ReplicaLog): LogWrites {
    // Unstable records that compaction already folded into the snapshot need no writing.
    const from = offset(Math.max(this.from, log.startOffset));
    const entries = log.read(from, Number.POSITIVE_INFINITY);
    this.readyLeo = log.leo;
    return {
      snapshot: this.snapshot,
      snapshotKind: this.snapshotKind,
      truncateTo: this.truncateTo,
      entries,
    };
  }

  /** The Ready in flight is written; returns the log end it wrote up to. */
  advance(): Offset {
    const readyLeo = this.readyLeo;
    assert(readyLeo !== undefined, "advance without ready");
    this.from = readyLeo;
    this.truncateTo = undefined;
    this.snapshot = undefined;
    this.snapshotKind = undefined;
    this.readyLeo = undefined;
    return readyLeo;
  }
}
