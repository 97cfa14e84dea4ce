/**
 * A node's pub/sub subscriptions (redis/src/pubsub.c): who listens to which channel, pattern and
 * shard channel, and the delivery of a message to them. The node's state machine calls `publish`
 * as it applies each PUBLISH or SPUBLISH record, so every replica delivers what the shard's log
 * carries to its own subscribers, as a Redis replica delivers what its master propagates
 * (decision 0018). Shard channels (SSUBSCRIBE, SPUBLISH) are a namespace of their own, as in a
 * standalone Redis 7: no pattern matches them.
 */
import { push, type Reply } from "../reply.js";
import { bytes } from "./arguments.js";
import type { Session, Subscriber } from "./context.js";
import { globMatch } from "./glob.js";

export type SubscriptionKind = "channel" | "pattern" | "shard";

const messageKind = bytes("message");
const patternMessageKind = bytes("pmessage");
const shardMessageKind = bytes("smessage");

/** The names a session holds of `kind`. */
export function held(session: Session, kind: SubscriptionKind): Set<string> {
  if (kind === "channel") return session.channels;
  return kind === "pattern" ? session.patterns : session.shardChannels;
}

export class PubSubHub {
  private readonly indexes: Record<SubscriptionKind, Map<string, Set<Subscriber>>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };

  /** Adds `subscriber` to `name`; false when it was subscribed already. */
  subscribe(subscriber: Subscriber, kind: SubscriptionKind, name: string): boolean {
    const own = held(subscriber.session, kind);
    if (own.has(name)) return false;
    own.add(name);
    const index = this.indexes[kind];
    const listeners = index.get(name);
    if (listeners === undefined) index.set(name, new Set([subscriber]));
    else listeners.add(subscriber);
    return true;
  }

  /** Removes `subscriber` from `name`; false when it was not subscribed. */
  unsubscribe(subscriber: Subscriber, kind: SubscriptionKind, name: string): boolean {
    if (!held(subscriber.session, kind).delete(name)) return false;
    const index = this.indexes[kind];
    const listeners = index.get(name);
    listeners?.delete(subscriber);
    if (listeners?.size === 0) index.delete(name);
    return true;
  }

  /** Drops every subscription of a connection that closed or was RESET. */
  forget(subscriber: Subscriber): void {
    for (const kind of ["channel", "pattern", "shard"] as const) {
      for (const name of [...held(subscriber.session, kind)]) {
        this.unsubscribe(subscriber, kind, name);
      }
    }
  }

  /**
   * Delivers `message` (latin1, as the store holds it) to the channel's subscribers, then to each
   * matching pattern's (a shard channel's only to its own); answers the deliveries, counting a
   * connection once per subscription that matched, as Redis's PUBLISH does.
   */
  publish(channel: string, message: string, shard = false): number {
    const listeners = this.indexes[shard ? "shard" : "channel"].get(channel);
    // Every replica applies every PUBLISH record; most nodes have no one to hand it to.
    if (listeners === undefined && (shard || this.indexes.pattern.size === 0)) return 0;
    const channelBytes = bytes(channel);
    const messageBytes = bytes(message);
    const kind = shard ? shardMessageKind : messageKind;
    let deliveries = deliver(listeners, () =>
      push([bulkOf(kind), bulkOf(channelBytes), bulkOf(messageBytes)]),
    );
    if (shard) return deliveries;
    for (const [pattern, listeners] of this.indexes.pattern) {
      if (!globMatch(pattern, channel)) continue;
      deliveries += deliver(listeners, () =>
        push([
          bulkOf(patternMessageKind),
          bulkOf(bytes(pattern)),
          bulkOf(channelBytes),
          bulkOf(messageBytes),
        ]),
      );
    }
    return deliveries;
  }

  /** PUBSUB CHANNELS, SHARDCHANNELS: the channels with a subscriber, matching `pattern`. */
  activeChannels(pattern: string | undefined, shard = false): string[] {
    const names = [...this.indexes[shard ? "shard" : "channel"].keys()];
    return pattern === undefined ? names : names.filter((name) => globMatch(pattern, name));
  }

  /** PUBSUB NUMSUB, SHARDNUMSUB: the subscribers of one channel, patterns not counted. */
  subscriberCount(channel: string, shard = false): number {
    return this.indexes[shard ? "shard" : "channel"].get(channel)?.size ?? 0;
  }

  /** PUBSUB NUMPAT, INFO `pubsub_patterns`: the patterns with a subscriber. */
  get patternCount(): number {
    return this.indexes.pattern.size;
  }

  /** INFO `pubsub_channels`: the channels with a subscriber. */
  get channelCount(): number {
    return this.indexes.channel.size;
  }

  /** INFO `pubsubshard_channels`: the shard channels with a subscriber. */
  get shardChannelCount(): number {
    return this.indexes.shard.size;
  }
}

const bulkOf = (value: Buffer): Reply => ({ kind: "bulk", value });

/** Pushes one frame, built once, to each listener; answers how many there were. */
function deliver(listeners: Set<Subscriber> | undefined, frame: () => Reply): number {
  if (listeners === undefined || listeners.size === 0) return 0;
  const built = frame();
  for (const subscriber of listeners) subscriber.push(built);
  return listeners.size;
}
