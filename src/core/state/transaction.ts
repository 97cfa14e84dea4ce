/**
 * Applying a MULTI ... EXEC transaction (transaction_ops.ts) as one record: each step runs
 * against the state the steps before it left, held in an overlay over the newest versions, and
 * the record writes each key's last version once. Costs: the steps' own, plus O(k log k) for the
 * first keyspace read (KEYS, SCAN, RANDOMKEY) after a step created a key, k keys held.
 */
import { AssertionError } from "../../util/assert.js";
import type { Offset } from "../types.js";
import type { CommandState, Effect, Write } from "./command_effects.js";
import { unchanged } from "./command_effects.js";
import { liveKeys } from "./keyspace_queries.js";
import { execute } from "./kv_commands.js";
import type { Key, KvCommand, KvQueryResult, KvResult } from "./kv_ops.js";
import { answer, type KeyspaceView } from "./kv_queries.js";
import { watchHolds } from "./transaction_ops.js";
import { isLive, type LiveVersion, type Version } from "./version_chain.js";

/** The state a transaction applies to: the newest versions, and the keys in order for KEYS. */
export interface TransactionBase extends CommandState {
  /** Every key with a version held, in byte order. */
  sortedKeys(): readonly Key[];
}

type ExecCommand = Extract<KvCommand, { kind: "exec" }>;

/** What `command` answers and writes, applied at `at` over `base`. */
export function executeTransaction(
  command: ExecCommand,
  base: TransactionBase,
  at: Offset,
  nowMs: number,
): Effect {
  if (!watchHolds(command.watched, (key) => base.newest(key), nowMs)) {
    return unchanged({ kind: "aborted" });
  }
  const overlay = new Overlay(base, at, nowMs);
  const results: (KvResult | KvQueryResult)[] = command.steps.map((step) =>
    "write" in step
      ? overlay.write(execute(step.write, overlay, nowMs))
      : answer(step.read, overlay),
  );
  return { result: { kind: "transaction", results }, writes: overlay.writes() };
}

/** The base with the versions the transaction's steps have written so far on top. */
export class Overlay implements CommandState, KeyspaceView {
  private readonly pending = new Map<Key, Version>();
  /** The keys held in byte order once a step created a key the base does not hold. */
  private sortedKeyCache: readonly Key[] | undefined;
  private createdKeys = false;

  constructor(
    private readonly base: TransactionBase,
    private readonly at: Offset,
    readonly nowMs: number,
  ) {}

  /** Takes a step's writes into the overlay; answers the step's result. */
  write(effect: Effect): KvResult {
    for (const { key, value, expireAtMs } of effect.writes) {
      if (this.newest(key) === undefined) {
        this.createdKeys = true;
        this.sortedKeyCache = undefined;
      }
      this.pending.set(key, { offset: this.at, value, expireAtMs });
    }
    return effect.result;
  }

  /**
   * The record's writes: the last version of each key a step wrote. A key one step created and
   * a later one deleted keeps its tombstone: a WATCH of it sees it was touched, as Redis's does.
   */
  writes(): Write[] {
    return [...this.pending].map(([key, { value, expireAtMs }]) => ({ key, value, expireAtMs }));
  }

  newest(key: Key): Version | undefined {
    return this.pending.get(key) ?? this.base.newest(key);
  }

  *heldKeys(): Iterable<Key> {
    for (const key of this.base.heldKeys()) if (!this.pending.has(key)) yield key;
    yield* this.pending.keys();
  }

  versionAt(key: Key): Version | undefined {
    return this.newest(key);
  }

  liveAt(key: Key): LiveVersion | undefined {
    const version = this.newest(key);
    return isLive(version, this.nowMs) ? version : undefined;
  }

  sortedKeys(): readonly Key[] {
    if (!this.createdKeys) return this.base.sortedKeys();
    // Code-unit order is byte order, as keys hold one byte per char.
    this.sortedKeyCache ??= [
      ...new Set([...this.base.sortedKeys(), ...this.pending.keys()]),
    ].sort();
    return this.sortedKeyCache;
  }

  liveKeyCount(): number {
    return liveKeys(this).length;
  }

  volatileKeys(): never {
    return notAStep("expiredKeys");
  }

  keyCounts(): never {
    return notAStep("keyCounts");
  }
}

/** Queries only the node asks (active expiry, INFO) are not transaction steps (StepQuery). */
function notAStep(kind: string): never {
  throw new AssertionError(`a transaction step asked ${kind}, which no step may ask`);
}
