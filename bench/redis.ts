/**
 * onelog against Debian's redis-server on this machine (issue 5, "What it must show"):
 * `redis-benchmark -t set,get -c 50 -n N` at `-P 1` and `-P 16`, and a script (EVAL of an INCR
 * on one key) the same way, interleaved system by system,
 * printing ops/s and p50/p99 and the ratio onelog/Redis for
 *  1. one onelog node (`redis` preset) vs a standalone Redis;
 *  2. a 3-node onelog shard, `redis` preset (leader-append acknowledgement, w:1) vs Redis with
 *     one replica;
 *  3. onelog `w:"majority"` writes (3 nodes, `raft` preset) vs Redis `SET` + `WAIT 1 0` (a raw
 *     socket load: redis-benchmark cannot pair commands). Redis runs without persistence and WAIT
 *     counts replicas that received the write, not that stored it, so this onelog shard runs
 *     `fsync: none` too: a majority holds each acknowledged write, in memory or page cache. The
 *     same shard also meets a Redis master with two replicas, the same three processes and the
 *     same acknowledgement (one replica besides the leader). A further row gives the first load
 *     with the preset's fsync (`group`), durable on a majority.
 * The nodes run with the node's default timings (config.ts configDefaults), not the tests'.
 * The floor rows measure the platform, the ceiling of any Node.js server on this machine: the
 * same redis-benchmark against redis/node_floor_server.ts (a bare Node.js RESP server over a
 * Map), and the SET+WAIT comparisons' load against redis/node_floor_replicated.ts (a bare Node.js
 * leader that answers a SET once a bare follower process acknowledges it), with one follower
 * against the master with one replica and two against the master with two.
 * Each row also gives the CPU the servers of each side spent per request (their processes'
 * utime + stime from /proc, every node of a shard, master and replica): other load on the
 * machine moves it far less than throughput. Every process it starts is stopped by PID.
 *
 * Each side first serves `--warmup-requests` (200,000) of each test at `-P 16`, unmeasured, so
 * that onelog's rows measure a node whose hot paths are compiled, as a long-running one's are.
 * Each onelog shard runs only for its own rows (withShard): idle nodes tick, and left running
 * they took CPU from every other row. Each SET+WAIT row measures Redis just before its load.
 *
 * Run: npm run bench:redis [-- --requests 100000 --warmup-requests 200000].
 * Needs: sudo apt-get install redis-server.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { configDefaults } from "../src/server/config.js";
import { freePorts, LocalNodes } from "../test/server/support/local_nodes.js";
import { Children, pidOf, runMain } from "./node/processes.js";
import { withCpu } from "./redis/process_cpu.js";
import { type BenchRow, redisBenchmark } from "./redis/redis_benchmark.js";
import { redisServerMissing, startRedis, waitRedis } from "./redis/redis_server.js";
import { setWaitLoad } from "./redis/set_wait_load.js";

const { values: flags } = parseArgs({
  options: {
    requests: { type: "string", default: "100000" },
    "warmup-requests": { type: "string", default: "200000" },
  },
});
const requests = Number(flags.requests);
/**
 * Requests of each test each side serves, unmeasured, before the measured runs: a long-running
 * node has its hot paths compiled, and a fresh one spends the first seconds of load compiling
 * them (a fifth of a leader's CPU in a 100,000-request `-P 1` run, by perf). A follower's hot
 * functions run once per fetch, some 300 times a second: after 50,000 SETs they were still being
 * compiled, a tenth to a sixth of a follower's CPU in the measured runs (perf), so 200,000.
 */
const warmupRequests = Number(flags["warmup-requests"]);
const pipelines = [1, 16];
/** The node's own defaults (configDefaults): LocalNodes is tuned for quick elections in tests. */
const { tickMs, electionTimeoutMs, heartbeatMs, fetchWaitMs } = configDefaults;
const nodeTimings = { tickMs, electionTimeoutMs, heartbeatMs, fetchWaitMs };

