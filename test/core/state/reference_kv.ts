/**
 * A naive model of the kv state machine for property tests: it keeps the list of applied records
 * and, for every question, replays the records below the asked offset into a Map. Written apart
 * from src/core/state (no shared code), from the Redis command reference; the commands are in
 * reference_commands.ts and the queries in reference_queries.ts.
 */
import type { KvCommand, KvQuery, KvQueryResult, KvResult } from "../../../src/core/state/index.js";
import { applyTo, type State } from "./reference_commands.js";
import { answer } from "./reference_queries.js";

type Record = { command: KvCommand; nowMs: number } | "skip";

export class ReferenceKv {
  records: Record[] = [];
  horizonOffset = 0;

  get appliedOffset(): number {
    return this.records.length;
  }

  apply(command: KvCommand, nowMs: number): KvResult {
    const state = this.replay(this.records.length);
    this.records.push({ command, nowMs });
    return applyTo(state, command, nowMs, this.records.length - 1);
  }

  skip(): void {
    this.records.push("skip");
  }

  truncate(fromOffset: number): void {
    this.records.length = fromOffset;
  }

  collectGarbage(belowOffset: number): void {
    this.horizonOffset = belowOffset;
  }

  /** The state before `atOffset`, keeping expired values (a reader's clock decides). */
  replay(atOffset: number): State {
    const state: State = new Map();
    this.records.slice(0, atOffset).forEach((record, at) => {
      if (record !== "skip") applyTo(state, record.command, record.nowMs, at);
    });
    return state;
  }

  query(query: KvQuery, atOffset: number, nowMs: number): KvQueryResult {
    return answer(this.replay(atOffset), query, nowMs);
  }
}

export { answer } from "./reference_queries.js";
