/**
 * Replicated write throughput and p50/p99 latency of a 3-node onelog `raft` cluster (W majority,
 * fsync group) against a 3-member etcd cluster started in the same run on this machine
 * (DESIGN.md; issue 4, "What it must show"). For each concurrency (requests outstanding: 1, 16,
 * 64) it runs etcd and onelog cells interleaved, each a warm-up then a measured window, with
 * 100-byte values under random keys. onelog is driven by two generators, ioredis and a raw
 * socket with onelog's codec; the table shows both and the ratios use the faster.
 * The goal: at least 2x etcd's throughput at every concurrency with a p99 no worse than etcd's.
 *
 * Run: npm run bench:node [-- --duration-ms 5000 --warmup-ms 1000 --concurrency 1,16,64]
 * Needs etcd: sudo apt-get install etcd-server.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { etcdMissing, etcdPortOffsets, startEtcd } from "./node/etcd_cluster.js";
import { etcdPut } from "./node/etcd_put.js";
import { type LoadResult, runLoad, valueOfBytes } from "./node/load.js";
import { onelogPortOffsets, onelogUpMissing, startOnelog } from "./node/onelog_cluster.js";
import { type Generator, onelogSet } from "./node/onelog_set.js";
import { freeBasePort } from "./node/ports.js";
import { Children, runMain } from "./node/processes.js";
import { printTable, type Row } from "./node/table.js";

const { values: flags } = parseArgs({
  options: {
    "duration-ms": { type: "string", default: "5000" },
    "warmup-ms": { type: "string", default: "1000" },
    concurrency: { type: "string", default: "1,16,64" },
    "keep-data": { type: "boolean", default: false },
  },
});
const durationMs = Number(flags["duration-ms"]);
const warmupMs = Number(flags["warmup-ms"]);
const concurrencies = (flags.concurrency as string).split(",").map(Number);
const valueBytes = 100;
const generators: Generator[] = ["raw", "ioredis"];

async function main(): Promise<number> {
  const missing = etcdMissing();
  if (missing !== undefined) {
    console.error(missing);
    return 2;
  }
  const onelogMissing = onelogUpMissing();
  if (onelogMissing !== undefined) console.error(`${onelogMissing}: measuring etcd only`);
  const directory = mkdtempSync(join(tmpdir(), "onelog-bench-node-"));
  const children = new Children();
  const value = valueOfBytes(valueBytes);
  try {
    const etcd = await startEtcd(
      children,
      join(directory, "etcd"),
      await freeBasePort(etcdPortOffsets),
    );
    console.log(`etcd: 3 members, leader ${etcd.leaderUrl.host}`);
    const onelog =
      onelogMissing === undefined
        ? await startOnelog(
            children,
            join(directory, "onelog"),
            await freeBasePort(onelogPortOffsets),
          )
        : undefined;
    if (onelog !== undefined) console.log(`onelog: 3 nodes, leader 127.0.0.1:${onelog.leaderPort}`);
    const rows: Row[] = [];
    for (const concurrency of concurrencies) {
      const put = etcdPut(etcd.leaderUrl, concurrency, value);
      const etcdResult = await runLoad(put.operation, concurrency, warmupMs, durationMs);
      put.close();
      report("etcd", concurrency, etcdResult);
      const onelogResults: Partial<Record<Generator, LoadResult>> = {};
      for (const generator of onelog === undefined ? [] : generators) {
        const load = await onelogSet(generator, onelog!.leaderPort, concurrency, value);
        onelogResults[generator] = await runLoad(load.operation, concurrency, warmupMs, durationMs);
        load.close();
        report(`onelog/${generator}`, concurrency, onelogResults[generator]);
      }
      rows.push({ concurrency, etcd: etcdResult, onelog: onelogResults });
    }
    printTable(rows, { durationMs, warmupMs, valueBytes });
    return 0;
  } finally {
    await children.stopAll();
    if (flags["keep-data"]) console.log(`data and logs kept in ${directory}`);
    else rmSync(directory, { recursive: true, force: true });
  }
}

function report(name: string, concurrency: number, result: LoadResult): void {
  const errors =
    result.errors === 0 ? "" : `, ${result.errors} errors (first: ${result.firstError})`;
  console.log(
    `  ${name} c=${concurrency}: ${Math.round(result.opsPerSecond)} ops/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms${errors}`,
  );
}

runMain(main);
