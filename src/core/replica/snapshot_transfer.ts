/**
 * A snapshot travels to a follower in chunks, so that no fetch response outgrows the peer frame
 * limit whatever the size of the state (Raft thesis §5.4's InstallSnapshot with offset and done;
 * KIP-630's FetchSnapshot, where the follower names the position it wants next).
 *
 * A chunk is a slice of the snapshot's key entries, cut by `snapshotEntryBytesBound` at the
 * fetch byte limit but never empty while entries remain, so a transfer always progresses. The
 * leader keeps no state per transfer: every fetch names the snapshot (offset, epoch) and the
 * position the follower wants, and the leader answers from there if that is still its snapshot,
 * or from position 0 of the one it holds now. The follower keeps the entries received so far in
 * memory, for one leader in one epoch, and installs the whole snapshot once the last chunk is in.
 * A restart forgets a transfer; the next fetch then starts over.
 */
import type { KvSnapshotEntry } from "../state/kv_ops.js";
import type { Epoch, NodeId, Offset } from "../types.js";
import { snapshotEntryBytesBound } from "./record_bytes.js";
import type { Snapshot } from "./snapshot.js";

/** Which snapshot a follower is receiving, and the index of the next entry it needs. */
export interface SnapshotPosition {
  readonly offset: Offset;
  readonly epoch: Epoch;
  readonly position: number;
}

/** Entries `position`, `position + 1`, … of the snapshot at (offset, epoch); `done` if the last. */
export interface SnapshotChunk {
  readonly offset: Offset;
  readonly epoch: Epoch;
  readonly position: number;
  readonly entries: readonly KvSnapshotEntry[];
  readonly done: boolean;
}

/**
 * The leader's answer to a follower that needs `snapshot`: the chunk at the follower's position
 * if it is receiving this very snapshot, otherwise the first chunk.
 */
export function snapshotChunk(
  snapshot: Snapshot,
  requested: SnapshotPosition | undefined,
  bytesMax: number,
): SnapshotChunk {
  const all = snapshot.state.entries;
  const resumes =
    requested !== undefined &&
    requested.offset === snapshot.offset &&
    requested.epoch === snapshot.epoch &&
    requested.position < all.length;
  const position = resumes ? requested.position : 0;
  let end = position;
  let bytes = 0;
  while (end < all.length) {
    const entryBytes = snapshotEntryBytesBound(all[end] as KvSnapshotEntry);
    if (end > position && bytes + entryBytes > bytesMax) break;
    bytes += entryBytes;
    end++;
  }
  return {
    offset: snapshot.offset,
    epoch: snapshot.epoch,
    position,
    entries: all.slice(position, end),
    done: end === all.length,
  };
}

interface Transfer {
  readonly leader: NodeId;
  readonly leaderEpoch: Epoch;
  readonly offset: Offset;
  readonly epoch: Epoch;
  readonly entries: KvSnapshotEntry[];
}

/** The follower's side: the entries received so far of the snapshot it is receiving. */
export class SnapshotReceiver {
  private transfer: Transfer | undefined;

  /**
   * What to ask `leader` of `leaderEpoch` for next. A transfer from another leader or epoch is
   * dropped: that leader's snapshot at the same offset may list its entries in another order.
   */
  position(leader: NodeId, leaderEpoch: Epoch): SnapshotPosition | undefined {
    const transfer = this.transfer;
    if (transfer === undefined) return undefined;
    if (transfer.leader !== leader || transfer.leaderEpoch !== leaderEpoch) {
      this.transfer = undefined;
      return undefined;
    }
    return { offset: transfer.offset, epoch: transfer.epoch, position: transfer.entries.length };
  }

  /**
   * Takes a chunk from `leader` of `leaderEpoch`; returns the whole snapshot once the last chunk
   * is in. A first chunk starts over (the leader's snapshot changed, or it lost our place); any
   * other chunk that does not continue the transfer exactly is ignored, and the next fetch asks
   * again for the position we need.
   */
  accept(leader: NodeId, leaderEpoch: Epoch, chunk: SnapshotChunk): Snapshot | undefined {
    if (chunk.position === 0) {
      this.transfer = {
        leader,
        leaderEpoch,
        offset: chunk.offset,
        epoch: chunk.epoch,
        entries: [],
      };
    }
    const transfer = this.transfer;
    if (
      transfer === undefined ||
      transfer.leader !== leader ||
      transfer.leaderEpoch !== leaderEpoch ||
      transfer.offset !== chunk.offset ||
      transfer.epoch !== chunk.epoch ||
      transfer.entries.length !== chunk.position
    ) {
      return undefined;
    }
    // One push per entry: a spread of a large chunk could exceed the engine's argument limit.
    for (const entry of chunk.entries) transfer.entries.push(entry);
    if (!chunk.done) return undefined;
    this.transfer = undefined;
    return {
      offset: transfer.offset,
      epoch: transfer.epoch,
      state: { offset: transfer.offset, entries: transfer.entries },
    };
  }

  /** The leader sent records or a divergence instead: it no longer wants us to take a snapshot. */
  abandon(): void {
    this.transfer = undefined;
  }
}
