/** Small synchronous file helpers shared by the segment and hard-state code. */
import { closeSync, fsyncSync, openSync, writevSync } from "node:fs";

/** Writes every byte of `buffers` at `position`, looping over short writes. */
export function writeAllSync(fd: number, buffers: readonly Buffer[], position: number): number {
  let remaining = buffers.filter((buffer) => buffer.length > 0);
  let at = position;
  while (remaining.length > 0) {
    let written = writevSync(fd, remaining, at);
    at += written;
    const rest: Buffer[] = [];
    for (const buffer of remaining) {
      if (written >= buffer.length) written -= buffer.length;
      else {
        rest.push(written > 0 ? buffer.subarray(written) : buffer);
        written = 0;
      }
    }
    remaining = rest;
  }
  return at - position;
}

/**
 * Makes the directory's entries (created, renamed, deleted files) durable: on Linux a new file's
 * name is only durable once its directory is fsynced (fsync(2), "Notes").
 */
export function fsyncDirectory(directory: string): void {
  const fd = openSync(directory, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
