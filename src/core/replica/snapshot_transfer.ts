/**
 * A snapshot travels to a follower in chunks, so that no fetch response outgrows the peer frame
 * limit whatever the size of the state (Raft thesis §5.4's InstallSnapshot with offset and done;
 * KIP-630's FetchSnapshot, where the follower names the position it wants next).
 *
 * A chunk is a slice of the snapshot's key entries, cut by `snapshotEntryBytesBound` at the
 * fetch byte limit but never empty while entries remain, so a transfer always progresses. An
 * entry too large for one chunk (a collection has no size cap) travels in parts, each a sub-range
 * of its elements (snapshot_entry_parts.ts) and at least one element, so a part outgrows the limit
 * only when one element does, and an element is at most a record (8 MiB). Small entries still
 * travel whole, several per chunk. The
 * leader keeps no state per transfer: every fetch names the snapshot (offset, epoch) and the
 * position the follower wants, and the leader answers from there if that is still its snapshot,
 * or from position 0 of the one it holds now. The follower keeps the entries received so far in
 * memory, for one leader in one epoch, and installs the whole snapshot once the last chunk is in.
 * A restart forgets a transfer; the next fetch then starts over.
 */
import { assert } from "../../util/assert.js";
import type { KvSnapshotEntry } from "../state/kv_ops.js";
import type { Epoch, NodeId, Offset } from "../types.js";
import { snapshotElementBytesBound, snapshotEntryBytesBound } from "./record_bytes.js";
import type { Snapshot } from "./snapshot.js";
import {
  elementsOf,
  isPartOf,
  type SnapshotElement,
  withElements,
} from "./snapshot_entry_parts.js";

/**
 * Which snapshot a follower is receiving, the index of the next entry it needs, and how many
 * elements of that entry it already holds (0 unless the entry travels in parts).
 */
export interface SnapshotPosition {
  readonly offset: Offset;
  readonly epoch: Epoch;
  readonly position: number;
  readonly element: number;
}

/**
 * Entries `position`, `position + 1`, … of the snapshot at (offset, epoch). When `element` is
 * above 0 the first entry is a part of entry `position`: its elements from `element` on. When
 * `continues`, the last entry is a part whose remaining elements follow in the next chunk.
 * `done` if the chunk ends the snapshot (never with `continues`).
 */
export interface SnapshotChunk {
  readonly offset: Offset;
  readonly epoch: Epoch;
  readonly position: number;
  readonly element: number;
  readonly entries: readonly KvSnapshotEntry[];
  readonly continues: boolean;
  readonly done: boolean;
}

/**
 * Entries at most this large never travel in parts, whatever the fetch limit: with a tiny limit
 * (the simulator draws limits down to 1 byte) a collection would otherwise cross in one element
 * per round trip, and a transfer that a leader change restarts might never finish. On nodes the
 * fetch limit (8 MiB) is above it, so only entries larger than a fetch are split.
 */
export const snapshotPartBytesMin = 1024 * 1024;

/**
 * The leader's answer to a follower that needs `snapshot`: the chunk at the follower's position
 * if it is receiving this very snapshot, otherwise the first chunk. Whole entries fill it up to
 * `bytesMax` (at least one entry); an entry larger than both `bytesMax` and `partBytesMin` is
 * split into parts of at most the larger of the two (at least one element each).
 */
export function snapshotChunk(
  snapshot: Snapshot,
  requested: SnapshotPosition | undefined,
  bytesMax: number,
  partBytesMin: number = snapshotPartBytesMin,
): SnapshotChunk {
  const splitBytes = Math.max(bytesMax, partBytesMin);
  const all = snapshot.state.entries;
  const resumes = requested !== undefined && isPositionOf(snapshot, requested);
  const position = resumes ? requested.position : 0;
  const element = resumes ? requested.element : 0;
  const entries: KvSnapshotEntry[] = [];
  let index = position;
  let from = element;
  let bytes = 0;
  let continues = false;
  while (index < all.length) {
    const entry = all[index] as KvSnapshotEntry;
    const elements = elementsOf(entry.value);
    if (from === 0) {
      const entryBytes = snapshotEntryBytesBound(entry);
      const unsplittable =
        elements === undefined || elements.length <= 1 || entryBytes <= splitBytes;
      if (bytes + entryBytes <= bytesMax || (entries.length === 0 && unsplittable)) {
        entries.push(entry);
        bytes += entryBytes;
        index++;
        continue;
      }
      // An entry that fits a chunk of its own waits for the next chunk rather than split.
      if (unsplittable || entryBytes <= bytesMax) break;
    }
    assert(elements !== undefined, () => `splitting the string entry at ${index}`);
    const part = partFrom(entry, elements, from, splitBytes - bytes, entries.length === 0);
    if (part === undefined) break;
    entries.push(part.entry);
    bytes += part.bytes;
    if (part.end < elements.length) {
      continues = true;
      break;
    }
    index++;
    from = 0;
  }
  assert(entries.length > 0 || all.length === 0, () => `empty chunk at ${position}/${all.length}`);
  return {
    offset: snapshot.offset,
    epoch: snapshot.epoch,
    position,
    element,
    entries,
    continues,
    done: !continues && index === all.length,
  };
}

