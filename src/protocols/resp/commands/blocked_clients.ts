/**
 * Clients blocked on keys (BLPOP, BRPOP, BLMOVE, BZPOPMIN and kin; redis/src/blocked.c). A
 * blocked command tries its pop as one write record; when it finds nothing it waits until a
 * record writes one of its keys (the state machine's `written` hook, on this node), then tries
 * again, until it pops something, its timeout passes, or its connection goes.
 *
 * Fairness and lost wake-ups: a write wakes the longest-waiting idle client on that key, whose
 * own pop then writes the key again and wakes the next one, so a push of n elements serves up
 * to n clients in the order they blocked, without waking every client for each element. A write
 * that lands while a client's try is in flight marks that try to be repeated if it comes back
 * empty, so no write between a try and the wait is missed.
 *
 * A node that stops leading cannot pop any more: every `roleCheckMs` while clients wait, those
 * whose node no longer serves them are unblocked with Redis's error for a master turned replica.
 */
import type { Key } from "../../../api/index.js";

/** What one try found: `done` with the reply to give, or `empty` to wait again. */
export type TryOutcome<Reply> = { kind: "done"; reply: Reply } | { kind: "empty" };

export interface BlockRequest<Reply> {
  readonly clientId: number;
  readonly keys: readonly Key[];
  /** Milliseconds to wait; 0 waits for ever. */
  readonly timeoutMs: number;
  /** One try: the pop as a write record. */
  attempt(): Promise<TryOutcome<Reply>>;
  /** The reply when the timeout passes (or CLIENT UNBLOCK ... TIMEOUT). */
  readonly timedOut: Reply;
  /** The reply to CLIENT UNBLOCK ... ERROR. */
  readonly unblockedByError: Reply;
  /** Whether this node may still pop for the client (it leads its shard). */
  served(): boolean;
  /** The reply when it no longer may: it lost leadership. */
  readonly unblockedByRoleChange: Reply;
}

interface Waiter {
  readonly request: BlockRequest<unknown>;
  readonly resolve: (reply: unknown) => void;
  /** A try is in flight. */
  trying: boolean;
  /** A key was written during the try: try again if it comes back empty. */
  again: boolean;
  /** The timeout passed or CLIENT UNBLOCK came during a try: answer this once it is back. */
  ending: unknown;
  /** What ends the wait of a client whose connection closed (never written). */
  readonly closed: unknown;
  timer: NodeJS.Timeout | undefined;
}

const timerMsMax = 2 ** 31 - 1;
const roleCheckMs = 200;

export class BlockedClients {
  /** The waiters of each key, in the order they blocked. */
  private readonly byKey = new Map<Key, Set<Waiter>>();
  private readonly byClient = new Map<number, Waiter>();
  /** Runs while any client waits. */
  private roleCheck: NodeJS.Timeout | undefined;

  /** INFO `blocked_clients`, CLIENT LIST's `b` flag. */
  get count(): number {
    return this.byClient.size;
  }

  isBlocked(clientId: number): boolean {
    return this.byClient.has(clientId);
  }

  /**
   * Blocks until a try pops something (its reply), the timeout passes (`timedOut`), or the
   * client goes (`closed`, never written). The first try starts at once, with the client already
   * waiting, so a write during it is not missed.
   */
  block<Reply>(request: BlockRequest<Reply>, closed: Reply): Promise<Reply> {
    return new Promise<Reply>((resolve) => {
      const waiter: Waiter = {
        request,
        resolve: resolve as (reply: unknown) => void,
        trying: false,
        again: false,
        ending: undefined,
        closed,
        timer: undefined,
      };
      this.byClient.set(request.clientId, waiter);
      // Unreferenced: a check alone keeps no process alive.
      this.roleCheck ??= setInterval(() => this.checkRoles(), roleCheckMs).unref();
      for (const key of request.keys) {
        const waiters = this.byKey.get(key);
        if (waiters === undefined) this.byKey.set(key, new Set([waiter]));
        else waiters.add(waiter);
      }
      if (request.timeoutMs > 0) this.arm(waiter, Date.now() + request.timeoutMs);
      this.attempt(waiter);
    });
  }

  /** Ends the wait at `deadlineMs`, in steps a timer can take (setTimeout's 2^31 - 1 ms). */
  private arm(waiter: Waiter, deadlineMs: number): void {
    const leftMs = deadlineMs - Date.now();
    waiter.timer = setTimeout(
      () =>
        leftMs > timerMsMax
          ? this.arm(waiter, deadlineMs)
          : this.end(waiter, waiter.request.timedOut),
      Math.min(leftMs, timerMsMax),
    );
  }

  /** The state machine applied a record that wrote `key`. */
  written(key: Key): void {
    if (this.byKey.size === 0) return;
    const waiters = this.byKey.get(key);
    if (waiters === undefined) return;
    for (const waiter of waiters) {
      if (!waiter.trying) {
        // Not from inside the state machine's apply: the try is a write of its own.
        waiter.trying = true;
        queueMicrotask(() => this.attempt(waiter));
        return;
      }
    }
    for (const waiter of waiters) waiter.again = true;
  }

  /** CLIENT UNBLOCK: ends a blocked client's wait; false when it was not blocked. */
  unblock(clientId: number, how: "timeout" | "error"): boolean {
    const waiter = this.byClient.get(clientId);
    if (waiter === undefined) return false;
    const { request } = waiter;
    this.end(waiter, how === "timeout" ? request.timedOut : request.unblockedByError);
    return true;
  }

  /** One node, one role: the first waiter's answer holds for all. */
  private checkRoles(): void {
    const first = this.byClient.values().next();
    if (first.done === true || first.value.request.served()) return;
    for (const waiter of [...this.byClient.values()]) {
      this.end(waiter, waiter.request.unblockedByRoleChange);
    }
  }

  /** The client's connection closed: its wait ends unanswered. */
  forget(clientId: number): void {
    const waiter = this.byClient.get(clientId);
    if (waiter !== undefined) this.end(waiter, waiter.closed);
  }

  private attempt(waiter: Waiter): void {
    // A wait that ended (and perhaps a new one of the same client) takes no more tries.
    if (this.byClient.get(waiter.request.clientId) !== waiter) return;
    waiter.trying = true;
    waiter.again = false;
    void waiter.request.attempt().then((outcome) => {
      waiter.trying = false;
      if (outcome.kind === "done") return this.finish(waiter, outcome.reply);
      if (waiter.ending !== undefined) return this.finish(waiter, waiter.ending);
      if (waiter.again) this.attempt(waiter);
    });
  }

  /** Ends the wait with `reply`, at once unless a try is in flight. */
  private end(waiter: Waiter, reply: unknown): void {
    if (waiter.trying) waiter.ending = reply;
    else this.finish(waiter, reply);
  }

  private finish(waiter: Waiter, reply: unknown): void {
    const { request } = waiter;
    if (this.byClient.get(request.clientId) !== waiter) return;
    this.byClient.delete(request.clientId);
    clearTimeout(waiter.timer);
    if (this.byClient.size === 0) {
      clearInterval(this.roleCheck);
      this.roleCheck = undefined;
    }
    for (const key of request.keys) {
      const waiters = this.byKey.get(key);
      waiters?.delete(waiter);
      if (waiters?.size === 0) this.byKey.delete(key);
    }
    waiter.resolve(reply);
  }
}
