/**
 * Commit policies: pure functions from what the leader knows of every member's log to the
 * shard's commit offset (DESIGN.md §5). The replica calls `commitOffset` whenever progress
 * changes; a new policy (`isr`, `none`) is a new function here, not a change to message handling.
 */
import type { NodeId, Offset } from "../types.js";

export interface MemberProgress {
  /** The member's log end offset as the leader last learned it. */
  leo: Offset;
  /** How much of it is on disk. */
  durableOffset: Offset;
}

export interface CommitView {
  /** Voting members, the leader included. */
  members: readonly NodeId[];
  progress: ReadonlyMap<NodeId, MemberProgress>;
  /** Count only durable copies (fsync policy `always` or `group`). */
  requireDurable: boolean;
  /** Offset of the first record of the leader's epoch (its no-op). */
  epochStartOffset: Offset;
  /** The commit offset so far; a policy never moves it back. */
  commit: Offset;
}

export type CommitPolicy = (view: CommitView) => Offset;

export const quorumSize = (memberCount: number): number => Math.floor(memberCount / 2) + 1;

/** The highest offset that at least `count` members hold (durably, if required). */
export function offsetHeldBy(view: CommitView, count: number, durable: boolean): Offset {
  const held = view.members
    .map((member) => {
      const progress = view.progress.get(member);
      if (progress === undefined) return 0;
      return durable ? progress.durableOffset : progress.leo;
    })
    .sort((a, b) => b - a);
  return (count <= held.length ? (held[count - 1] ?? 0) : 0) as Offset;
}

/**
 * Raft's rule (§5.3–5.4.2, Figure 8): commit up to the highest offset a majority holds, but only
 * by counting a record of the leader's own epoch; older records commit with it, indirectly.
 */
export const majorityCommit: CommitPolicy = (view) => {
  const held = offsetHeldBy(view, quorumSize(view.members.length), view.requireDurable);
  const coversOwnEpoch = held > view.epochStartOffset;
  return coversOwnEpoch && held > view.commit ? held : view.commit;
};
