/**
 * The TypeScript client of onelog: every call carries the unified concerns (DESIGN.md §6–7),
 * finds the leader by itself, follows redirects, routes reads by read preference, and answers a
 * typed outcome — it never throws for an operating error. Values are UTF-8 strings.
 *
 * ```ts
 * const client = new OnelogClient([{ host: "127.0.0.1", port: 7380 }]);
 * const written = await client.set("k", "v", { w: "majority" });
 * if (written.kind === "ok") console.log(written.offset);
 * await client.close();
 * ```
 */
import type { WriteConcern } from "../core/concern/index.js";
import type { Offset } from "../core/types.js";
import { assert } from "../util/assert.js";
import { type ReadOptions, readConcernArguments, writeConcernArguments } from "./concern_args.js";
import { runRead } from "./read_path.js";
import {
  type Parsed,
  parseCasReply,
  parseCount,
  parseCountReply,
  parseExecReply,
  parseIncrReply,
  parseSetReply,
} from "./reply_shapes.js";
import { Router } from "./router.js";
import { CausalSession } from "./session.js";
import type {
  CasResult,
  ClientOptions,
  Endpoint,
  EvalResult,
  PopResult,
  ReadResult,
  StatusResult,
  TransactionResult,
  WaitResult,
  WriteResult,
} from "./types.js";
import { failedWrite, runWrite } from "./write_path.js";

export interface SetOptions {
  /** NX: only if absent; XX: only if present. */
  condition?: "nx" | "xx";
  /** Expiry relative to the leader's clock (PX). */
  ttlMs?: number;
}

export class OnelogClient {
  private readonly router: Router;
  private closed = false;

  constructor(endpoints: readonly Endpoint[], options: ClientOptions = {}) {
    this.router = new Router(endpoints, options);
  }

  /** A causal session: its reads wait for every offset it has seen (MongoDB causal consistency). */
  session(): CausalSession {
    return new CausalSession(this);
  }

  /** `OL.SET`; the result is true when the value was set, false when NX/XX was not met. */
  set(
    key: string,
    value: string,
    concern?: WriteConcern,
    options: SetOptions = {},
  ): Promise<WriteResult<boolean>> {
    const args = ["OL.SET", key, value, ...writeConcernArguments(concern)];
    if (options.condition !== undefined) args.push(options.condition.toUpperCase());
    if (options.ttlMs !== undefined) {
      assert(
        Number.isSafeInteger(options.ttlMs) && options.ttlMs > 0,
        () => `ttl ${options.ttlMs} ms`,
      );
      args.push("PX", String(options.ttlMs));
    }
    return this.write(args, parseSetReply, concern);
  }

  /** `OL.GET` at the read concern; fields left out take the shard's preset defaults. */
  get(key: string, concern?: ReadOptions): Promise<ReadResult> {
    this.assertOpen();
    return runRead(this.router, ["OL.GET", key, ...readConcernArguments(concern)], concern);
  }

  /** `OL.CAS`: sets `value` if the key holds `expected` (null: if it is absent). */
  cas(
    key: string,
    expected: string | null,
    value: string,
    concern?: WriteConcern,
  ): Promise<WriteResult<CasResult>> {
    const compare = expected === null ? ["ABSENT"] : ["EXPECT", expected];
    return this.write(
      ["OL.CAS", key, value, ...compare, ...writeConcernArguments(concern)],
      parseCasReply,
      concern,
    );
  }

  /** `OL.APPEND`: appends `element` to the list at `key`; the result is the new length. */
  append(key: string, element: string, concern?: WriteConcern): Promise<WriteResult<number>> {
    return this.write(
      ["OL.APPEND", key, element, ...writeConcernArguments(concern)],
      parseCountReply,
      concern,
    );
  }

  /** `OL.INCR ... BY by`; the result is the new value, exact in 64 bits. */
  incr(key: string, by = 1n, concern?: WriteConcern): Promise<WriteResult<bigint>> {
    return this.write(
      ["OL.INCR", key, "BY", String(by), ...writeConcernArguments(concern)],
      parseIncrReply,
      concern,
    );
  }