/** A row's result with the CPU its servers spent per request (µs), where /proc tells. */
type Measured = BenchRow & { cpuMicrosPerRequest: number | undefined };

interface Line {
  comparison: string;
  pipeline: number;
  test: string;
  onelog: Measured;
  redis: Measured;
}

/** The servers of one side of a comparison. */
interface Side {
  port: number;
  pids: readonly number[];
}

/**
 * A script that reads and writes one hot key, as a rate limiter or a counter does: the scripted
 * row, onelog's script batches (decision 0020) against Redis running scripts in its one thread.
 */
const scriptCommand = ["eval", "return redis.call('incr', KEYS[1])", "1", "counter"];

/** A redis-benchmark test (`-t set`), or a custom command. */
type Test = string | readonly string[];

const testArgs = (test: Test): string[] => (typeof test === "string" ? ["-t", test] : [...test]);

const standardArgs = (port: number, pipeline: number, test: Test, count = requests) => [
  "-p",
  String(port),
  "-c",
  "50",
  "-n",
  String(count),
  "-P",
  String(pipeline),
  "-q",
  ...testArgs(test),
];

/** redis-benchmark of one test against `side`, with its servers' CPU per request. */
async function measuredBenchmark(side: Side, pipeline: number, test: Test): Promise<Measured> {
  const { result, cpuMicrosPerRequest } = await withCpu(side.pids, requests, () =>
    redisBenchmark(standardArgs(side.port, pipeline, test)),
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error(`${result.command} printed no result`);
  console.error(`  ${result.command}`);
  return { ...row, cpuMicrosPerRequest };
}

/** Each side's tests at `-P 16`, `warmupRequests` each, not measured (see warmupRequests). */
async function warmUp(
  benchmarked: readonly { side: Side; tests: readonly Test[] }[],
  setLoads: readonly Side[],
): Promise<void> {
  if (warmupRequests <= 0) return;
  console.error(`warm-up: ${warmupRequests} requests of each test on each side`);
  for (const { side, tests } of benchmarked) {
    for (const test of tests)
      await redisBenchmark(standardArgs(side.port, 16, test, warmupRequests));
  }
  for (const side of setLoads) {
    await setWaitLoad(side.port, {
      clients: 50,
      requests: warmupRequests,
      pipeline: 16,
      wait: false,
    });
  }
}

/** SET, GET and the script, each on Redis then onelog: one redis-benchmark per test, for its CPU. */
async function benchmarkPair(
  comparison: string,
  pipeline: number,
  onelog: Side,
  redis: Side,
  tests: readonly Test[] = ["set", "get", scriptCommand],
): Promise<Line[]> {
  const lines: Line[] = [];
  for (const test of tests) {
    const redisRow = await measuredBenchmark(redis, pipeline, test);
    const onelogRow = await measuredBenchmark(onelog, pipeline, test);
    const name = typeof test === "string" ? onelogRow.test : "EVAL incr";
    lines.push({ comparison, pipeline, test: name, onelog: onelogRow, redis: redisRow });
  }
  return lines;
}

/** The SET+WAIT comparison's load against `side`, with its servers' CPU per request. */
async function measuredSetLoad(side: Side, pipeline: number, wait: boolean): Promise<Measured> {
  const load = { clients: 50, requests, pipeline, wait };
  const { result, cpuMicrosPerRequest } = await withCpu(side.pids, requests, () =>
    setWaitLoad(side.port, load),
  );
  return { ...result, cpuMicrosPerRequest };
}

const cpuCell = (row: Measured): string =>
  row.cpuMicrosPerRequest === undefined ? "?" : row.cpuMicrosPerRequest.toFixed(1);

const cpuRatio = (line: Line): string =>
  line.onelog.cpuMicrosPerRequest === undefined || line.redis.cpuMicrosPerRequest === undefined
    ? "?"
    : `${(line.onelog.cpuMicrosPerRequest / line.redis.cpuMicrosPerRequest).toFixed(2)}x`;

function print(lines: Line[]): void {
  const header =
    "| comparison | -P | test | onelog ops/s | p50 ms | p99 ms | Redis ops/s | p50 ms | p99 ms | onelog/Redis | onelog CPU µs/req | Redis CPU µs/req | CPU onelog/Redis |";
  console.log(header);
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const line of lines) {
    const ratio = line.onelog.opsPerSecond / line.redis.opsPerSecond;
    console.log(
      `| ${line.comparison} | ${line.pipeline} | ${line.test} | ${Math.round(line.onelog.opsPerSecond)} | ${line.onelog.p50Ms.toFixed(3)} | ${line.onelog.p99Ms.toFixed(3)} | ${Math.round(line.redis.opsPerSecond)} | ${line.redis.p50Ms.toFixed(3)} | ${line.redis.p99Ms.toFixed(3)} | ${ratio.toFixed(2)}x | ${cpuCell(line.onelog)} | ${cpuCell(line.redis)} | ${cpuRatio(line)} |`,
    );
  }
}

