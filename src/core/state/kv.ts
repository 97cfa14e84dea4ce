/**
 * The kv state machine (DESIGN.md §8): keys to values, each key with a version chain by offset
 * (MVCC), so that reads at the commit offset or a snapshot offset are exact while the local state
 * runs ahead, and a truncation rolls back exactly.
 *
 * Costs, with v the versions of one key:
 * - apply: one command, O(1) plus O(log v) per key read (O(1) for the newest version); a
 *   MULTI ... EXEC transaction, its steps' (transaction.ts);
 * - query of one key: O(1) at or above the key's newest version, else O(log v), plus the
 *   query's own work (value_queries.ts); keyspace queries walk the keys held in byte order, a
 *   sorted array rebuilt (O(k log k), k keys held) only after a key was created or forgotten
 *   (keyspace_queries.ts has each query's cost), except the key counts, which each journal
 *   entry carries (O(log records held));
 * - commands: see each family's file (hashes are copied on every write; lists, sets and sorted
 *   sets are persistent trees that versions share, O(log n) a member);
 * - snapshotAt and restore: O(keys + members), converting values to and from their plain form;
 * - truncate: O(records undone), through the write journal;
 * - collectGarbage: O(records collected × (log v + kept v)), never a scan of all keys.
 */
import { assert } from "../../util/assert.js";
import { type Offset, offset } from "../types.js";
import type { Write } from "./command_effects.js";
import { liveKeyCountOf } from "./keyspace_queries.js";
import { execute } from "./kv_commands.js";
import type {
  Key,
  KvCommand,
  KvQuery,
  KvQueryResultOf,
  KvResult,
  KvSnapshot,
  KvSnapshotEntry,
  StateMachine,
} from "./kv_ops.js";
import { answer, type KeyspaceView } from "./kv_queries.js";
import { plainValue, type StoredValue, storedValue, stringValue } from "./stored_value.js";
import { executeTransaction, type TransactionBase } from "./transaction.js";
import {
  indexBefore,
  isLive,
  type LiveVersion,
  type Version,
  type VersionChain,
} from "./version_chain.js";
import { entryKeys, type KeyCounts, WriteJournal } from "./write_journal.js";

const noKeys: KeyCounts = { keys: 0, expires: 0 };
type SetCommand = Extract<KvCommand, { kind: "set" }>;

const okResult: KvResult = Object.freeze({ kind: "ok" });

/** A SET with none of its options: `set` in string_commands.ts writes the value and answers ok. */
const isPlainSet = (command: KvCommand): command is SetCommand =>
  command.kind === "set" &&
  command.condition === undefined &&
  command.expireAtMs === undefined &&
  command.keepTtl !== true &&
  command.returnOld !== true;

/**
 * What a replica's node hears as records apply, on every replica, in offset order: the state
 * machine's only effects beyond its state. A node's recovery replays its log before any client
 * connects, so replays reach nobody.
 */
export interface ApplyHooks {
  /**
   * Hands a PUBLISH (or SPUBLISH: `shard`) record's message to this node's subscribers; answers
   * the deliveries.
   */
  publish(channel: string, message: string, shard: boolean): number;
  /** A record wrote `key` (clients blocked on it, BLPOP and kin, may try again). */
  written(key: Key): void;
}

const unobserved: ApplyHooks = { publish: () => 0, written: () => {} };

export class KvStateMachine implements StateMachine {
  private applied: Offset = offset(0);
  private horizon: Offset = offset(0);
  private readonly chains = new Map<Key, VersionChain>();
  /** Keys written by each record at or above the horizon. */
  private readonly journal = new WriteJournal();
  /** The key counts at the horizon, below every journal entry. */
  private horizonCounts: KeyCounts = noKeys;
  private versions = 0;
  /**
   * Keys with some version that carries an expiry: the only ones active expiry need look at, so
   * the leader's periodic `expiredKeys` costs the volatile keys, not the whole keyspace.
   */
  private readonly volatileKeys = new Set<Key>();
  private readonly newestVersions = new NewestVersions(this.chains);

  constructor(private readonly hooks: ApplyHooks = unobserved) {}

  get appliedOffset(): Offset {
    return this.applied;
  }

  get horizonOffset(): Offset {
    return this.horizon;
  }

  /**
   * The newest version of every key, writes not yet committed included: what a script runs
   * against (ScriptState). A live view, changing as records apply and truncate.
   */
  get newestState(): TransactionBase {
    return this.newestVersions;
  }

  /** Keys with at least one version held (including tombstones and expired values). */
  get keyCount(): number {
    return this.chains.size;
  }

  /** Versions held over all keys: what garbage collection bounds. */
  get versionCount(): number {
    return this.versions;
  }

