/**
 * The one loop that carries out Readys, shared by the real node and the simulator so that the
 * simulator tests production order: write every replica's Ready, send what may leave before the
 * sync (the leaders' fetch responses), sync once for all of them (group commit), then send the
 * rest, then reply, then advance.
 */
import { assert } from "../../util/assert.js";
import type { ClientReply } from "../concern/types.js";
import type { Offset, ShardId } from "../types.js";
import type { Batch } from "./log.js";
import type { Message } from "./messages.js";
import type { HardState, Ready } from "./ready.js";
import type { Replica } from "./replica.js";
import type { Snapshot } from "./snapshot.js";

export interface ReadyShell {
  /** Writes a Ready's hard state (durably), truncation and entries for one shard. */
  write(shard: ShardId, ready: Ready): void;
  /** Makes every write so far durable: one fsync for all shards. */
  sync(): void;
  send(messages: readonly Message[]): void;
  deliver(shard: ShardId, replies: readonly ClientReply[]): void;
}

/** Processes the Readys of `replicas` once; returns false if none had anything to do. */
export function processReady(replicas: readonly Replica[], shell: ReadyShell): boolean {
  const work: Array<{ replica: Replica; ready: Ready }> = [];
  for (const replica of replicas) {
    if (replica.hasReady()) work.push({ replica, ready: replica.ready() });
  }
  if (work.length === 0) return false;
  for (const { replica, ready } of work) shell.write(replica.shard, ready);
  for (const { ready } of work) {
    if (ready.messagesBeforeSync.length > 0) shell.send(ready.messagesBeforeSync);
  }
  if (work.some(({ ready }) => ready.mustSync)) shell.sync();
  for (const { ready } of work) if (ready.messages.length > 0) shell.send(ready.messages);
  for (const { replica, ready } of work)
    if (ready.replies.length > 0) shell.deliver(replica.shard, ready.replies);
  for (const { replica, ready } of work) replica.advance(ready);
  return true;
}

/** What `writeReady` needs of a shard's storage (src/storage's LogStorage has it). */
export interface ReadyStorage {
  saveHardState(hardState: HardState): void;
  installSnapshot(snapshot: Snapshot): void;
  /** A compaction snapshot, which may become durable later (LogStorage.compactTo). */
  compactTo?(snapshot: Snapshot): void;
  truncate(from: Offset): void;
  append(batches: readonly Batch[]): void;
}

/** Writes a Ready's persistent part in the order the contract requires; the caller syncs. */
export function writeReady(storage: ReadyStorage, ready: Ready): void {
  if (ready.hardState !== undefined) storage.saveHardState(ready.hardState);
  if (ready.snapshot !== undefined) {
    assert(ready.snapshotKind !== undefined, "a Ready's snapshot without its kind");
    if (ready.snapshotKind === "taken" && storage.compactTo !== undefined) {
      storage.compactTo(ready.snapshot);
    } else storage.installSnapshot(ready.snapshot);
  }
  if (ready.truncateTo !== undefined) storage.truncate(ready.truncateTo);
  if (ready.entries.length > 0) storage.append(ready.entries);
}
