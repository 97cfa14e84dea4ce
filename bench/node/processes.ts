/**
 * The processes a benchmark starts, stopped by PID whatever happens: at the end, on an error,
 * on Ctrl-C or SIGTERM. Each child runs in its own process group (`detached`), so a child that
 * started children of its own (`onelog up`) can be killed with them if SIGTERM is not enough.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";

const stopGraceMs = 5000;

export class Children {
  private readonly running = new Set<ChildProcess>();
  private readonly signalHandler = () => {
    void this.stopAll().then(() => process.exit(130));
  };

  constructor() {
    process.once("SIGINT", this.signalHandler);
    process.once("SIGTERM", this.signalHandler);
    // Last resort if the benchmark dies without stopping: never leave a cluster behind.
    process.once("exit", () => {
      for (const child of this.running) killGroup(child, "SIGKILL");
    });
  }

  /** Starts `command` with its output appended to `logPath`. */
  start(command: string, args: readonly string[], logPath: string): ChildProcess {
    const log = openSync(logPath, "a");
    const child = spawn(command, args, { stdio: ["ignore", log, log], detached: true });
    this.running.add(child);
    child.once("exit", () => this.running.delete(child));
    return child;
  }

  /** SIGTERM to each child by PID, SIGKILL to its group after a grace period. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((child) => stop(child)));
    process.off("SIGINT", this.signalHandler);
    process.off("SIGTERM", this.signalHandler);
  }
}

/** A started child's PID. */
export function pidOf(child: { pid?: number | undefined }): number {
  if (child.pid === undefined) throw new Error("a child process did not start");
  return child.pid;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(child.pid, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), stopGraceMs);
  await exited;
  clearTimeout(timer);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Runs a benchmark's `main` and exits with its code; an error is printed and exits 1. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
