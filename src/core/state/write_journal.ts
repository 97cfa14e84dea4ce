/**
 * Which keys each record wrote, oldest first. It serves both ends of the version chains:
 * truncation pops the newest entries and drops exactly the versions they name (cost: records
 * undone), and garbage collection shifts the oldest entries, whose keys are the only ones that can
 * hold a version no read at the horizon sees (cost: records collected, not keys stored). Each
 * entry also keeps the key counts its record left, so INFO keyspace at any offset held is a
 * binary search rather than a walk over the keys.
 */
import { assert } from "../../util/assert.js";
import type { Offset } from "../types.js";
import type { Key } from "./kv_ops.js";

/** Keys holding a value, and those of them with an expiry (INFO keyspace's keys and expires). */
export interface KeyCounts {
  readonly keys: number;
  readonly expires: number;
}

export interface JournalEntry {
  readonly offset: Offset;
  /**
   * Each key once: a record writes at most one version of a key. One key, what most records
   * write, is held as itself: entries live as long as the versions they name, and an array each
   * would be one more object per write for the garbage collector to carry.
   */
  readonly keys: Key | readonly Key[];
  /** The key counts once this record applied. */
  readonly countsAfter: KeyCounts;
}

/** The keys an entry names. */
export function entryKeys(entry: JournalEntry): readonly Key[] {
  return typeof entry.keys === "string" ? [entry.keys] : entry.keys;
}

/** Shifted entries are dropped from the array in one slice once they are this many or more. */
const shiftedEntriesCompactMin = 1024;

export class WriteJournal {
  private entries: JournalEntry[] = [];
  /** Index of the oldest entry still held; entries before it were shifted out. */
  private head = 0;

  get length(): number {
    return this.entries.length - this.head;
  }

  push(entry: JournalEntry): void {
    const last = this.entries[this.entries.length - 1];
    assert(
      this.length === 0 || last === undefined || last.offset < entry.offset,
      () => `journal entry at ${entry.offset} after ${last?.offset}`,
    );
    this.entries.push(entry);
  }

  /**
   * The newest entry below `atOffset`, if any is held: O(1) when that is the newest entry (what
   * applying the next record asks), else O(log entries).
   */
  lastBelow(atOffset: Offset): JournalEntry | undefined {
    const newest = this.length > 0 ? this.entries[this.entries.length - 1] : undefined;
    if (newest !== undefined && newest.offset < atOffset) return newest;
    let low = this.head;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.entries[middle]!.offset < atOffset) low = middle + 1;
      else high = middle;
    }
    return low > this.head ? this.entries[low - 1] : undefined;
  }

  /** Removes and returns the entries at or above `fromOffset`, newest first. */
  popFrom(fromOffset: Offset): JournalEntry[] {
    const popped: JournalEntry[] = [];
    while (this.length > 0 && this.entries[this.entries.length - 1]!.offset >= fromOffset) {
      popped.push(this.entries.pop()!);
    }
    if (this.length === 0) this.clear();
    return popped;
  }

  /** Removes and returns the entries below `belowOffset`, oldest first. */
  shiftBelow(belowOffset: Offset): JournalEntry[] {
    let end = this.head;
    while (end < this.entries.length && this.entries[end]!.offset < belowOffset) end += 1;
    const shifted = this.entries.slice(this.head, end);
    this.head = end;
    if (this.length === 0) this.clear();
    else if (this.head >= shiftedEntriesCompactMin && this.head * 2 >= this.entries.length) {
      // Amortised O(1) per entry: the slice copies fewer entries than were shifted.
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return shifted;
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
  }
}
