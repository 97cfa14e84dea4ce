/** Free loopback ports for a lab cluster, whose ports are numbered from a base (local_cluster.ts). */
import { createServer } from "node:net";

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/**
 * A base P such that RESP P+i, peer P+100+i and admin P+200+i are free for every node i.
 * Random starts keep concurrent runs (tests, a matrix) from colliding; a port taken between this
 * check and the node's bind makes the node fail to start, which the cluster reports.
 */
export async function findFreeBasePort(nodeCount: number, triesMax = 50): Promise<number> {
  for (let tries = 0; tries < triesMax; tries++) {
    const base = 21_000 + Math.floor(Math.random() * 30_000);
    let free = true;
    for (let index = 0; index < nodeCount && free; index++) {
      for (const port of [base + index, base + 100 + index, base + 200 + index]) {
        if (!(await listenable(port))) {
          free = false;
          break;
        }
      }
    }
    if (free) return base;
  }
  throw new Error(`no free base port for ${nodeCount} nodes after ${triesMax} tries`);
}
