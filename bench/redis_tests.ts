/**
 * redis-benchmark's default test set (every test it runs without `-t`: PING, SET, GET, INCR, the
 * list, set, hash and sorted-set tests, LRANGE, MSET) against one onelog node (`redis` preset)
 * and a standalone Redis (Debian's redis-server, no persistence), side by side: the breadth
 * check that `bench:redis` (SET, GET and EVAL, replicated rows, CPU per request) does not give.
 * Each side first runs the whole set once, unmeasured; then onelog, then Redis, one run each.
 * Prints ops/s, p50 and the ratio onelog/Redis per test.
 *
 * Run: npm run bench:redis-tests [-- --requests 300000 --pipeline 16].
 * Needs: sudo apt-get install redis-server.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { configDefaults } from "../src/server/config.js";
import { freePorts, LocalNodes } from "../test/server/support/local_nodes.js";
import { Children, runMain } from "./node/processes.js";
import { type BenchRow, redisBenchmark } from "./redis/redis_benchmark.js";
import { redisServerMissing, startRedis, waitRedis } from "./redis/redis_server.js";

const { values: flags } = parseArgs({
  options: {
    requests: { type: "string", default: "300000" },
    pipeline: { type: "string", default: "16" },
  },
});
const requests = Number(flags.requests);
const pipeline = Number(flags.pipeline);
const { tickMs, electionTimeoutMs, heartbeatMs, fetchWaitMs } = configDefaults;

const defaultTests = (port: number, count: number): Promise<{ rows: BenchRow[] }> =>
  redisBenchmark(["-p", String(port), "-c", "50", "-n", String(count), "-P", String(pipeline)]);

async function measured(name: string, port: number): Promise<Map<string, BenchRow>> {
  console.error(`${name}: the default tests, unmeasured, then measured`);
  await defaultTests(port, Math.min(requests, 100_000));
  const { rows } = await defaultTests(port, requests);
  return new Map(rows.map((row) => [row.test, row]));
}

async function main(): Promise<number> {
  const missing = redisServerMissing();
  if (missing !== undefined) {
    console.error(missing);
    return 1;
  }
  if (!(Number.isInteger(requests) && requests > 0 && Number.isInteger(pipeline) && pipeline > 0)) {
    console.error("--requests and --pipeline must be positive integers");
    return 1;
  }
  const directory = mkdtempSync(join(tmpdir(), "onelog-bench-redis-tests-"));
  const children = new Children();
  const timings = { tickMs, electionTimeoutMs, heartbeatMs, fetchWaitMs };
  const cluster = await LocalNodes.create(1, "redis", timings);
  try {
    const [redisPort] = (await freePorts(1)) as [number];
    startRedis(children, join(directory, "standalone"), redisPort);
    cluster.startAll();
    const onelogPort = cluster.node(await cluster.waitForLeader()).respPort;
    await waitRedis(redisPort);
    const onelog = await measured("onelog", onelogPort);
    const redis = await measured("Redis", redisPort);
    console.log(
      `\nredis-benchmark --csv -p <port> -c 50 -n ${requests} -P ${pipeline} (every default test); one onelog node, redis preset, against a standalone Redis\n`,
    );
    console.log("| test | onelog ops/s | p50 ms | Redis ops/s | p50 ms | onelog/Redis |");
    console.log("|---|---:|---:|---:|---:|---:|");
    for (const [test, row] of onelog) {
      const other = redis.get(test);
      const ratio =
        other === undefined ? "?" : `${(row.opsPerSecond / other.opsPerSecond).toFixed(2)}x`;
      console.log(
        `| ${test} | ${Math.round(row.opsPerSecond)} | ${row.p50Ms.toFixed(3)} | ${Math.round(other?.opsPerSecond ?? Number.NaN)} | ${other?.p50Ms.toFixed(3) ?? "?"} | ${ratio} |`,
      );
    }
    return 0;
  } finally {
    await cluster.destroy();
    await children.stopAll();
    rmSync(directory, { recursive: true, force: true });
  }
}

runMain(main);
