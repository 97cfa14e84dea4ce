/**
 * How long a compaction blocks a node's event loop. Builds a shard's state of `--keys` keys of
 * `--value-bytes`-byte values (1,000,000 × 100 by default) with the real kv state machine, stores
 * the same records in a DiskStorage (batches of up to 1,000), takes the snapshot as compaction does
 * (`snapshotAt`), then writes it, once per mode, on a fresh copy of the stored log:
 * - `synchronous`: `installSnapshot`, how every snapshot was written before decision 0011;
 * - `background`: `compactTo`, a slice per event-loop turn of at most `--slice-entries` entries
 *   and 1 MiB (the default byte bound).
 * For each it reports the longest event-loop block seen by `perf_hooks.monitorEventLoopDelay`
 * (1 ms resolution) while the write runs, and the time from the call until the snapshot is
 * durable and the covered segments are gone. Run with --expose-gc (the npm script does), so that
 * the setup's garbage is collected before each window rather than in it.
 *
 *     npm run bench:compaction [-- --keys 1000000 --value-bytes 100 --slice-entries 1024,4096]
 *     npm run bench:compaction -- --keys 300 --value-bytes 262144   (large values: bytes bound)
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Batch, LogRecord, Snapshot } from "../src/core/replica/index.js";
import { KvStateMachine } from "../src/core/state/index.js";
import { epoch, offset } from "../src/core/types.js";
import { DiskStorage, defaultDiskStorageOptions } from "../src/io/storage/index.js";

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const keyCount = Number(argument("keys", "1000000"));
const valueBytes = Number(argument("value-bytes", "100"));
const sliceEntriesList = argument("slice-entries", "1024,4096").split(",").map(Number);
/** Records per stored batch: 1,000, or fewer so that a batch stays well inside a frame. */
const batchRecords = Math.max(1, Math.min(1000, Math.floor((4 * 1024 * 1024) / (valueBytes + 32))));

function open(directory: string, entriesMax = 4096): DiskStorage {
  const opened = DiskStorage.open(directory, {
    snapshotSlice: { ...defaultDiskStorageOptions.snapshotSlice, entriesMax },
  });
  if (opened.kind !== "ok") throw new Error(opened.corruption.message);
  return opened.storage;
}

/** One set per key, applied to the state machine and appended to storage in `directory`. */
function buildState(directory: string): KvStateMachine {
  const stateMachine = new KvStateMachine();
  const storage = open(directory);
  const value = "v".repeat(valueBytes);
  for (let base = 0; base < keyCount; base += batchRecords) {
    const records: LogRecord[] = [];
    for (let at = base; at < Math.min(base + batchRecords, keyCount); at++) {
      const command = { kind: "set", key: `key:${at}`, value } as const;
      stateMachine.apply(offset(at), command, 0);
      records.push({ kind: "kv", command });
    }
    const batch: Batch = { baseOffset: offset(base), epoch: epoch(1), timestampMs: 0, records };
    storage.append([batch]);
  }
  storage.close();
  return stateMachine;
}

interface Measurement {
  mode: string;
  blockMsMax: number;
  blockMsP99: number;
  durableMs: number;
  segmentsBefore: number;
  segmentsAfter: number;
}

/** Writes `snapshot` on a copy of the stored log in `base`, watching the event loop. */
async function measure(
  base: string,
  mode: string,
  snapshot: Snapshot,
  sliceEntries: number,
  write: (storage: DiskStorage, snapshot: Snapshot) => Promise<void>,
): Promise<Measurement> {
  const directory = `${base}-${mode.replace(/\W+/g, "-")}`;
  cpSync(base, directory, { recursive: true });
  const storage = open(directory, sliceEntries);
  const segmentsBefore = storage.segmentCount;
  // Collect the setup's garbage (the copy, recovery reading every segment) now: a full collection
  // of this heap blocks for about half a second here, and would otherwise land in the window.
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const startedMs = performance.now();
  await write(storage, snapshot);
  const durableMs = performance.now() - startedMs;
  // One more timer tick so that a block at the very end is recorded.
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  const segmentsAfter = storage.segmentCount;
  storage.close();
  rmSync(directory, { recursive: true, force: true });
  return {
    mode,
    blockMsMax: histogram.max / 1e6,
    blockMsP99: histogram.percentile(99) / 1e6,
    durableMs,
    segmentsBefore,
    segmentsAfter,
  };
}

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), "onelog-bench-compaction-"));
  try {
    let startedMs = performance.now();
    const stateMachine = buildState(base);
    console.log(
      `state: ${keyCount.toLocaleString("en")} keys of ${valueBytes} bytes, ` +
        `stored in ${((performance.now() - startedMs) / 1000).toFixed(1)} s`,
    );
    startedMs = performance.now();
    const to = offset(keyCount);
    const snapshot: Snapshot = { offset: to, epoch: epoch(1), state: stateMachine.snapshotAt(to) };
    console.log(
      `snapshotAt (blocks the loop in both modes): ${(performance.now() - startedMs).toFixed(0)} ms`,
    );

    const results: Measurement[] = [];
    results.push(
      await measure(base, "synchronous installSnapshot", snapshot, 4096, async (storage, s) =>
        storage.installSnapshot(s),
      ),
    );
    for (const sliceEntries of sliceEntriesList) {
      const mode = `background compactTo, at most ${sliceEntries} entries a slice`;
      results.push(
        await measure(base, mode, snapshot, sliceEntries, async (storage, s) => {
          storage.compactTo(s);
          await storage.compactionIdle();
        }),
      );
    }
    console.log("");
    console.log("| write | longest loop block ms | p99 loop delay ms | to durable ms | segments |");
    console.log("|---|---:|---:|---:|---|");
    for (const result of results) {
      console.log(
        `| ${result.mode} | ${result.blockMsMax.toFixed(0)} | ${result.blockMsP99.toFixed(1)} | ` +
          `${result.durableMs.toFixed(0)} | ${result.segmentsBefore} -> ${result.segmentsAfter} |`,
      );
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

await main();
