/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (redis/src/eval.c, script.c;
 * https://redis.io/docs/latest/develop/interact/programmability/eval-intro/), on onelog's log
 * (decision 0020): a script runs on this node against its newest state (ScriptState), each
 * redis.call answered at once from it; its writes then go into the log as one `exec` record that
 * watches every key the script consulted, so the script is atomic as in Redis: no other write
 * lands between its reads and its writes on any replica. When one did, the record writes
 * nothing and the script runs again. A script that wrote nothing is checked by one `multi` read
 * at the connection's read concern. As in Redis, a script that fails keeps the writes it made
 * before the failure.
 */
import { ScriptState } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { array, bulk, error, integer, ok } from "../reply.js";
import { ScriptStore } from "../scripting/script_store.js";
import { arityAccepts, arityError, helpReply, integerArgument, text, upper } from "./arguments.js";
import { type CommandContext, type CommandSpec, isRedisWrite } from "./context.js";
import { dispatch, findCommand } from "./dispatcher.js";
import { readFailure, readOnlyReplica, writeFailure } from "./outcome_replies.js";
import { notePlaced, presetConcern, readConcernOf } from "./redis_access.js";
import { replicationRole } from "./replication_view.js";

const noScript = error("NOSCRIPT No matching script. Please use EVAL.");
/** Runs of one script before it gives up on keys that keep changing under it. */
const runsMax = 100;
/** Redis's busy-reply-threshold (lua-time-limit) default, past which onelog stops a script. */
const timeLimitMs = 5000;

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

interface Variant {
  readonly bySha: boolean;
  readonly readOnly: boolean;
}

async function evalCommand(
  args: readonly Buffer[],
  context: CommandContext,
  variant: Variant,
): Promise<Reply> {
  const count = integerArgument(args[2]);
  if (count === undefined) return error("ERR value is not an integer or out of range");
  if (count > args.length - 3)
    return error("ERR Number of keys can't be greater than number of args");
  if (count < 0) return error("ERR Number of keys can't be negative");
  const scripts = context.state.scripts;
  const named = args[1] as Buffer;
  let source: Buffer | undefined;
  if (variant.bySha) {
    source = named.length === 40 ? scripts.find(text(named)) : undefined;
    if (source === undefined) return noScript;
  } else {
    source = named;
    const failure = scripts.engine(context.server.version).compileError(source);
    if (failure !== undefined) return failure;
    scripts.add(source);
  }
  const keys = args.slice(3, 3 + count);
  const argv = args.slice(3 + count);
  return runScript(context, source, keys, argv, variant.readOnly);
}

async function runScript(
  context: CommandContext,
  source: Buffer,
  keys: readonly Buffer[],
  argv: readonly Buffer[],
  readOnly: boolean,
): Promise<Reply> {
  const engine = context.state.scripts.engine(context.server.version);
  for (let run = 1; run <= runsMax; run++) {
    const base = context.store.newestState?.();
    if (base === undefined)
      return error("ERR onelog: scripts run only on a node that holds the data");
    const state = new ScriptState(base, context.nowMs());
    const inside: CommandContext = {
      ...context,
      store: new ScriptStore(state, context.store),
      // Commands inside a script answer in RESP2 (redis.setresp(2), the default) and never wait.
      session: { ...context.session, protocol: 2, transaction: undefined },
      denyBlocking: true,
    };
    const { reply, stopped } = await engine.run(
      source,
      keys,
      argv,
      (callArgs: Buffer[]) => call(callArgs, inside, readOnly),
      timeLimitMs,
    );
    // A script the node stopped writes nothing (Redis would refuse to kill one that wrote).
    if (stopped) return reply;
    const settled = await settle(context, state);
    if (settled === "changed") continue;
    return settled ?? reply;
  }
  return error(
    `ERR onelog: the keys the script read kept changing under it; gave up after ${runsMax} runs`,
  );
}

/**
 * Puts the script's writes in the log as one record watching what it consulted (or checks a
 * script that wrote nothing by one read); answers a failure, `changed` when a watched key moved,
 * undefined when the script stands.
 */
async function settle(
  context: CommandContext,
  state: ScriptState,
): Promise<Reply | "changed" | undefined> {
  const watched = state.watched;
  if (state.steps.length > 0) {
    const outcome = await context.store.write(
      { kind: "exec", steps: state.steps, watched },
      presetConcern,
    );
    notePlaced(context, outcome);
    if (outcome.kind !== "ok") return writeFailure(outcome, true);
    return outcome.result.kind === "aborted" ? "changed" : undefined;
  }
  if (watched.length === 0) return undefined;
  const outcome = await context.store.read(
    { kind: "multi", queries: [], watched },
    readConcernOf(context),
  );
  if (outcome.kind !== "ok") return readFailure(outcome);
  return outcome.result.kind === "aborted" ? "changed" : undefined;
}

/** One redis.call: Redis's checks for a command called from a script (script.c scriptCall). */
function call(args: Buffer[], context: CommandContext, readOnly: boolean): Reply | Promise<Reply> {
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

const scriptHelp = [
  "EXISTS <sha1> [<sha1> ...]",
  "    Return information about the existence of the scripts in the script cache.",
  "FLUSH [ASYNC|SYNC]",
  "    Flush the Lua scripts cache.",
  "KILL",
  "    Kill the currently executing Lua script.",
  "LOAD <script>",
  "    Load a script into the scripts cache without executing it.",
];

/** SCRIPT LOAD | EXISTS | FLUSH | KILL | HELP (scriptCommand). */
function script(args: readonly Buffer[], context: CommandContext): Reply {
  const sub = upper(args[1] as Buffer);
  const scripts = context.state.scripts;
  switch (sub) {
    case "HELP":
      return helpReply(args, scriptHelp);
    case "LOAD": {
      if (args.length !== 3) return arityError("script|load");
      const source = args[2] as Buffer;
      const failure = scripts.engine(context.server.version).compileError(source);
      return failure ?? bulk(scripts.add(source));
    }
    case "EXISTS":
      if (args.length < 3) return arityError("script|exists");
      return array(
        args.slice(2).map((sha) => integer(scripts.find(text(sha)) === undefined ? 0 : 1)),
      );
    case "FLUSH": {
      if (args.length > 3) return arityError("script|flush");
      const mode = args[2] === undefined ? "SYNC" : upper(args[2]);
      if (mode !== "SYNC" && mode !== "ASYNC")
        return error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
      scripts.flush();
      return ok;
    }
    case "KILL":
      // A script never holds the node: others' commands run while it waits, and one that runs
      // past the time limit is stopped by the node itself.
      return error("NOTBUSY No scripts in execution right now.");
    default:
      return error(`ERR unknown subcommand '${text(args[1] as Buffer)}'. Try SCRIPT HELP.`);
  }
}

const evalSpec = (name: string, variant: Variant): CommandSpec => ({
  name,
  arity: -3,
  access: "exclusive",
  handler: (args, context) => evalCommand(args, context, variant),
});

export const scriptingCommands: CommandSpec[] = [
  evalSpec("eval", { bySha: false, readOnly: false }),
  evalSpec("evalsha", { bySha: true, readOnly: false }),
  evalSpec("eval_ro", { bySha: false, readOnly: true }),
  evalSpec("evalsha_ro", { bySha: true, readOnly: true }),
  { name: "script", arity: -2, hasSubcommands: true, handler: script },
];