/** Whether `requested` names a place in `snapshot`: an entry, and an element of it or 0. */
function isPositionOf(snapshot: Snapshot, requested: SnapshotPosition): boolean {
  const entry = snapshot.state.entries[requested.position];
  if (requested.offset !== snapshot.offset || requested.epoch !== snapshot.epoch) return false;
  if (entry === undefined) return false;
  return requested.element === 0 || requested.element < (elementsOf(entry.value)?.length ?? 0);
}

/**
 * The part of `entry` holding its elements from `from` on that fits `bytesLeft`, with the end of
 * that range: at least one element if the chunk is still empty, else undefined when not even one
 * fits.
 */
function partFrom(
  entry: KvSnapshotEntry,
  elements: readonly SnapshotElement[],
  from: number,
  bytesLeft: number,
  chunkEmpty: boolean,
): { entry: KvSnapshotEntry; bytes: number; end: number } | undefined {
  // An entry's bound is its bound without elements plus its elements' (record_bytes.ts).
  let bytes = snapshotEntryBytesBound(withElements(entry, []));
  let end = from;
  while (end < elements.length) {
    const elementBytes = snapshotElementBytesBound(elements[end]);
    if (bytes + elementBytes > bytesLeft && !(chunkEmpty && end === from)) break;
    bytes += elementBytes;
    end++;
  }
  if (end === from) return undefined;
  return { entry: withElements(entry, elements.slice(from, end)), bytes, end };
}

/** An entry received in part: the first part, and every element received so far. */
interface PartialEntry {
  readonly entry: KvSnapshotEntry;
  readonly elements: SnapshotElement[];
}

interface Transfer {
  readonly leader: NodeId;
  readonly leaderEpoch: Epoch;
  readonly offset: Offset;
  readonly epoch: Epoch;
  readonly entries: KvSnapshotEntry[];
  partial: PartialEntry | undefined;
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
    return {
      offset: transfer.offset,
      epoch: transfer.epoch,
      position: transfer.entries.length,
      element: transfer.partial?.elements.length ?? 0,
    };
  }

  /**
   * Takes a chunk from `leader` of `leaderEpoch`; returns the whole snapshot once the last chunk
   * is in. A first chunk starts over (the leader's snapshot changed, or it lost our place); any
   * other chunk that does not continue the transfer exactly (the position and element we need,
   * and a part of the entry we hold part of) is ignored, and the next fetch asks again for the
   * position we need.
   */
  accept(leader: NodeId, leaderEpoch: Epoch, chunk: SnapshotChunk): Snapshot | undefined {
    if (chunk.position === 0 && chunk.element === 0) {
      this.transfer = {
        leader,
        leaderEpoch,
        offset: chunk.offset,
        epoch: chunk.epoch,
        entries: [],
        partial: undefined,
      };
    }
    const transfer = this.transfer;
    if (
      transfer === undefined ||
      transfer.leader !== leader ||
      transfer.leaderEpoch !== leaderEpoch ||
      transfer.offset !== chunk.offset ||
      transfer.epoch !== chunk.epoch ||
      transfer.entries.length !== chunk.position ||
      (transfer.partial?.elements.length ?? 0) !== chunk.element ||
      !isWellFormed(chunk, transfer.partial)
    ) {
      return undefined;
    }
    const last = chunk.entries.length - 1;
    for (const [index, entry] of chunk.entries.entries()) {
      const partial = index === 0 ? transfer.partial : undefined;
      // One push per element or entry: a spread of a large chunk could exceed the engine's
      // argument limit.
      if (partial !== undefined) {
        for (const element of elementsOf(entry.value) ?? []) partial.elements.push(element);
      }
      if (index === last && chunk.continues) {
        if (partial === undefined) {
          transfer.partial = { entry, elements: [...(elementsOf(entry.value) ?? [])] };
        }
        continue;
      }
      if (partial !== undefined) {
        transfer.entries.push(withElements(partial.entry, partial.elements));
        transfer.partial = undefined;
      } else {
        transfer.entries.push(entry);
      }
    }
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

/**
 * Whether a chunk at the position we need fits what we hold: a part of the entry we hold part of
 * comes first, a continued last entry is a collection, and an unfinished chunk makes progress.
 * The codec checks the shape of a peer's chunk; this checks that it continues our transfer, which
 * only the receiver knows.
 */
function isWellFormed(chunk: SnapshotChunk, partial: PartialEntry | undefined): boolean {
  const first = chunk.entries[0];
  const last = chunk.entries[chunk.entries.length - 1];
  if (partial !== undefined && (first === undefined || !isPartOf(first, partial.entry))) {
    return false;
  }
  if (
    chunk.continues &&
    (chunk.done || last === undefined || elementsOf(last.value) === undefined)
  ) {
    return false;
  }
  return chunk.done || chunk.entries.length > 0;
}