  apply(at: Offset, command: KvCommand, nowMs: number): KvResult {
    assert(at === this.applied, () => `apply at ${at} but applied offset is ${this.applied}`);
    assert(Number.isFinite(nowMs), () => `apply at ${at}: nowMs ${nowMs}`);
    if (isPlainSet(command)) return this.applyPlainSet(at, command);
    const effect =
      command.kind === "exec"
        ? executeTransaction(command, this.newestVersions, at, nowMs)
        : execute(command, this.newestVersions, nowMs);
    let counts = this.countsBefore(at);
    for (const write of effect.writes) {
      counts = this.writeVersion(at, write.key, write.value, write.expireAtMs, counts);
    }
    this.newestVersions.forgetLastRead();
    const { writes } = effect;
    if (writes.length > 0) {
      const keys =
        writes.length === 1 ? (writes[0] as Write).key : writes.map((write) => write.key);
      this.journalWrites(at, keys, writes.length, counts);
    }
    this.applied = offset(at + 1);
    return command.kind === "publish" || command.kind === "exec"
      ? this.delivered(command, effect.result)
      : effect.result;
  }

  /**
   * A SET without options, most of a Redis workload, on every replica: what string_commands.ts
   * `set` answers and writes for it (the value, no expiry, `ok`), without the effect's objects.
   */
  private applyPlainSet(at: Offset, command: SetCommand): KvResult {
    const { key } = command;
    const counts = this.writeVersion(
      at,
      key,
      stringValue(command.value),
      undefined,
      this.countsBefore(at),
    );
    this.newestVersions.forgetLastRead();
    this.journalWrites(at, key, 1, counts);
    this.applied = offset(at + 1);
    return okResult;
  }

  /** Adds the version `at` of `key`; answers the key counts once it is the key's newest. */
  private writeVersion(
    at: Offset,
    key: Key,
    value: StoredValue | null,
    expireAtMs: number | undefined,
    countsBefore: KeyCounts,
  ): KeyCounts {
    const version: Version = { offset: at, value, expireAtMs };
    const chain = this.newestVersions.chainOf(key);
    const counts = countsAfterWrite(countsBefore, chain?.at(-1), version);
    if (expireAtMs !== undefined) this.volatileKeys.add(key);
    this.hooks.written(key);
    if (chain === undefined) {
      this.chains.set(key, [version]);
      this.newestVersions.keysChanged();
    } else {
      assert(chain.at(-1)!.offset < at, () => `two writes of ${key} at ${at}`);
      chain.push(version);
    }
    return counts;
  }

  /** Records that the record at `at` wrote `keys` (`written` versions), leaving `counts`. */
  private journalWrites(
    at: Offset,
    keys: Key | readonly Key[],
    written: number,
    counts: KeyCounts,
  ): void {
    assert(
      counts.keys >= counts.expires && counts.expires >= 0,
      () => `apply at ${at}: ${counts.keys} keys, ${counts.expires} with an expiry`,
    );
    this.versions += written;
    this.journal.push({ offset: at, keys, countsAfter: counts });
  }

  /** Delivers a record's messages, in order; answers its result with the deliveries counted. */
  private delivered(command: KvCommand, result: KvResult): KvResult {
    if (command.kind === "publish") {
      const { channel, message, shard = false } = command;
      return { kind: "count", count: this.hooks.publish(channel, message, shard) };
    }
    if (command.kind !== "exec" || result.kind !== "transaction") return result;
    const { steps } = command;
    if (!steps.some((step) => "write" in step && step.write.kind === "publish")) return result;
    const results = result.results.map((stepResult, index) => {
      const step = steps[index];
      return step !== undefined && "write" in step && step.write.kind === "publish"
        ? {
            kind: "count" as const,
            count: this.hooks.publish(
              step.write.channel,
              step.write.message,
              step.write.shard ?? false,
            ),
          }
        : stepResult;
    });
    return { kind: "transaction", results };
  }

  skip(at: Offset): void {
    assert(at === this.applied, () => `skip at ${at} but applied offset is ${this.applied}`);
    this.applied = offset(at + 1);
  }

  query<Query extends KvQuery>(
    query: Query,
    atOffset: Offset,
    nowMs: number,
  ): KvQueryResultOf<Query["kind"]> {
    assert(
      this.horizon <= atOffset && atOffset <= this.applied,
      () => `query at ${atOffset} outside [${this.horizon}, ${this.applied}]`,
    );
    const view = new StateAt(this, atOffset, nowMs);
    // Each query kind answers its own result kind (KvQueryResults); answer's union is wider.
    return answer(query, view) as KvQueryResultOf<Query["kind"]>;
  }

  /** The version of `key` a read at `atOffset` sees (StateAt). */
  versionAt(key: Key, atOffset: Offset): Version | undefined {
    const chain = this.chains.get(key);
    return chain === undefined ? undefined : chain[indexBefore(chain, atOffset)];
  }

