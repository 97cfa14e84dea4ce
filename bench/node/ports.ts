/** Free loopback ports for clusters that number their ports from a base. */
import { createServer } from "node:net";

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A base port such that base + each of `offsets` is free, searched from random starts. */
export async function freeBasePort(offsets: readonly number[]): Promise<number> {
  const span = Math.max(...offsets);
  for (let tries = 0; tries < 50; tries++) {
    const base = 20_000 + Math.floor(Math.random() * (40_000 - span));
    let free = true;
    for (const offset of offsets) {
      free = await canListen(base + offset);
      if (!free) break;
    }
    if (free) return base;
  }
  throw new Error(`no free ports at offsets ${offsets.join(",")} of any base tried`);
}
