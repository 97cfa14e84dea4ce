/**
 * The history a lab run records, in onelog's JSON Lines format (docs/history-format.md): one
 * event per invocation and per completion of a client operation, and one `info` event of the
 * process `"nemesis"` per fault and repair. Times are milliseconds since the run started.
 */
import type { HistoryEvent as SimEvent } from "../sim/history.js";

/** The simulator's event (the JSONL fields), with the nemesis as a process and keys optional. */
export interface LabEvent extends Omit<SimEvent, "process" | "key"> {
  process: number | "nemesis";
  key?: string;
}

/** What a completion adds to the invocation's process, f and key. */
export type Completion = Omit<LabEvent, "process" | "f" | "key" | "time" | "concern">;

export class HistoryRecorder {
  readonly events: LabEvent[] = [];

  constructor(private readonly clock: () => number) {}

  invoke(
    process: number,
    f: string,
    key: string,
    value: unknown,
    concern: LabEvent["concern"],
  ): void {
    this.events.push({ process, type: "invoke", f, key, value, time: this.now(), concern });
  }

  complete(process: number, f: string, key: string, completion: Completion): void {
    this.events.push({ process, f, key, time: this.now(), ...completion });
  }

  nemesis(f: string, value: unknown): void {
    this.events.push({ process: "nemesis", type: "info", f, value, time: this.now() });
  }

  toJsonLines(): string {
    return this.events.map((event) => `${JSON.stringify(event)}\n`).join("");
  }

  private now(): number {
    return Math.round(this.clock() * 10) / 10;
  }
}
