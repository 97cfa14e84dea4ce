/**
 * A raw-socket load for the replicated-write comparison that redis-benchmark cannot express:
 * each of `clients` connections sends `pipeline` SETs (each followed by `WAIT 1 0` when asked)
 * and waits for every reply before the next batch. Latency is per batch, as redis-benchmark
 * measures a pipelined request.
 */
import { connect, type Socket } from "node:net";
import type { BenchRow } from "./redis_benchmark.js";

function command(...args: string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")}`;
}

/** Counts complete single-line replies (+OK, :n, -ERR): every reply here is one line. */
class LineCounter {
  private pending = 0;
  errors = 0;
  lines(chunk: Buffer): number {
    let count = 0;
    for (let index = 0; index < chunk.length; index++) {
      if (chunk[index] === 0x2d && this.pending === 0) this.errors++;
      if (chunk[index] === 0x0a) {
        count++;
        this.pending = 0;
      } else this.pending++;
    }
    return count;
  }
}

export async function setWaitLoad(
  port: number,
  options: { clients: number; requests: number; pipeline: number; wait: boolean },
): Promise<BenchRow> {
  const repliesPerSet = options.wait ? 2 : 1;
  const value = "x".repeat(3);
  let issued = 0;
  const latenciesMs: number[] = [];
  const startMs = performance.now();
  let errors = 0;
  const worker = async (id: number) => {
    const socket: Socket = await new Promise((resolve, reject) => {
      const opened = connect({ host: "127.0.0.1", port }, () => resolve(opened));
      opened.once("error", reject);
    });
    socket.setNoDelay(true);
    const counter = new LineCounter();
    try {
      while (issued < options.requests) {
        const batch = Math.min(options.pipeline, options.requests - issued);
        issued += batch;
        let payload = "";
        for (let index = 0; index < batch; index++) {
          payload += command("SET", `key:${id}:${index}`, value);
          if (options.wait) payload += command("WAIT", "1", "0");
        }
        const batchStartMs = performance.now();
        await new Promise<void>((resolve) => {
          let expected = batch * repliesPerSet;
          const onData = (chunk: Buffer) => {
            expected -= counter.lines(chunk);
            if (expected <= 0) {
              socket.off("data", onData);
              resolve();
            }
          };
          socket.on("data", onData);
          socket.write(payload);
        });
        latenciesMs.push(performance.now() - batchStartMs);
      }
    } finally {
      errors += counter.errors;
      socket.destroy();
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, id) => worker(id)));
  if (errors > 0) throw new Error(`${errors} error replies from port ${port}`);
  const elapsedS = (performance.now() - startMs) / 1000;
  latenciesMs.sort((a, b) => a - b);
  const at = (q: number) =>
    latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(q * latenciesMs.length))] ?? 0;
  return {
    test: options.wait ? "SET+WAIT" : "SET",
    opsPerSecond: issued / elapsedS,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}
