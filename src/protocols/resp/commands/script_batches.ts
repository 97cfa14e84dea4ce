/**
 * How scripts run on a node (decision 0020). Scripts queue; the scripts waiting when the previous
 * batch's record has gone into the log form the next batch. A batch's scripts run one after the
 * other against one ScriptState, each seeing the writes of those before it, exactly as if run
 * alone in that order; their writes go into the log as one `exec` record that watches every key
 * they consulted, so on every replica nothing lands between the batch's reads and its writes.
 * When a watched key changed, the record writes nothing and the batch's scripts queue again. A
 * batch that wrote nothing is checked by one `multi` read at its read concern.
 *
 * One record per batch, and the next batch reading this one's writes (a leader applies a record
 * as it enters the log), is what lets many clients run scripts on one hot key: run one by one
 * against the committed state, all but one of a round would run again, and the rest starve.
 */
import { offset, ScriptState, type StoreWriteOutcome } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { error } from "../reply.js";
import type { CachedScript } from "../scripting/script_cache.js";
import { ScriptStore } from "../scripting/script_store.js";
import { arityAccepts } from "./arguments.js";
import { type CommandContext, isRedisWrite } from "./context.js";
import { dispatch, findCommand, internalError } from "./dispatcher.js";
import { readFailure, readOnlyReplica, writeFailure } from "./outcome_replies.js";
import { notePlaced, presetConcern, readConcernOf } from "./redis_access.js";
import { replicationRole } from "./replication_view.js";
import type { ServerState } from "./server_state.js";

/** Runs of one script before it gives up on keys that keep changing under it. */
const runsMax = 100;
/** Most scripts in one batch, so one record stays a bounded amount of work. */
const batchScriptsMax = 256;

/** Commands a script may not call (Redis's `noscript` flag). */
const notInScripts = new Set([
  "auth",
  "client",
  "debug",
  "discard",
  "eval",
  "eval_ro",
  "evalsha",
  "evalsha_ro",
  "exec",
  "hello",
  "multi",
  "psubscribe",
  "punsubscribe",
  "quit",
  "reset",
  "script",
  "ssubscribe",
  "subscribe",
  "sunsubscribe",
  "unsubscribe",
  "unwatch",
  "wait",
  "waitaof",
  "watch",
]);

export interface ScriptJob {
  readonly context: CommandContext;
  readonly script: CachedScript;
  readonly keys: readonly Buffer[];
  readonly argv: readonly Buffer[];
  /** EVAL_RO, EVALSHA_RO: a write is refused. */
  readonly readOnly: boolean;
}

interface Queued extends ScriptJob {
  runs: number;
  /** Its batch's record was too large: it runs in a batch of its own. */
  alone: boolean;
  resolve(reply: Reply): void;
}

/** A batch's script that ran to its end: its reply, once its batch's record stands. */
interface Ran {
  readonly job: Queued;
  readonly reply: Reply;
}

const batchesByNode = new WeakMap<ServerState, ScriptBatches>();

/** Runs `job` in the node's next batch; answers its reply. */
export function runScript(job: ScriptJob): Promise<Reply> {
  const { state } = job.context;
  let batches = batchesByNode.get(state);
  if (batches === undefined) {
    batches = new ScriptBatches();
    batchesByNode.set(state, batches);
  }
  return batches.add(job);
}

class ScriptBatches {
  private queue: Queued[] = [];
  private running = false;

  add(job: ScriptJob): Promise<Reply> {
    return new Promise((resolve) => {
      const { context, script, keys, argv, readOnly } = job;
      this.queue.push({ context, script, keys, argv, readOnly, runs: 0, alone: false, resolve });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      // The scripts that arrive in this turn (a pipeline's, other clients') join the first batch.
      await nextTurnPhase();
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        await this.runBatch(batch).catch((thrown: unknown) => failed(batch, thrown));
        // The driver's pass, scheduled by the record's write before this, puts the record in
        // the log: the next batch reads its writes.
        await nextTurnPhase();
      }
    } finally {
      this.running = false;
    }
  }

  /** The first queued scripts that share a read concern (the one read a batch may need). */
  private takeBatch(): Queued[] {
    const { queue } = this;
    const first = queue[0] as Queued;
    const batch: Queued[] = [first];
    const rest: Queued[] = [];
    for (let index = 1; index < queue.length; index++) {
      const job = queue[index] as Queued;
      const fits =
        !first.alone && !job.alone && batch.length < batchScriptsMax && sameReadConcern(job, first);
      (fits ? batch : rest).push(job);
    }
    this.queue = rest;
    return batch;
  }

  private async runBatch(batch: readonly Queued[]): Promise<void> {
    const { context: first } = batch[0] as Queued;
    const base = first.store.newestState?.();
    if (base === undefined) {
      for (const job of batch)
        job.resolve(error("ERR onelog: scripts run only on a node that holds the data"));
      return;
    }
    const state = new ScriptState(base, first.nowMs());
    const store = new ScriptStore(state, first.store);
    const ran: Ran[] = [];
    // One context for the commands of a connection's scripts in this batch: a copy per script
    // was the costliest step of a short script. Redis too runs every script's commands through
    // one client of its own, whatever they leave on it.
    const insides = new Map<CommandContext, CommandContext>();
    for (const job of batch) {
      const mark = state.mark();
      let inside = insides.get(job.context);
      if (inside === undefined) {
        inside = insideContext(job.context, store);
        insides.set(job.context, inside);
      }
      const { reply, stopped } = await runOne(job, inside);
      job.runs++;
      if (stopped) {
        // A script the node stopped writes nothing (Redis would refuse to kill one that wrote).
        state.rollback(mark);
        job.resolve(reply);
      } else {
        ran.push({ job, reply });
      }
    }
    void settle(first, state)
      .then((settled) => this.answer(ran, settled))
      .catch((thrown: unknown) => failed(batch, thrown));
  }

