/** Helpers for the storage tests: temporary directories, batches and record kinds. */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { Batch, LogRecord } from "../../../src/core/replica/index.js";
import { epoch, offset } from "../../../src/core/types.js";
import {
  DiskStorage,
  type DiskStorageOptions,
  type OpenOutcome,
} from "../../../src/io/storage/index.js";

/** Well-formed strings of any length class: ASCII, latin1 bytes from RESP, any unicode. */
export const wellFormedText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({
    unit: fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code)),
    maxLength: 300,
  }),
  fc.string({ unit: "grapheme", maxLength: 70_000, size: "small" }),
);

/** The segment files in `directory`, in offset order. */
export const segmentFiles = (directory: string): string[] =>
  readdirSync(directory)
    .filter((name) => name.endsWith(".log"))
    .sort();

/** Runs `body` with a fresh temporary directory, removed afterwards. */
export function withDirectory<T>(body: (directory: string) => T): T {
  const directory = mkdtempSync(join(tmpdir(), "onelog-storage-"));
  try {
    return body(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** `withDirectory` for a body that awaits: the directory goes once the body has settled. */
export async function withDirectoryAsync<T>(body: (directory: string) => Promise<T>): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), "onelog-storage-"));
  try {
    return await body(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export function openOk(directory: string, options: Partial<DiskStorageOptions> = {}): DiskStorage {
  const outcome: OpenOutcome = DiskStorage.open(directory, options);
  if (outcome.kind !== "ok") throw new Error(`open failed: ${outcome.corruption.message}`);
  return outcome.storage;
}

/** One record of every kind, with bigints at the 64-bit edges and binary (latin1) strings. */
export const everyRecordKind: LogRecord[] = [
  { kind: "noop" },
  { kind: "kv", command: { kind: "set", key: "k", value: "v" } },
  {
    kind: "kv",
    command: {
      kind: "set",
      key: "\u0000\u00ff",
      value: "x".repeat(300),
      condition: "nx",
      expireAtMs: 1_700_000_000_123,
      returnOld: true,
    },
  },
  { kind: "kv", command: { kind: "set", key: "k", value: "", condition: "xx", keepTtl: true } },
  { kind: "kv", command: { kind: "del", keys: ["a", "b", "a"] } },
  { kind: "kv", command: { kind: "incr", key: "n", by: 1n } },
  { kind: "kv", command: { kind: "incr", key: "n", by: 2n ** 63n - 1n } },
  { kind: "kv", command: { kind: "incr", key: "n", by: -(2n ** 63n) } },
  { kind: "kv", command: { kind: "incr", key: "n", by: 0n } },
  { kind: "kv", command: { kind: "append", key: "s", value: "tail" } },
  { kind: "kv", command: { kind: "cas", key: "c", expected: null, value: "1" } },
  { kind: "kv", command: { kind: "cas", key: "c", expected: "1", value: "2" } },
  { kind: "kv", command: { kind: "listAppend", key: "l", element: "e\u0080" } },
];

/** A batch of `count` kv sets at `baseOffset`, each value `valueBytes` long. */
export function batchAt(baseOffset: number, count: number, valueBytes = 8, epochValue = 1): Batch {
  const records: LogRecord[] = [];
  for (let index = 0; index < count; index++) {
    const at = baseOffset + index;
    const value = String(at).padEnd(valueBytes, ".");
    records.push({ kind: "kv", command: { kind: "set", key: `key-${at}`, value } });
  }
  return { baseOffset: offset(baseOffset), epoch: epoch(epochValue), timestampMs: 1000, records };
}

/** Consecutive batches covering [from, from + sizes summed), one per size. */
export function batchesFrom(from: number, sizes: readonly number[], valueBytes = 8): Batch[] {
  const batches: Batch[] = [];
  let at = from;
  for (const size of sizes) {
    batches.push(batchAt(at, size, valueBytes));
    at += size;
  }
  return batches;
}

/** Every record offset of `batches`, flattened, to compare logs whatever their batch boundaries. */
export function recordsByOffset(batches: readonly Batch[]): Array<[number, number, LogRecord]> {
  return batches.flatMap((batch) =>
    batch.records.map((record, index): [number, number, LogRecord] => [
      batch.baseOffset + index,
      batch.epoch,
      record,
    ]),
  );
}

/** Opens, loads and closes: what a restarted replica would recover. */
export function reload(directory: string, options: Partial<DiskStorageOptions> = {}) {
  const storage = openOk(directory, options);
  try {
    return storage.load();
  } finally {
    storage.close();
  }
}