/** The replicated floor's leader and `followers` followers (redis/node_floor_replicated.ts). */
async function startFloorReplicated(
  children: Children,
  directory: string,
  followers: number,
): Promise<Side> {
  const [port, replication] = (await freePorts(2)) as [number, number];
  const script = fileURLToPath(new URL("./redis/node_floor_replicated.js", import.meta.url));
  const log = join(directory, `floor-replicated-${followers}.log`);
  const leader = [script, "leader", String(port), String(replication), String(followers)];
  const pids = [children.start(process.execPath, leader, log)];
  for (let index = 0; index < followers; index++) {
    pids.push(children.start(process.execPath, [script, "follower", String(replication)], log));
  }
  return { port, pids: pids.map(pidOf) };
}

/** A Redis master with `replicas` replicas, each replica's link up. */
async function startMasterWithReplicas(
  children: Children,
  directory: string,
  replicas: number,
): Promise<Side> {
  const [port, ...replicaPorts] = await freePorts(1 + replicas);
  const master = port as number;
  const pids = [startRedis(children, join(directory, `master-${replicas}`), master)];
  for (const replica of replicaPorts) {
    pids.push(startRedis(children, join(directory, `replica-${replica}`), replica, master));
  }
  for (const replica of replicaPorts) await waitRedis(replica, true);
  return { port: master, pids };
}

const clusterPids = (cluster: LocalNodes, count: number): number[] =>
  Array.from({ length: count }, (_, index) => pidOf(cluster.node(index + 1).child ?? {}));

