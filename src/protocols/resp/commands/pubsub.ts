/**
 * Pub/sub (redis/src/pubsub.c): SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, their
 * shard-channel kin SSUBSCRIBE, SUNSUBSCRIBE and SPUBLISH, and PUBSUB. On the leader PUBLISH (and
 * SPUBLISH) is a record in the shard's log, so every replica delivers the message to its own
 * subscribers as it applies it, and a subscriber on a follower hears what was published on the
 * leader, as on a Redis replica; PUBLISH on a follower reaches that node's subscribers only, as
 * on a Redis replica (decision 0018). Confirmations and messages are push
 * frames in RESP3 and arrays in RESP2, where a subscribed connection may only run the commands
 * `allowedWhileSubscribed` names.
 */
import type { Reply } from "../reply.js";
import { array, bulk, error, integer, push, sequence } from "../reply.js";
import { helpReply, text, upper } from "./arguments.js";
import type { CommandContext, CommandSpec, Session } from "./context.js";
import { writeFailure } from "./outcome_replies.js";
import { held, type SubscriptionKind } from "./pubsub_hub.js";
import { notePlaced, presetConcern } from "./redis_access.js";
import { replicationRole } from "./replication_view.js";
import { countReply } from "./values.js";

/** What a RESP2 connection with subscriptions may run (server.c processCommand). */
export const allowedWhileSubscribed: ReadonlySet<string> = new Set([
  "subscribe",
  "ssubscribe",
  "unsubscribe",
  "sunsubscribe",
  "psubscribe",
  "punsubscribe",
  "ping",
  "quit",
  "reset",
]);

export const subscribedContextError = (fullName: string): Reply =>
  error(
    `ERR Can't execute '${fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
  );

/** What each kind's commands and confirmations are called. */
const words: Record<SubscriptionKind, { on: string; off: string }> = {
  channel: { on: "subscribe", off: "unsubscribe" },
  pattern: { on: "psubscribe", off: "punsubscribe" },
  shard: { on: "ssubscribe", off: "sunsubscribe" },
};

/**
 * `[word, name, count]`: one confirmation, a null name when there was none to drop. The count is
 * of channels and patterns together, or of shard channels alone, as Redis counts them.
 */
function confirmation(
  kind: SubscriptionKind,
  word: string,
  name: string | null,
  session: Session,
): Reply {
  const count =
    kind === "shard" ? session.shardChannels.size : session.channels.size + session.patterns.size;
  return push([bulk(word), bulk(name), integer(count)]);
}

function subscribeTo(kind: SubscriptionKind) {
  return (args: readonly Buffer[], context: CommandContext): Reply => {
    const { subscriber, state } = context;
    const replies = args.slice(1).map((argument) => {
      const name = text(argument);
      state.pubsub.subscribe(subscriber, kind, name);
      return confirmation(kind, words[kind].on, name, subscriber.session);
    });
    return sequence(replies);
  };
}

/** Without names: every subscription of the kind, or one confirmation with a null name. */
function unsubscribeFrom(kind: SubscriptionKind) {
  return (args: readonly Buffer[], context: CommandContext): Reply => {
    const { subscriber, state } = context;
    const { session } = subscriber;
    const word = words[kind].off;
    const names = args.length > 1 ? args.slice(1).map(text) : [...held(session, kind)];
    if (names.length === 0) return sequence([confirmation(kind, word, null, session)]);
    return sequence(
      names.map((name) => {
        state.pubsub.unsubscribe(subscriber, kind, name);
        return confirmation(kind, word, name, session);
      }),
    );
  };
}

/**
 * PUBLISH / SPUBLISH channel message: the deliveries on this node. Not a write to Redis (no
 * NOREPLICAS, and a replica takes it), so a follower delivers locally rather than refusing.
 */
function publish(shard: boolean) {
  return (args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> => {
    const channel = text(args[1] as Buffer);
    const message = text(args[2] as Buffer);
    if (replicationRole(context) !== "master") {
      return integer(context.state.pubsub.publish(channel, message, shard));
    }
    const command = { kind: "publish", channel, message, ...(shard ? { shard } : {}) } as const;
    return context.store.write(command, presetConcern).then((outcome) => {
      notePlaced(context, outcome);
      return outcome.kind === "ok" ? countReply(outcome.result) : writeFailure(outcome, true);
    });
  };
}

const pubsubHelp = [
  "CHANNELS [<pattern>]",
  "    Return the currently active channels matching a <pattern> (default: '*').",
  "NUMPAT",
  "    Return number of subscriptions to patterns.",
  "NUMSUB [<channel> ...]",
  "    Return the number of subscribers for the specified channels, excluding",
  "    pattern subscriptions(default: no channels).",
  "SHARDCHANNELS [<pattern>]",
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Return the number of subscribers for the specified shard level channel(s)",
];

/** PUBSUB CHANNELS | NUMSUB | NUMPAT | SHARDCHANNELS | SHARDNUMSUB | HELP (pubsubCommand). */
function pubsub(args: readonly Buffer[], context: CommandContext): Reply {
  const { pubsub: hub } = context.state;
  const sub = upper(args[1] as Buffer);
  const names = args.slice(2).map(text);
  switch (sub) {
    case "CHANNELS":
    case "SHARDCHANNELS": {
      if (names.length > 1) return subcommandSyntaxError(args);
      const active = hub.activeChannels(names[0], sub === "SHARDCHANNELS");
      return array(active.map((name) => bulk(name)));
    }
    case "NUMSUB":
    case "SHARDNUMSUB": {
      const shard = sub === "SHARDNUMSUB";
      return array(
        names.flatMap((name) => [bulk(name), integer(hub.subscriberCount(name, shard))]),
      );
    }
    case "NUMPAT":
      if (names.length > 0)
        return error("ERR wrong number of arguments for 'pubsub|numpat' command");
      return integer(hub.patternCount);
    case "HELP":
      return helpReply(args, pubsubHelp);
    default:
      return error(`ERR unknown subcommand '${text(args[1] as Buffer)}'. Try PUBSUB HELP.`);
  }
}

const subcommandSyntaxError = (args: readonly Buffer[]): Reply =>
  error(
    `ERR unknown subcommand or wrong number of arguments for '${text(args[1] as Buffer)}'. Try PUBSUB HELP.`,
  );

export const pubsubCommands: CommandSpec[] = [
  { name: "subscribe", arity: -2, handler: subscribeTo("channel") },
  { name: "unsubscribe", arity: -1, handler: unsubscribeFrom("channel") },
  { name: "psubscribe", arity: -2, handler: subscribeTo("pattern") },
  { name: "punsubscribe", arity: -1, handler: unsubscribeFrom("pattern") },
  { name: "ssubscribe", arity: -2, handler: subscribeTo("shard") },
  { name: "sunsubscribe", arity: -1, handler: unsubscribeFrom("shard") },
  // A record in the log, ordered with the pipeline's writes; not a write to Redis.
  { name: "publish", arity: 3, access: "write", replicaRuns: true, handler: publish(false) },
  { name: "spublish", arity: 3, access: "write", replicaRuns: true, handler: publish(true) },
  { name: "pubsub", arity: -2, hasSubcommands: true, handler: pubsub },
];
