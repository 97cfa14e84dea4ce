/**
 * The safety invariants a simulated run checks after every step (DESIGN.md §11):
 * - at most one leader per epoch;
 * - log matching: a record at (epoch, offset) is one record, with one predecessor epoch, on every
 *   replica — by induction, logs that agree at an (epoch, offset) agree on everything before it;
 * - a committed record never changes or disappears: every replica's committed prefix is the one
 *   canonical committed log;
 * - `commit <= leo`;
 * - every snapshot a replica persists, taken by its own compaction or installed from a leader's
 *   chunks, is the committed state at its offset;
 * - no acknowledged `w:"majority"` write is lost: it is in the canonical committed log;
 * - reads at `majority`, `snapshot` or `linearizable` never observe a value that is later rolled
 *   back: replaying the final committed log gives the value each of them returned;
 * - linearizable reads are never stale: each reflects at least the offset of every majority write
 *   acknowledged, and of every linearizable read answered, before it was invoked (a new leader's
 *   commit passes its no-op, which follows everything committed before it).
 */
import { isDeepStrictEqual } from "node:util";
import type { LogRecord, Ready, Replica, Snapshot } from "../core/replica/index.js";
import type { KvSnapshotEntry, Value } from "../core/state/index.js";
import { KvStateMachine } from "../core/state/index.js";
import type { KvCommand } from "../core/state/kv_ops.js";
import { type Epoch, type NodeId, type Offset, offset } from "../core/types.js";

/** What the next linearizable read must reflect, and which operation set that bar. */
export interface Floor {
  offset: number;
  source: string;
}

export class SimViolation extends Error {
  override name = "SimViolation";
}

interface CommittedRead {
  key: string;
  bound: Offset;
  value: Value | null;
  nowMs: number;
  describe: string;
}

export class InvariantChecker {
  private readonly leaders = new Map<Epoch, NodeId>();
  private readonly registry = new Map<string, { record: LogRecord; previousEpoch: number }>();
  /** The canonical committed log, as the first replica to commit each offset had it. */
  private readonly committed: Array<{ record: LogRecord; epoch: Epoch; timestampMs: number }> = [];
  /** The canonical committed log applied, every version kept, to judge snapshots and reads. */
  private readonly committedState = new KvStateMachine();
  private readonly checkedCommit = new Map<NodeId, number>();
  private readonly committedReads: CommittedRead[] = [];
  /**
   * The highest offset that majority writes acknowledged and linearizable reads answered so far
   * reflect: any linearizable read invoked from now on must reflect at least this much.
   */
  linearizableFloor = 0;
  private floorSource = "";

  onRestart(node: NodeId): void {
    this.checkedCommit.set(node, 0);
  }

  /** Log matching and snapshot contents, checked on everything a replica writes to storage. */
  onWrite(node: NodeId, replica: Replica, ready: Ready): void {
    if (ready.snapshot !== undefined) this.checkSnapshot(node, ready.snapshot);
    for (const batch of ready.entries) {
      batch.records.forEach((record, index) => {
        const at = batch.baseOffset + index;
        const previousEpoch = at === 0 ? 0 : (replica.log.epochAt(offset(at - 1)) ?? -1);
        const key = `${batch.epoch}:${at}`;
        const known = this.registry.get(key);
        if (known === undefined) {
          this.registry.set(key, { record, previousEpoch });
        } else if (known.record !== record || known.previousEpoch !== previousEpoch) {
          this.fail(
            `log matching: node ${node} wrote a different record at offset ${at} epoch ${batch.epoch}` +
              ` (predecessor epoch ${previousEpoch}, registered ${known.previousEpoch})`,
          );
        }
      });
    }
  }

