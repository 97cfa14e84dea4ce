/**
 * CPU time the server processes of a comparison spent, read from `/proc/<pid>/stat` (utime and
 * stime, every thread included, in the kernel's USER_HZ ticks of 10 ms). Per request it moves far
 * less than throughput when other load shares the machine, so it compares the servers' own work.
 */
import { readFileSync } from "node:fs";

const microsPerTick = 10_000;

/** Microseconds of CPU the processes have used so far; undefined where /proc cannot tell. */
export function cpuMicros(pids: readonly number[]): number | undefined {
  let ticks = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      return undefined;
    }
    // Fields after the command name, which may hold spaces: state is the first, utime the 12th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * microsPerTick;
}

/** Runs `load` and answers what it returned with the processes' CPU µs per request. */
export async function withCpu<T>(
  pids: readonly number[],
  requests: number,
  load: () => Promise<T>,
): Promise<{ result: T; cpuMicrosPerRequest: number | undefined }> {
  const before = cpuMicros(pids);
  const result = await load();
  const after = cpuMicros(pids);
  const spent = before === undefined || after === undefined ? undefined : after - before;
  return { result, cpuMicrosPerRequest: spent === undefined ? undefined : spent / requests };
}
