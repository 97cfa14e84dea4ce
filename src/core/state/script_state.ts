/**
 * The state Lua scripts run against on one node (decision 0020): this replica's newest versions
 * with the scripts' own writes on top, as an EXEC's steps see one another's. Scripts that
 * arrived together run one after the other on one ScriptState and share its record. Each key
 * the script's commands consult is remembered with the version it had; the script's writes then
 * go into the log as one `exec` record that watches those keys, so the record applies only if no
 * other write touched what the script read, and the script runs again otherwise. A read-only
 * script is checked the same way by one `multi` read. Commands that read the whole keyspace
 * (KEYS, SCAN, RANDOMKEY, DBSIZE, FLUSHALL) are refused: no watch could cover what they read.
 */
import { offset } from "../types.js";
import { execute } from "./kv_commands.js";
import type { Key, KvQueryResult, KvResult, StepCommand, StepQuery } from "./kv_ops.js";
import { answer } from "./kv_queries.js";
import { Overlay, type TransactionBase } from "./transaction.js";
import { type TransactionStep, type WatchedKey, watchedKey } from "./transaction_ops.js";

/** A script's command read every key, which the state a script runs against cannot offer. */
class WholeKeyspaceRead extends Error {}

export class ScriptState {
  /** The script's writes, in order: the steps of its record. */
  readonly steps: TransactionStep[] = [];
  private readonly consulted = new Map<Key, WatchedKey>();
  private readonly recording: TransactionBase;
  private overlay: Overlay;

  constructor(
    base: TransactionBase,
    private readonly nowMs: number,
  ) {
    this.recording = {
      newest: (key) => {
        const version = base.newest(key);
        if (!this.consulted.has(key)) this.consulted.set(key, watchedKey(key, version, this.nowMs));
        return version;
      },
      heldKeys: () => {
        throw new WholeKeyspaceRead();
      },
      sortedKeys: () => {
        throw new WholeKeyspaceRead();
      },
    };
    this.overlay = this.emptyOverlay();
  }

  /** Where the steps end now, for `rollback`. */
  mark(): number {
    return this.steps.length;
  }

  /**
   * Forgets the writes after `mark` (a script the node stopped writes nothing). The keys they
   * consulted stay watched, which only makes the record more careful.
   */
  rollback(mark: number): void {
    const kept = this.steps.splice(0);
    this.overlay = this.emptyOverlay();
    for (const step of kept.slice(0, mark)) if ("write" in step) this.write(step.write);
  }

  private emptyOverlay(): Overlay {
    // The versions a script writes never reach the state; their offset is never read.
    return new Overlay(this.recording, offset(0), this.nowMs);
  }

  /** The keys the script consulted, each with the version it saw: what its record watches. */
  get watched(): WatchedKey[] {
    return [...this.consulted.values()];
  }

  /** Applies `command` to the script's state; undefined when it reads the whole keyspace. */
  write(command: StepCommand): KvResult | undefined {
    try {
      const result = this.overlay.write(execute(command, this.overlay, this.overlay.nowMs));
      this.steps.push({ write: command });
      return result;
    } catch (thrown) {
      if (thrown instanceof WholeKeyspaceRead) return undefined;
      throw thrown;
    }
  }

  /** Answers `query` from the script's state; undefined when it reads the whole keyspace. */
  read(query: StepQuery): KvQueryResult | undefined {
    try {
      return answer(query, this.overlay);
    } catch (thrown) {
      if (thrown instanceof WholeKeyspaceRead) return undefined;
      throw thrown;
    }
  }
}