  /** Every key with a version that carries an expiry, in byte order (StateAt). */
  sortedVolatileKeys(): Key[] {
    return [...this.volatileKeys].sort();
  }

  /** Every key with a version held, in byte order (StateAt). */
  sortedKeys(): readonly Key[] {
    return this.newestVersions.sortedKeys();
  }

  /** The key counts left by the records below `atOffset` (at or above the horizon). */
  countsBefore(atOffset: Offset): KeyCounts {
    return this.journal.lastBelow(atOffset)?.countsAfter ?? this.horizonCounts;
  }

  snapshotAt(atOffset: Offset): KvSnapshot {
    assert(
      this.horizon <= atOffset && atOffset <= this.applied,
      () => `snapshot at ${atOffset} outside [${this.horizon}, ${this.applied}]`,
    );
    const entries: KvSnapshotEntry[] = [];
    for (const [key, chain] of this.chains) {
      const version = chain[indexBefore(chain, atOffset)];
      // Expiry is decided by the reader's clock, so an expired value is kept with its expiry.
      if (version === undefined || version.value === null) continue;
      const entry: KvSnapshotEntry = {
        key,
        value: plainValue(version.value),
        version: version.offset,
      };
      if (version.expireAtMs !== undefined) entry.expireAtMs = version.expireAtMs;
      entries.push(entry);
    }
    return { offset: atOffset, entries };
  }

  restore(snapshot: KvSnapshot): void {
    this.chains.clear();
    this.journal.clear();
    this.volatileKeys.clear();
    this.newestVersions.keysChanged();
    const expires = snapshot.entries.filter((entry) => entry.expireAtMs !== undefined).length;
    this.horizonCounts = { keys: snapshot.entries.length, expires };
    for (const entry of snapshot.entries) {
      assert(
        entry.version < snapshot.offset,
        () => `snapshot at ${snapshot.offset} holds version ${entry.version}`,
      );
      this.chains.set(entry.key, [
        { offset: entry.version, value: storedValue(entry.value), expireAtMs: entry.expireAtMs },
      ]);
      if (entry.expireAtMs !== undefined) this.volatileKeys.add(entry.key);
    }
    this.versions = snapshot.entries.length;
    this.applied = snapshot.offset;
    this.horizon = snapshot.offset;
  }

  truncate(fromOffset: Offset): void {
    assert(
      this.horizon <= fromOffset && fromOffset <= this.applied,
      () => `truncate from ${fromOffset} outside [${this.horizon}, ${this.applied}]`,
    );
    for (const entry of this.journal.popFrom(fromOffset)) {
      const keys = entryKeys(entry);
      for (const key of keys) {
        const chain = this.chains.get(key);
        const undone = chain?.pop();
        assert(
          undone?.offset === entry.offset,
          () => `truncate: ${key} has no version at ${entry.offset}`,
        );
        if (chain!.length === 0) this.forget(key);
        else this.refreshVolatile(key, chain!);
      }
      this.versions -= keys.length;
    }
    this.applied = fromOffset;
  }

  collectGarbage(belowOffset: Offset): void {
    assert(
      this.horizon <= belowOffset && belowOffset <= this.applied,
      () => `collect below ${belowOffset} outside [${this.horizon}, ${this.applied}]`,
    );
    // A key can hold a version no read at belowOffset sees only if it was written below it; the
    // journal names exactly those keys. Trimming is idempotent, so a key named by several entries
    // is trimmed for the first and found trimmed for the others, with no set of the keys seen.
    const collected = this.journal.shiftBelow(belowOffset);
    this.horizonCounts = collected.at(-1)?.countsAfter ?? this.horizonCounts;
    const forgotten = new Set<Key>();
    for (const { keys } of collected) {
      if (typeof keys === "string") this.trimNamed(keys, belowOffset, forgotten);
      else for (const key of keys) this.trimNamed(key, belowOffset, forgotten);
    }
    this.horizon = belowOffset;
  }

  /** Trims a key the journal names below `belowOffset`; `forgotten`: the keys this pass forgot. */
  private trimNamed(key: Key, belowOffset: Offset, forgotten: Set<Key>): void {
    const chain = this.chains.get(key);
    if (chain === undefined) {
      assert(forgotten.has(key), () => `collect: journal names ${key}, which has no versions`);
      return;
    }
    const oldest = chain[0]!;
    // Nothing to trim when all that is below belowOffset is what reads there see: a lone value
    // (most keys when keys are written once or rarely), or a chain trimmed for an earlier entry.
    if (oldest.offset >= belowOffset || (chain.length === 1 && oldest.value !== null)) return;
    this.trim(key, chain, belowOffset);
    if (chain.length === 0) forgotten.add(key);
  }

