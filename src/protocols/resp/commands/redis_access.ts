/**
 * How a plain Redis command reaches the Store (docs/commands.md, "Concerns"): writes at the
 * shard preset's default write concern, refused with `-NOREPLICAS` when `min-replicas-to-write`
 * is not met and with `-READONLY` on a follower, as a Redis replica does; a successful or timed
 * out write moves the connection's last write offset, which WAIT waits for. Reads use the preset's
 * default read concern, or this replica's local state after READONLY.
 */
import type {
  KvCommand,
  KvQuery,
  KvQueryResultOf,
  KvResult,
  ReadConcernInput,
  StoreReadOutcome,
  StoreWriteOutcome,
  WriteConcernInput,
  WriteListener,
} from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { error } from "../reply.js";
import type { CommandContext } from "./context.js";
import { DeferredReply } from "./deferred_reply.js";
import { kvFailure, readFailure, writeFailure } from "./outcome_replies.js";
import { enoughGoodReplicas } from "./replication_view.js";

export type Answered<T> = { kind: "ok"; result: T } | { kind: "reply"; reply: Reply };

export const noReplicas = error("NOREPLICAS Not enough good replicas to write.");
/** No field given: the shard preset's default write concern. */
export const presetConcern: WriteConcernInput = Object.freeze({});

/**
 * Writes `command`; a kv error result (WRONGTYPE, ...) comes back as its Redis reply. A refusal
 * decided here (NOREPLICAS) comes back at once, without a promise.
 */
export function redisWrite(
  context: CommandContext,
  command: KvCommand,
): Answered<KvResult> | Promise<Answered<KvResult>> {
  const now = writtenAtOnce(context, command);
  if (now !== undefined) return now;
  return context.store
    .write(command, presetConcern)
    .then((outcome) => answeredWrite(context, outcome));
}

/**
 * A write's reply rendered from its result by `render`, or its failure (see `readReply`): the
 * face's hot path, answered through a DeferredReply where the Store takes a listener
 * (submitWrite), at once where the Store answers at once (inside a script) or the write is
 * refused here.
 */
export function writeReply(
  context: CommandContext,
  command: KvCommand,
  render: Render<KvResult>,
): Reply | Promise<Reply> | DeferredReply {
  const now = writtenAtOnce(context, command);
  if (now !== undefined) return rendered(now, render, context);
  const { store } = context;
  if (store.submitWrite === undefined) {
    return store
      .write(command, presetConcern)
      .then((outcome) => rendered(answeredWrite(context, outcome), render, context));
  }
  const pending = new PendingWrite(context, render);
  store.submitWrite(command, presetConcern, pending);
  return pending;
}

/** What renders a result as its reply; given the context, so that it need not be a closure. */
export type Render<Result> = (result: Result, context: CommandContext) => Reply;

const rendered = <Result>(
  answered: Answered<Result>,
  render: Render<Result>,
  context: CommandContext,
): Reply => (answered.kind === "reply" ? answered.reply : render(answered.result, context));

/** The write's answer where it needs no waiting: refused (NOREPLICAS), or inside a script. */
function writtenAtOnce(
  context: CommandContext,
  command: KvCommand,
): Answered<KvResult> | undefined {
  if (!enoughGoodReplicas(context)) {
    context.state.stats.rejectedWrites++;
    return { kind: "reply", reply: noReplicas };
  }
  const now = context.store.writeNow?.(command, presetConcern);
  return now === undefined ? undefined : answeredWrite(context, now);
}

/** A write on its way through the Store: its own listener and the reply its handler returned. */
class PendingWrite extends DeferredReply implements WriteListener {
  constructor(
    private readonly context: CommandContext,
    private readonly render: Render<KvResult>,
  ) {
    super();
  }

  written(outcome: StoreWriteOutcome): void {
    let reply: Reply;
    try {
      reply = rendered(answeredWrite(this.context, outcome), this.render, this.context);
    } catch (thrown) {
      this.failed(thrown);
      return;
    }
    this.replied(reply);
  }
}

function answeredWrite(context: CommandContext, outcome: StoreWriteOutcome): Answered<KvResult> {
  notePlaced(context, outcome);
  if (outcome.kind !== "ok") return { kind: "reply", reply: writeFailure(outcome, true) };
  const failure = kvFailure(outcome.result);
  if (failure !== undefined) return { kind: "reply", reply: failure };
  return { kind: "ok", result: outcome.result };
}

/** Moves the connection's last write offset, which WAIT waits for, over a write placed in the log. */
export function notePlaced(context: CommandContext, outcome: StoreWriteOutcome): void {
  if (outcome.kind === "ok" || outcome.kind === "timeout") {
    const { session } = context;
    session.lastWriteOffset = Math.max(session.lastWriteOffset, outcome.offset);
  }
}

/** After READONLY: this replica's own state, as a Redis replica answers. */
const localRead: ReadConcernInput = Object.freeze({ level: "local", readPreference: "nearest" });
/** No field given: the shard preset's default read concern. */
const presetRead: ReadConcernInput = Object.freeze({});

export function readConcernOf(context: CommandContext): ReadConcernInput {
  return context.session.readOnly ? localRead : presetRead;
}

type ReadResult<Query extends KvQuery> = Exclude<KvQueryResultOf<Query["kind"]>, { kind: "error" }>;

/**
 * Reads `query`; a `wrong_type` result comes back as -WRONGTYPE, so `result` is the query's
 * success shape. Without a promise when the Store answers at once.
 */
export function redisRead<Query extends KvQuery>(
  context: CommandContext,
  query: Query,
): Answered<ReadResult<Query>> | Promise<Answered<ReadResult<Query>>> {
  const outcome = context.store.read(query, readConcernOf(context));
  return outcome instanceof Promise
    ? outcome.then((settled) => answeredRead<Query>(settled))
    : answeredRead<Query>(outcome);
}

/**
 * A read's reply rendered from its result by `render`, or its failure; synchronous when the
 * Store answers at once (a local read), so hot read commands skip the promise machinery.
 */
export function readReply<Query extends KvQuery>(
  context: CommandContext,
  query: Query,
  render: Render<ReadResult<Query>>,
): Reply | Promise<Reply> {
  const read = redisRead(context, query);
  return read instanceof Promise
    ? read.then((answered) => rendered(answered, render, context))
    : rendered(read, render, context);
}

function answeredRead<Query extends KvQuery>(
  outcome: StoreReadOutcome,
): Answered<ReadResult<Query>> {
  if (outcome.kind !== "ok") return { kind: "reply", reply: readFailure(outcome) };
  const result = outcome.result as KvQueryResultOf<Query["kind"]>;
  if (result.kind === "error") return { kind: "reply", reply: wrongType() };
  return { kind: "ok", result: result as ReadResult<Query> };
}

export const wrongType = (): Reply =>
  error("WRONGTYPE Operation against a key holding the wrong kind of value");
