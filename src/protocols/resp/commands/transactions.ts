/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH (redis/src/multi.c;
 * https://redis.io/docs/latest/develop/interact/transactions/). Between MULTI and EXEC the
 * dispatcher queues each command and answers `+QUEUED`; a command refused while queueing
 * (unknown, wrong arity, a write on a replica) makes EXEC answer EXECABORT. EXEC calls the queued
 * handlers in order against TransactionSteps, which turns their writes and reads into the steps
 * of one `exec` record (or, with no write, of one `multi` read), so no other client's command
 * runs between them on any replica. Commands that touch no data (PING, CLIENT, CONFIG) run as
 * they are, in their place. WATCH records each key's version; EXEC answers a null array when
 * one changed (src/core/state/transaction_ops.ts has the exact rule).
 */
import type { KvQueryResult, KvResult, Offset, WatchedKey } from "../../../api/index.js";
import { assert } from "../../../util/assert.js";
import type { Reply } from "../reply.js";
import { array, error, ok } from "../reply.js";
import { text } from "./arguments.js";
import { type CommandContext, type CommandSpec, isRedisWrite } from "./context.js";
import { dispatch } from "./dispatcher.js";
import { readFailure, writeFailure } from "./outcome_replies.js";
import { noReplicas, notePlaced, presetConcern, readConcernOf, redisRead } from "./redis_access.js";
import { enoughGoodReplicas } from "./replication_view.js";
import { TransactionSteps } from "./transaction_steps.js";

const execAbort = error("EXECABORT Transaction discarded because of previous errors.");
const aborted = array(null);

function multi(_: readonly Buffer[], context: CommandContext): Reply {
  if (context.session.transaction !== undefined) {
    return error("ERR MULTI calls can not be nested");
  }
  context.session.transaction = { commands: [], failed: false, running: false };
  return ok;
}

function discard(_: readonly Buffer[], context: CommandContext): Reply {
  const { session } = context;
  if (session.transaction === undefined) return error("ERR DISCARD without MULTI");
  session.transaction = undefined;
  session.watched.clear();
  return ok;
}

/** WATCH key [key ...]: each key's version, read at the connection's read concern. */
async function watch(args: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const { session } = context;
  if (session.transaction !== undefined) return error("ERR WATCH inside MULTI is not allowed");
  const keys = args.slice(1).map(text);
  const reads = await Promise.all(keys.map((key) => redisRead(context, { kind: "watch", key })));
  for (const read of reads) if (read.kind === "reply") return read.reply;
  for (const read of reads) {
    // A key watched twice keeps its first version, as Redis keeps its first watch.
    if (read.kind === "ok" && !session.watched.has(read.result.watched.key)) {
      session.watched.set(read.result.watched.key, read.result.watched);
    }
  }
  return ok;
}

function unwatch(_: readonly Buffer[], context: CommandContext): Reply {
  context.session.watched.clear();
  return ok;
}

async function exec(_: readonly Buffer[], context: CommandContext): Promise<Reply> {
  const { session } = context;
  const transaction = session.transaction;
  if (transaction === undefined) return error("ERR EXEC without MULTI");
  session.transaction = undefined;
  const watched = [...session.watched.values()];
  session.watched.clear();
  if (transaction.failed) return execAbort;
  const writes = transaction.commands.some(({ spec }) => isRedisWrite(spec));
  if (writes && !enoughGoodReplicas(context)) {
    context.state.stats.rejectedWrites++;
    return noReplicas;
  }
  const steps = new TransactionSteps(context.store);
  const inside: CommandContext = { ...context, denyBlocking: true };
  const stepContext: CommandContext = { ...inside, store: steps };
  // The queued commands run with the client still in MULTI, as in Redis (CLIENT LIST: `x`).
  session.transaction = { ...transaction, running: true };
  const replies = transaction.commands.map(({ spec, args }) =>
    dispatch(args, spec.access === undefined ? inside : stepContext, spec),
  );
  session.transaction = undefined;
  steps.seal();
  const failure = await applySteps(context, steps, watched);
  return failure ?? array(await Promise.all(replies));
}

/**
 * Sends the steps as one record (one read when none writes) and answers each step's handler;
 * a failure (not leader, timeout, a changed watched key) is EXEC's whole reply.
 */
async function applySteps(
  context: CommandContext,
  steps: TransactionSteps,
  watched: readonly WatchedKey[],
): Promise<Reply | undefined> {
  const check = watched.length === 0 ? {} : { watched };
  if (steps.writes) {
    const command = { kind: "exec", steps: steps.steps, ...check } as const;
    const outcome = await context.store.write(command, presetConcern);
    notePlaced(context, outcome);
    if (outcome.kind !== "ok") return writeFailure(outcome, true);
    return answerSteps(steps, outcome.result, outcome.offset);
  }
  const queries = steps.steps.flatMap((step) => ("read" in step ? [step.read] : []));
  if (queries.length === 0 && watched.length === 0) return undefined;
  const query = { kind: "multi", queries, ...check } as const;
  const outcome = await context.store.read(query, readConcernOf(context));
  if (outcome.kind !== "ok") return readFailure(outcome);
  return answerSteps(steps, outcome.result, outcome.offset);
}

function answerSteps(
  steps: TransactionSteps,
  result: KvResult | KvQueryResult,
  at: Offset,
): Reply | undefined {
  if (result.kind === "aborted") return aborted;
  assert(result.kind === "transaction", () => `EXEC answered ${result.kind}`);
  steps.answer(result.results, at);
  return undefined;
}

/** Run at once even between MULTI and EXEC (Redis's processCommand lets these through). */
const runs = "runs" as const;

export const transactionCommands: CommandSpec[] = [
  { name: "multi", arity: 1, inTransaction: runs, handler: multi },
  { name: "exec", arity: 1, access: "exclusive", inTransaction: runs, handler: exec },
  { name: "discard", arity: 1, inTransaction: runs, handler: discard },
  {
    name: "watch",
    arity: -2,
    access: "read",
    keys: [1, -1, 1],
    inTransaction: runs,
    handler: watch,
  },
  { name: "unwatch", arity: 1, handler: unwatch },
];