  /** `OL.DEL` of keys in one slot; the result counts the keys that existed. */
  del(keys: string | readonly string[], concern?: WriteConcern): Promise<WriteResult<number>> {
    const list = typeof keys === "string" ? [keys] : keys;
    assert(list.length > 0, "del needs at least one key");
    return this.write(
      ["OL.DEL", ...list, ...writeConcernArguments(concern)],
      parseCountReply,
      concern,
    );
  }

  /**
   * MULTI, `commands`, EXEC on the leader: plain Redis commands, applied as one record at the
   * shard preset's concerns (docs/commands.md, "Transactions"). Retried elsewhere only when it
   * did not run (no connection, not the leader).
   */
  async transaction(commands: readonly (readonly string[])[]): Promise<TransactionResult> {
    this.assertOpen();
    assert(commands.length > 0, "a transaction needs at least one command");
    const answer = await this.router.sendToLeader(
      { transaction: commands },
      this.router.deadline(),
    );
    if (answer.kind !== "reply") return failedWrite(answer);
    if (answer.reply === null) return { kind: "aborted" };
    const answers = parseExecReply(answer.reply, commands.length);
    return answers === undefined
      ? { kind: "unknown", detail: "EXEC answered no array of replies" }
      : { kind: "ok", answers };
  }

  /**
   * `BLPOP key timeout` on the leader, at the shard preset's write concern: the element popped
   * from the head of the list, or null when none came within `timeoutSeconds`. Retried
   * elsewhere only when it did not run.
   */
  async blockingPop(key: string, timeoutSeconds: number): Promise<PopResult> {
    this.assertOpen();
    const deadline = this.router.deadline(timeoutSeconds * 1000);
    const answer = await this.router.sendToLeader(["BLPOP", key, String(timeoutSeconds)], deadline);
    if (answer.kind !== "reply") return failedWrite(answer);
    if (answer.reply === null) return { kind: "ok", element: null };
    const [from, element] = Array.isArray(answer.reply) ? answer.reply : [];
    return from === key && typeof element === "string"
      ? { kind: "ok", element }
      : { kind: "unknown", detail: `BLPOP answered ${JSON.stringify(answer.reply)}` };
  }

  /**
   * `EVAL script numkeys keys... args...` on the leader, at the shard preset's write concern
   * (docs/commands.md, "Scripts"). Retried elsewhere only when it did not run.
   */
  async eval(
    script: string,
    keys: readonly string[],
    args: readonly string[],
  ): Promise<EvalResult> {
    this.assertOpen();
    const command = ["EVAL", script, String(keys.length), ...keys, ...args];
    const answer = await this.router.sendToLeader(command, this.router.deadline());
    if (answer.kind !== "reply") return failedWrite(answer);
    return { kind: "ok", reply: answer.reply };
  }

  /** `OL.WAIT`: how many replicas (the leader included) hold the log up to `offset`. */
  async wait(offset: Offset, replicas: number, timeoutMs: number): Promise<WaitResult> {
    this.assertOpen();
    const args = ["OL.WAIT", String(offset), String(replicas), String(timeoutMs)];
    const answer = await this.router.sendToLeader(args, this.router.deadline(timeoutMs));
    switch (answer.kind) {
      case "not_run":
        return answer.rejection;
      case "lost":
        return { kind: "rejected", reason: "unreachable", detail: answer.detail };
      case "error":
        return { kind: "rejected", reason: "invalid", detail: answer.error.message };
      case "reply": {
        const count = parseCount(answer.reply, "replica count");
        return count.ok
          ? { kind: "ok", replicas: count.value }
          : { kind: "rejected", reason: "bad_reply", detail: count.detail };
      }
    }
  }

  /** `OL.STATUS` of every node the client knows, in its endpoint order. */
  status(): Promise<StatusResult[]> {
    this.assertOpen();
    return this.router.discover(this.router.deadline());
  }

  /** Closes every connection at once; calls still waiting end as `unknown` or `rejected`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.router.close();
  }

  private write<R>(
    args: string[],
    parse: (reply: unknown) => Parsed<{ result: R; offset: Offset }>,
    concern: WriteConcern | undefined,
  ): Promise<WriteResult<R>> {
    this.assertOpen();
    return runWrite(this.router, args, parse, concern?.timeoutMs);
  }

  private assertOpen(): void {
    assert(!this.closed, "the client is closed");
  }
}