async function main(): Promise<number> {
  const missing = redisServerMissing();
  if (missing !== undefined) {
    console.error(missing);
    return 1;
  }
  const directory = mkdtempSync(join(tmpdir(), "onelog-bench-redis-"));
  const children = new Children();
  const clusters: LocalNodes[] = [];
  try {
    const [standalone, floor] = (await freePorts(2)) as [number, number];
    const floorServer = fileURLToPath(new URL("./redis/node_floor_server.js", import.meta.url));
    const floorPid = pidOf(
      children.start(process.execPath, [floorServer, String(floor)], join(directory, "floor.log")),
    );
    const floorReplicatedSide = await startFloorReplicated(children, directory, 1);
    const floorReplicatedTwoSide = await startFloorReplicated(children, directory, 2);
    const standaloneSide: Side = {
      port: standalone,
      pids: [startRedis(children, join(directory, "standalone"), standalone)],
    };
    const masterSide = await startMasterWithReplicas(children, directory, 1);
    const masterTwoSide = await startMasterWithReplicas(children, directory, 2);
    await waitRedis(standalone);
    await waitRedis(floor);
    await waitRedis(floorReplicatedSide.port);
    await waitRedis(floorReplicatedTwoSide.port);

    const floorSide: Side = { port: floor, pids: [floorPid] };
    const allTests: readonly Test[] = ["set", "get", scriptCommand];
    await warmUp(
      [
        { side: standaloneSide, tests: allTests },
        { side: masterSide, tests: allTests },
        { side: floorSide, tests: ["set", "get"] },
      ],
      [floorReplicatedSide, floorReplicatedTwoSide],
    );

    /**
     * Runs `rows` against a onelog shard that lives only for them, warmed up first. An idle node
     * ticks (some 2.5% of a core each): the four shards' ten nodes, all up, took a quarter of one
     * of the machine's two cores from every row. Redis and the floors idle at no cost.
     */
    const withShard = async (
      count: number,
      preset: string,
      overrides: Record<string, unknown>,
      warm: (side: Side) => Promise<void>,
      rows: (side: Side) => Promise<void>,
    ): Promise<void> => {
      const cluster = await LocalNodes.create(count, preset, { ...nodeTimings, ...overrides });
      clusters.push(cluster);
      cluster.startAll();
      const side = {
        port: cluster.node(await cluster.waitForLeader()).respPort,
        pids: clusterPids(cluster, count),
      };
      await warm(side);
      await rows(side);
      await cluster.destroy();
      clusters.splice(clusters.indexOf(cluster), 1);
    };
    const warmTests = (side: Side) => warmUp([{ side, tests: allTests }], []);
    const warmSetLoad = (side: Side) => warmUp([], [side]);

    const lines: Line[] = [];
    /** `tests` on `side` against `redis`, at each pipeline depth. */
    const pairs = async (comparison: string, side: Side, redis: Side, tests?: readonly Test[]) => {
      for (const pipeline of pipelines) {
        console.error(`${comparison}, -P ${pipeline}`);
        lines.push(...(await benchmarkPair(comparison, pipeline, side, redis, tests)));
      }
    };
    const pairsOnShard = (comparison: string, count: number, preset: string, redis: Side) =>
      withShard(count, preset, {}, warmTests, (side) => pairs(comparison, side, redis));
    /** onelog's (or the floor's) SET load against Redis's SET + WAIT 1 0, measured just before. */
    const againstSetWait = async (comparison: string, side: Side, redisSide = masterSide) => {
      for (const pipeline of pipelines) {
        console.error(`${comparison}, -P ${pipeline}`);
        const redis = await measuredSetLoad(redisSide, pipeline, true);
        const onelog = await measuredSetLoad(side, pipeline, false);
        lines.push({ comparison, pipeline, test: "SET", onelog, redis });
      }
    };

    await pairsOnShard("1 node vs standalone", 1, "redis", standaloneSide);
    await pairsOnShard("3 nodes w:1 vs master+replica", 3, "redis", masterSide);
    await pairs("Node.js floor vs standalone", floorSide, standaloneSide, ["set", "get"]);
    await withShard(3, "raft", { fsync: "none" }, warmSetLoad, async (side) => {
      await againstSetWait("w:majority vs SET+WAIT 1 0", side);
      await againstSetWait("w:majority vs SET+WAIT 1 0, 2 replicas", side, masterTwoSide);
    });
    await withShard(3, "raft", {}, warmSetLoad, (side) =>
      againstSetWait("w:majority, fsync group vs SET+WAIT 1 0", side),
    );
    await againstSetWait("Node.js replicated floor vs SET+WAIT 1 0", floorReplicatedSide);
    await againstSetWait(
      "Node.js replicated floor, 2 followers vs SET+WAIT 1 0, 2 replicas",
      floorReplicatedTwoSide,
      masterTwoSide,
    );
    // One table by pipeline depth, each in the order above (Array.prototype.sort is stable).
    lines.sort((a, b) => a.pipeline - b.pipeline);
    console.log(
      `\nredis-benchmark --csv -p <port> -c 50 -n ${requests} -P <1|16> -q -t set|get, or EVAL "return redis.call('incr', KEYS[1])" 1 counter; SET+WAIT: 50 raw connections, ${requests} SETs; CPU: the servers' processes, per request\n`,
    );
    print(lines);
    return 0;
  } finally {
    for (const cluster of clusters) await cluster.destroy();
    await children.stopAll();
    rmSync(directory, { recursive: true, force: true });
  }
}

runMain(main);
