/**
 * A redis-server and a one-node onelog cluster (`redis` preset) side by side, for the tests that
 * compare their answers: started together in a temporary folder, stopped together, by PID.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Children } from "../../../bench/node/processes.js";
import { redisServerMissing, startRedis, waitRedis } from "../../../bench/redis/redis_server.js";
import { freePorts, LocalNodes } from "./local_nodes.js";

export class BesideRedis {
  private constructor(
    private readonly children: Children,
    private readonly directory: string,
    readonly redisPort: number,
    private readonly cluster: LocalNodes,
  ) {}

  /** Starts both; fails when Debian's redis-server is not installed. */
  static async start(name: string): Promise<BesideRedis> {
    const missing = redisServerMissing();
    if (missing !== undefined) throw new Error(missing);
    const children = new Children();
    const directory = mkdtempSync(join(tmpdir(), `onelog-${name}-`));
    const [redisPort] = (await freePorts(1)) as [number];
    startRedis(children, directory, redisPort);
    await waitRedis(redisPort);
    const cluster = await LocalNodes.create(1, "redis");
    cluster.startAll();
    await cluster.waitForLeader();
    return new BesideRedis(children, directory, redisPort, cluster);
  }

  get onelogPort(): number {
    return this.cluster.node(1).respPort;
  }

  async stop(): Promise<void> {
    await this.cluster.destroy();
    await this.children.stopAll();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
