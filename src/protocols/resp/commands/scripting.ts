/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (redis/src/eval.c, script.c;
 * https://redis.io/docs/latest/develop/interact/programmability/eval-intro/), on onelog's log
 * (decision 0020; script_batches.ts runs them): a script runs on this node against its newest
 * state, each redis.call answered at once; its writes go into the log as one record that watches
 * every key it consulted, so the script is atomic as in Redis: no other write lands between its
 * reads and its writes on any replica. As in Redis, a script that fails keeps the writes it made
 * before the failure.
 */
import type { Reply } from "../reply.js";
import { array, bulk, error, integer, ok } from "../reply.js";
import { arityError, helpReply, integerArgument, text, upper } from "./arguments.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { runScript } from "./script_batches.js";

const noScript = error("NOSCRIPT No matching script. Please use EVAL.");
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
  const script = variant.bySha
    ? named.length === 40
      ? scripts.take(text(named))
      : undefined
    : scripts.load(named, context.server.version, "eval");
  if (script === undefined) return noScript;
  if ("kind" in script) return script;
  const keys = args.slice(3, 3 + count);
  const argv = args.slice(3 + count);
  return runScript({ context, script, keys, argv, readOnly: variant.readOnly });
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
      const script = scripts.load(args[2] as Buffer, context.server.version, "load");
      return "kind" in script ? script : bulk(script.sha);
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
      // Others' commands run while a script runs, SCRIPT KILL among them; a script has written
      // nothing before it ends, so Redis's UNKILLABLE never applies (decision 0020).
      if (args.length !== 2) return arityError("script|kill");
      return scripts.engine(context.server.version).kill()
        ? ok
        : error("NOTBUSY No scripts in execution right now.");
    default:
      return error(`ERR unknown subcommand '${text(args[1] as Buffer)}'. Try SCRIPT HELP.`);
  }
}

const evalSpec = (name: string, variant: Variant): CommandSpec => ({
  name,
  arity: -3,
  access: "script",
  // A script needs each command's answer as it runs; EXEC's steps have theirs only at the end.
  inTransaction: "refused",
  handler: (args, context) => evalCommand(args, context, variant),
});

export const scriptingCommands: CommandSpec[] = [
  evalSpec("eval", { bySha: false, readOnly: false }),
  evalSpec("evalsha", { bySha: true, readOnly: false }),
  evalSpec("eval_ro", { bySha: false, readOnly: true }),
  evalSpec("evalsha_ro", { bySha: true, readOnly: true }),
  { name: "script", arity: -2, hasSubcommands: true, handler: script },
];