  /**
   * Keeps the newest version below `belowOffset`, which reads at `belowOffset` see, and all newer
   * ones. A tombstone kept that way reads as absence, as no version would, so it goes too, and a
   * key left without versions is forgotten.
   */
  private trim(key: Key, chain: VersionChain, belowOffset: Offset): void {
    let keepFrom = indexBefore(chain, belowOffset);
    if (chain[keepFrom]!.value === null) keepFrom += 1;
    if (keepFrom === 0) return;
    // No splice, which builds an array of the removed versions: one shift for a key rewritten
    // about once between collections (the common case); for a hot key, rewritten thousands of
    // times, the kept versions moved to the front once, where a shift each moved the array.
    if (keepFrom === 1) chain.shift();
    else {
      chain.copyWithin(0, keepFrom);
      chain.length -= keepFrom;
    }
    this.versions -= keepFrom;
    if (chain.length === 0) this.forget(key);
    // Dropping versions can only take a key's expiry away, never give it one.
    else if (this.volatileKeys.has(key)) this.refreshVolatile(key, chain);
  }

  private forget(key: Key): void {
    this.chains.delete(key);
    this.volatileKeys.delete(key);
    this.newestVersions.keysChanged();
  }

  /** Keeps `volatileKeys` exactly the keys with some version that carries an expiry. */
  private refreshVolatile(key: Key, chain: VersionChain): void {
    if (chain.some((version) => version.expireAtMs !== undefined)) this.volatileKeys.add(key);
    else this.volatileKeys.delete(key);
  }
}

/** `counts` once `after` became a key's newest version in place of `before`. */
function countsAfterWrite(
  counts: KeyCounts,
  before: Version | undefined,
  after: Version,
): KeyCounts {
  const keysAdded = holdsValue(after) - holdsValue(before);
  const expiresAdded = expiring(after) - expiring(before);
  // An overwrite changes no count: the same object, not one more per write to carry.
  if (keysAdded === 0 && expiresAdded === 0) return counts;
  return { keys: counts.keys + keysAdded, expires: counts.expires + expiresAdded };
}

const holdsValue = (version: Version | undefined): number =>
  version !== undefined && version.value !== null ? 1 : 0;

const expiring = (version: Version | undefined): number =>
  holdsValue(version) === 1 && version!.expireAtMs !== undefined ? 1 : 0;

/** The state a query reads: the machine's at one offset, for a reader at `nowMs` (one object). */
class StateAt implements KeyspaceView {
  constructor(
    private readonly machine: KvStateMachine,
    private readonly atOffset: Offset,
    readonly nowMs: number,
  ) {}

  versionAt(key: Key): Version | undefined {
    return this.machine.versionAt(key, this.atOffset);
  }

  liveAt(key: Key): LiveVersion | undefined {
    const version = this.machine.versionAt(key, this.atOffset);
    return isLive(version, this.nowMs) ? version : undefined;
  }

  sortedKeys(): readonly Key[] {
    return this.machine.sortedKeys();
  }

  keyCounts(): KeyCounts {
    return this.machine.countsBefore(this.atOffset);
  }

  volatileKeys(): readonly Key[] {
    return this.machine.sortedVolatileKeys();
  }

  liveKeyCount(): number {
    return liveKeyCountOf(this);
  }
}

/** The state a command applies to: the newest version of each key, and the keys in order. */
class NewestVersions implements TransactionBase {
  /** The keys of `chains` in byte order, while no key has been created or forgotten since. */
  private sortedKeyCache: Key[] | undefined;

  constructor(private readonly chains: ReadonlyMap<Key, VersionChain>) {}

  /**
   * The key `newest` looked up last and its chain: applying a command looks up the keys its
   * execution just read, nearly always one, and a lookup in a large map costs a cache miss.
   */
  private lastKey: Key | undefined;
  private lastChain: VersionChain | undefined;

  /** A key was created or forgotten. */
  keysChanged(): void {
    this.sortedKeyCache = undefined;
    this.forgetLastRead();
  }

  /**
   * Clears the memo, after each apply as when keys come or go: it is never part of the state
   * between records (two machines with the same history compare equal).
   */
  forgetLastRead(): void {
    this.lastKey = undefined;
    this.lastChain = undefined;
  }

  /** The chain of `key`, the one `newest` read last without a second lookup. */
  chainOf(key: Key): VersionChain | undefined {
    return key === this.lastKey ? this.lastChain : this.chains.get(key);
  }

  sortedKeys(): readonly Key[] {
    // Code-unit order is byte order, as keys hold one byte per char.
    this.sortedKeyCache ??= [...this.chains.keys()].sort();
    return this.sortedKeyCache;
  }

  newest(key: Key): Version | undefined {
    const chain = this.chains.get(key);
    this.lastKey = key;
    this.lastChain = chain;
    return chain?.at(-1);
  }

  heldKeys(): Iterable<Key> {
    return this.chains.keys();
  }
}
