/** Small synchronous file helpers shared by the segment, hard-state and snapshot code. */
import { closeSync, fsyncSync, openSync, renameSync, writevSync } from "node:fs";
import { join } from "node:path";

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

/**
 * Replaces `name` in `directory` atomically and durably: `write` fills `temporaryName`, which is
 * fsynced, renamed over `name`, and the directory fsynced, so that after a crash the file holds
 * the old contents or the new, never a mix.
 */
export function replaceFileSync(
  directory: string,
  name: string,
  temporaryName: string,
  write: (fd: number) => void,
): void {
  const temporaryPath = join(directory, temporaryName);
  const fd = openSync(temporaryPath, "w");
  try {
    write(fd);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporaryPath, join(directory, name));
  fsyncDirectory(directory);
}