  private answer(ran: readonly Ran[], settled: Settled): void {
    if (settled.kind === "placed" && isTooLarge(settled.outcome) && ran.length > 1) {
      // Together the scripts' writes pass the record limit; each may fit alone.
      const again = ran.map(({ job }) => ({ ...job, alone: true }));
      this.queue.unshift(...again);
      void this.drain();
      return;
    }
    if (settled.kind === "changed") {
      const again: Queued[] = [];
      for (const { job } of ran) {
        if (job.runs < runsMax) again.push(job);
        else
          job.resolve(
            error(
              `ERR onelog: the keys the script read kept changing under it; gave up after ${runsMax} runs`,
            ),
          );
      }
      this.queue.unshift(...again);
      void this.drain();
      return;
    }
    for (const { job, reply } of ran) {
      if (settled.kind === "placed") notePlaced(job.context, settled.outcome);
      job.resolve(settled.failure ?? reply);
    }
  }
}

/**
 * A bug in a batch: its scripts answer as a handler that threw does, and the node lives on. A
 * script already answered keeps its answer.
 */
function failed(batch: readonly Queued[], thrown: unknown): void {
  const [first] = batch;
  if (first === undefined) return;
  const reply = internalError(thrown, "eval", first.context);
  for (const job of batch) job.resolve(reply);
}

/** After the callbacks already queued for the event loop's check phase (the driver's pass). */
const nextTurnPhase = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const isTooLarge = (outcome: StoreWriteOutcome): boolean =>
  outcome.kind === "rejected" && outcome.reason === "too_large";

const sameReadConcern = (job: ScriptJob, other: ScriptJob): boolean =>
  job.context.session.readOnly === other.context.session.readOnly;

/** The context of the commands a script of `context`'s connection calls: the batch's `store`. */
const insideContext = (context: CommandContext, store: ScriptStore): CommandContext => ({
  ...context,
  store,
  // Commands inside a script answer in RESP2 (redis.setresp(2), the default) and never wait.
  session: { ...context.session, protocol: 2, transaction: undefined },
  denyBlocking: true,
});

/** Runs one script of a batch, its commands in `inside` (insideContext). */
function runOne(job: ScriptJob, inside: CommandContext) {
  const { context } = job;
  const engine = context.state.scripts.engine(context.server.version);
  const call = (args: Buffer[]) => scriptCall(args, inside, job.readOnly);
  const { source, sha } = job.script;
  // busy-reply-threshold (lua-time-limit), 5,000 ms by default; 0 lets a script run on.
  const timeLimitMs = context.state.integerSetting("busy-reply-threshold");
  return engine.run(source, sha, job.keys, job.argv, call, timeLimitMs);
}

/** How a batch's record (or read) went: `changed` when a watched key moved. */
type Settled =
  | { kind: "changed" }
  | { kind: "placed"; outcome: StoreWriteOutcome; failure: Reply | undefined }
  | { kind: "read"; failure: Reply | undefined };

/**
 * Puts the batch's writes in the log as one record watching what its scripts consulted, or checks
 * a batch that wrote nothing by one read.
 */
async function settle(context: CommandContext, state: ScriptState): Promise<Settled> {
  const watched = state.watched;
  if (state.steps.length > 0) {
    const command = { kind: "exec", steps: state.steps, watched } as const;
    const outcome = await context.store.write(command, presetConcern);
    if (outcome.kind === "ok" && outcome.result.kind === "aborted") return { kind: "changed" };
    const failure = outcome.kind === "ok" ? undefined : writeFailure(outcome, true);
    return { kind: "placed", outcome, failure };
  }
  if (watched.length === 0) return { kind: "read", failure: undefined };
  const query = { kind: "multi", queries: [], watched } as const;
  // The check waits until the versions the scripts saw are readable at the concern (a leader's
  // newest may be past its commit), rather than finding them missing and running them again.
  const seen = watched.reduce((most, { version }) => Math.max(most, (version ?? -1) + 1), 0);
  const concern = { ...readConcernOf(context), afterOffset: offset(seen) };
  const outcome = await context.store.read(query, concern);
  if (outcome.kind !== "ok") return { kind: "read", failure: readFailure(outcome) };
  return outcome.result.kind === "aborted"
    ? { kind: "changed" }
    : { kind: "read", failure: undefined };
}

/** One redis.call: Redis's checks for a command called from a script (script.c scriptCall). */
function scriptCall(
  args: Buffer[],
  context: CommandContext,
  readOnly: boolean,
): Reply | Promise<Reply> {
  const spec = findCommand(args);
  if (spec === undefined) return error("ERR Unknown Redis command called from script");
  if (!arityAccepts(spec.arity, args.length)) {
    return error("ERR Wrong number of args calling Redis command from script");
  }
  if (notInScripts.has(spec.name) || spec.blocks === true) {
    return error("ERR This Redis command is not allowed from script");
  }
  if (isRedisWrite(spec)) {
    if (readOnly) return error("ERR Write commands are not allowed from read-only scripts.");
    if (replicationRole(context) !== "master") return readOnlyReplica;
  }
  return dispatch(args, context, spec);
}
