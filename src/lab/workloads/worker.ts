/**
 * The client workers of a run: each is a Jepsen process with one operation outstanding, its own
 * OnelogClient (its own connections) and its own random stream forked from the run's seed. After
 * an `info` completion the worker continues as a new process, since the old one may still have
 * an operation in flight (Jepsen does the same).
 */
import type { Endpoint, ReadOptions } from "../../client/index.js";
import { OnelogClient } from "../../client/index.js";
import type { WriteConcern } from "../../core/concern/index.js";
import type { Random } from "../../core/random.js";
import type { HistoryRecorder, LabEvent } from "../history.js";
import { execute } from "./execute.js";
import type { LabOperation, Workload } from "./types.js";

export interface Concerns {
  write: WriteConcern;
  read: ReadOptions;
}

export interface WorkerPool {
  /** Operations completed so far, by type. */
  readonly counts: Record<"ok" | "fail" | "info", number>;
  /** Starts the concurrent workers. */
  start(): void;
  /** Stops issuing and waits for the operations in flight. */
  stop(): Promise<void>;
  /** Closes the client of `runOnce`; after `stop`, at the end of the run. */
  close(): Promise<void>;
  /** Runs `operation` once as a fresh process (setup, final reads). */
  runOnce(operation: LabOperation, concerns: Concerns, final?: boolean): Promise<LabEvent["type"]>;
}

export interface WorkerOptions {
  workload: Workload;
  endpoints: readonly Endpoint[];
  concurrency: number;
  concerns: Concerns;
  recorder: HistoryRecorder;
  random: Random;
  /** A client call's deadline: a write past it is `info`. */
  requestTimeoutMs: number;
}

export function concernLabel(operation: LabOperation, concerns: Concerns): LabEvent["concern"] {
  // A transaction and a blocking pop run at the preset's concerns, whatever the run's are
  // (docs/commands.md).
  if (operation.f === "txn" || operation.f === "dequeue" || operation.f === "drain") {
    return { write: "preset", read: "preset" };
  }
  if (operation.f !== "read") {
    const { w, j } = concerns.write;
    return { write: `${w}${j === true ? ",j" : ""}` };
  }
  const { level = "local", readPreference } = concerns.read;
  return { read: readPreference === undefined ? level : `${level},${readPreference}` };
}

export function createWorkers(options: WorkerOptions): WorkerPool {
  const counts = { ok: 0, fail: 0, info: 0 };
  let nextProcess = options.concurrency;
  let stopping = false;
  const clientOptions = { requestTimeoutMs: options.requestTimeoutMs, attemptsMax: 4 };

  const once = async (
    client: OnelogClient,
    process: number,
    operation: LabOperation,
    concerns: Concerns,
    final: boolean,
  ) => {
    options.recorder.invoke(
      process,
      operation.f,
      operation.key,
      operation.value,
      concernLabel(operation, concerns),
    );
    const executed = await execute(client, operation, concerns.write, concerns.read);
    const completion = executed.completion;
    if (final && completion.type === "ok") completion.final = true;
    options.recorder.complete(process, operation.f, operation.key, completion);
    counts[completion.type === "invoke" ? "info" : completion.type]++;
    return executed;
  };

  const loop = async (worker: number) => {
    const client = new OnelogClient(options.endpoints, clientOptions);
    const random = options.random.fork();
    let process = worker;
    try {
      while (!stopping) {
        const operation = options.workload.next(worker, random);
        const executed = await once(client, process, operation, options.concerns, false);
        const type = executed.completion.type;
        options.workload.observe(worker, {
          operation,
          readValue: executed.readValue,
          ok: type === "ok",
        });
        if (type === "info") process = nextProcess++;
        // A failed call came back at once (no leader yet): leave the cluster a moment.
        if (type === "fail") await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await client.close();
    }
  };

  let running: Promise<void>[] = [];
  const spare = new OnelogClient(options.endpoints, clientOptions);
  return {
    counts,
    start() {
      running = Array.from({ length: options.concurrency }, (_, worker) => loop(worker));
    },
    async stop() {
      stopping = true;
      await Promise.all(running);
    },
    async close() {
      await spare.close();
    },
    async runOnce(operation, concerns, final = false) {
      const executed = await once(spare, nextProcess++, operation, concerns, final);
      return executed.completion.type;
    },
  };
}