  afterStep(node: NodeId, replica: Replica): void {
    const status = replica.status();
    if (status.commit > status.leo)
      this.fail(`node ${node}: commit ${status.commit} > leo ${status.leo}`);
    if (status.role === "leader") {
      const leader = this.leaders.get(status.epoch);
      if (leader === undefined) this.leaders.set(status.epoch, node);
      else if (leader !== node)
        this.fail(`two leaders in epoch ${status.epoch}: ${leader} and ${node}`);
    }
    const from = this.checkedCommit.get(node) ?? 0;
    // Records below the log start were compacted into a snapshot: their check happened on the
    // replica (or leader) that committed them while they were still in its log.
    for (let at = Math.max(from, replica.log.startOffset); at < status.commit; at++) {
      const { record, epoch, timestampMs } = replica.log.recordAt(offset(at));
      const known = this.committed[at];
      if (known === undefined) {
        if (at !== this.committed.length)
          this.fail(`node ${node} committed offset ${at} past the known prefix`);
        this.committed.push({ record, epoch, timestampMs });
        if (record.kind === "kv")
          this.committedState.apply(offset(at), record.command, timestampMs);
        else this.committedState.skip(offset(at));
      } else if (known.record !== record) {
        this.fail(
          `committed record changed: node ${node} has epoch ${epoch} at offset ${at}, committed was epoch ${known.epoch}`,
        );
      }
    }
    if (status.commit > from) this.checkedCommit.set(node, status.commit);
  }

  /** A client got `ok` for a majority write ending at `end`: its record must be committed. */
  onMajorityAck(end: Offset, command: KvCommand, describe: string): void {
    this.raiseFloor(end, `a majority write (${describe})`);
    const known = this.committed[end - 1];
    if (known === undefined || known.record.kind !== "kv" || known.record.command !== command) {
      this.fail(
        `acknowledged majority write ${describe} is not the committed record at offset ${end - 1}`,
      );
    }
  }

  /**
   * A committed-level read completed. A linearizable one must reflect `floorAtInvoke`, the
   * linearizable floor when it began (the real-time order linearizability demands); its value is
   * checked against the final committed log in `finish`.
   */
  onCommittedRead(read: CommittedRead, linearizable: { floorAtInvoke: Floor } | undefined): void {
    if (linearizable !== undefined) {
      const { offset: floor, source } = linearizable.floorAtInvoke;
      if (read.bound < floor) {
        this.fail(
          `stale read: ${read.describe} reflects offset ${read.bound}, but ${source} reflecting ${floor} completed before it began`,
        );
      }
      this.raiseFloor(read.bound, read.describe);
    }
    this.committedReads.push(read);
  }

  get floor(): Floor {
    return { offset: this.linearizableFloor, source: this.floorSource };
  }

  private raiseFloor(at: number, source: string): void {
    if (at <= this.linearizableFloor) return;
    this.linearizableFloor = at;
    this.floorSource = source;
  }

  /** After convergence: every replica holds the committed log, and committed reads replay. */
  finish(replicas: readonly Replica[]): void {
    for (const replica of replicas) {
      if (replica.log.leo < this.committed.length) {
        this.fail(
          `node ${replica.id} ends with leo ${replica.log.leo} below the committed ${this.committed.length}`,
        );
      }
      this.committed.forEach((entry, at) => {
        if (at < replica.log.startOffset) return;
        if (replica.log.recordAt(offset(at)).record !== entry.record) {
          this.fail(`node ${replica.id} ends with a different record at committed offset ${at}`);
        }
      });
    }
    for (const read of this.committedReads) {
      const { value } = this.committedState.query(
        { kind: "get", key: read.key },
        read.bound,
        read.nowMs,
      );
      if (!isDeepStrictEqual(value, read.value)) {
        this.fail(
          `${read.describe} returned ${JSON.stringify(read.value)} at offset ${read.bound}, but the committed log has ${JSON.stringify(value)} there`,
        );
      }
    }
  }

  /**
   * A snapshot must hold exactly the keys, values, versions and expiries the committed log
   * gives at its offset; the order of its entries is the order of the replica's own map.
   */
  private checkSnapshot(node: NodeId, snapshot: Snapshot): void {
    if (snapshot.offset > this.committed.length) {
      this.fail(
        `node ${node} persisted a snapshot at ${snapshot.offset}, past the committed ${this.committed.length}`,
      );
    }
    const byKey = (entries: readonly KvSnapshotEntry[]) =>
      [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const expected = byKey(this.committedState.snapshotAt(snapshot.offset).entries);
    const persisted = byKey(snapshot.state.entries);
    if (!isDeepStrictEqual(persisted, expected)) {
      this.fail(
        `node ${node} persisted a snapshot at ${snapshot.offset} with ${persisted.length} keys that differs from the committed state there (${expected.length} keys)`,
      );
    }
  }

  private fail(message: string): never {
    throw new SimViolation(message);
  }
}
