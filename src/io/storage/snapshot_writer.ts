/**
 * Writes a compaction snapshot to its file in the background, so that encoding a large state does
 * not block the node's event loop (docs/decisions/0011-background-compaction-snapshots.md): one
 * slice per turn (setImmediate), each encoded and written at its place in `snapshot.tmp`; then the
 * header at the start of the file, an fsync off the loop (libuv's thread pool), and the rename over
 * `snapshot` with a directory fsync, as writeSnapshot does in one go.
 *
 * Nothing it does overlaps a Ready: each turn's work is synchronous, and the driver's passes are
 * too. It owns its file descriptor and closes it on every path, including after `abandon`.
 */
import { closeSync, fsync, openSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Snapshot } from "../../core/replica/index.js";
import { writeAllSync } from "./file_io.js";
import {
  renameSnapshotIntoPlace,
  SnapshotEncoder,
  type SnapshotSliceLimits,
  snapshotHeaderBytes,
  snapshotTemporaryFileName,
} from "./snapshot_file.js";

/** How a write ended; in every case its file descriptor is closed by then. */
export type SnapshotWriteOutcome =
  | { kind: "written" }
  | { kind: "failed"; error: Error }
  | { kind: "abandoned" };

export class SnapshotWriter {
  private readonly encoder: SnapshotEncoder;
  private readonly temporaryPath: string;
  private fd: number | undefined;
  /** Where the next slice goes: the payload follows the header, which is written last. */
  private position = snapshotHeaderBytes;
  private abandoned = false;

  /**
   * Starts writing `snapshot` on the next turn. `onEnd` is called once: when the snapshot is in
   * place (durably), when the write failed, or, after `abandon`, when it has let go of its file.
   */
  constructor(
    private readonly directory: string,
    readonly snapshot: Snapshot,
    limits: SnapshotSliceLimits,
    private readonly onEnd: (outcome: SnapshotWriteOutcome) => void,
  ) {
    this.encoder = new SnapshotEncoder(snapshot, limits);
    this.temporaryPath = join(directory, snapshotTemporaryFileName);
    setImmediate(() => this.writeSlice());
  }

  /**
   * Stops for good: the temporary file goes at once, so the name is free for a snapshot written
   * synchronously. The slice or fsync still pending only closes the descriptor, whose file no
   * longer has a name, and ends the write as `abandoned`: nothing it does can reach `snapshot`.
   */
  abandon(): void {
    if (this.abandoned) return;
    this.abandoned = true;
    rmSync(this.temporaryPath, { force: true });
  }

  private writeSlice(): void {
    if (this.abandoned) return this.windDown();
    try {
      this.fd ??= openSync(this.temporaryPath, "w");
      this.position += writeAllSync(this.fd, [this.encoder.next()], this.position);
      if (!this.encoder.done) {
        setImmediate(() => this.writeSlice());
        return;
      }
      writeAllSync(this.fd, [this.encoder.header()], 0);
      fsync(this.fd, (error) => this.synced(error));
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private synced(error: Error | null): void {
    if (this.abandoned) return this.windDown();
    if (error !== null) return this.fail(error);
    try {
      this.closeFile();
      renameSnapshotIntoPlace(this.directory);
    } catch (failure) {
      return this.fail(failure as Error);
    }
    this.onEnd({ kind: "written" });
  }

  private windDown(): void {
    this.closeFile();
    this.onEnd({ kind: "abandoned" });
  }

  /** Leaves nothing behind but the old snapshot; the error goes to `onEnd`. */
  private fail(error: Error): void {
    try {
      this.closeFile();
      rmSync(this.temporaryPath, { force: true });
    } catch {
      // The error reported is the first one; a leftover file is removed on the next open.
    }
    this.onEnd({ kind: "failed", error });
  }

  private closeFile(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}
