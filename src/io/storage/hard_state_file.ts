/**
 * The hard state (epoch, vote) in its own small file, replaced atomically (DESIGN §10): written to
 * a temporary name, fsynced, renamed over the old file, and the directory fsynced, so that after a
 * crash the file holds either the old or the new hard state, never a mix.
 *
 * Format (little-endian, 20 bytes): crc32c u32 of the next 16 bytes, epoch u64, vote i64 (-1 for
 * no vote).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { crc32c } from "@node-rs/crc32";
import type { HardState } from "../../core/replica/index.js";
import { epoch, nodeId } from "../../core/types.js";
import { assert } from "../../util/assert.js";
import { replaceFileSync, writeAllSync } from "./file_io.js";

export const hardStateFileName = "hard_state";
export const hardStateTemporaryFileName = "hard_state.tmp";
const hardStateBytes = 20;

export function writeHardState(directory: string, hardState: HardState): void {
  assert(
    Number.isSafeInteger(hardState.epoch) && hardState.epoch >= 0,
    () => `hard state epoch ${hardState.epoch}`,
  );
  assert(
    hardState.vote === null || (Number.isSafeInteger(hardState.vote) && hardState.vote >= 0),
    () => `hard state vote ${hardState.vote}`,
  );
  const bytes = Buffer.alloc(hardStateBytes);
  bytes.writeBigUInt64LE(BigInt(hardState.epoch), 4);
  bytes.writeBigInt64LE(BigInt(hardState.vote ?? -1), 12);
  bytes.writeUInt32LE(crc32c(bytes.subarray(4)), 0);
  replaceFileSync(directory, hardStateFileName, hardStateTemporaryFileName, (fd) =>
    writeAllSync(fd, [bytes], 0),
  );
}

export type ReadHardStateOutcome =
  | { kind: "ok"; hardState: HardState | undefined }
  | { kind: "corrupt"; reason: string };

/** The hard state last written, undefined if none ever was. */
export function readHardState(directory: string): ReadHardStateOutcome {
  const path = join(directory, hardStateFileName);
  if (!existsSync(path)) return { kind: "ok", hardState: undefined };
  const bytes = readFileSync(path);
  if (bytes.length !== hardStateBytes) {
    return { kind: "corrupt", reason: `${bytes.length} bytes, expected ${hardStateBytes}` };
  }
  if (bytes.readUInt32LE(0) !== crc32c(bytes.subarray(4))) {
    return { kind: "corrupt", reason: "crc32c mismatch" };
  }
  const epochValue = bytes.readBigUInt64LE(4);
  const voteValue = bytes.readBigInt64LE(12);
  if (epochValue > BigInt(Number.MAX_SAFE_INTEGER) || voteValue > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { kind: "corrupt", reason: "epoch or vote beyond 2^53" };
  }
  if (voteValue < -1n) return { kind: "corrupt", reason: `vote ${voteValue}` };
  return {
    kind: "ok",
    hardState: {
      epoch: epoch(Number(epochValue)),
      vote: voteValue === -1n ? null : nodeId(Number(voteValue)),
    },
  };
}
