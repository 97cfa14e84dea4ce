/**
 * A node's pub/sub subscriptions (redis/src/pubsub.c): who listens to which channel and which
 * pattern, and the delivery of a message to them. The node's state machine calls `publish` as it
 * applies each PUBLISH record, so every replica delivers what the shard's log carries to its own
 * subscribers, as a Redis replica delivers what its master propagates (decision 0018).
 */
import { push, type Reply } from "../reply.js";
import { bytes } from "./arguments.js";
import type { Subscriber } from "./context.js";
import { globMatch } from "./glob.js";

const messageKind = bytes("message");
const patternMessageKind = bytes("pmessage");

export class PubSubHub {
  private readonly channels = new Map<string, Set<Subscriber>>();
  private readonly patterns = new Map<string, Set<Subscriber>>();

  /** Adds `subscriber` to `channel`; false when it was subscribed already. */
  subscribe(subscriber: Subscriber, channel: string): boolean {
    return add(this.channels, channel, subscriber, subscriber.session.channels);
  }

  /** Removes `subscriber` from `channel`; false when it was not subscribed. */
  unsubscribe(subscriber: Subscriber, channel: string): boolean {
    return remove(this.channels, channel, subscriber, subscriber.session.channels);
  }

  psubscribe(subscriber: Subscriber, pattern: string): boolean {
    return add(this.patterns, pattern, subscriber, subscriber.session.patterns);
  }

  punsubscribe(subscriber: Subscriber, pattern: string): boolean {
    return remove(this.patterns, pattern, subscriber, subscriber.session.patterns);
  }

  /** Drops every subscription of a connection that closed or was RESET. */
  forget(subscriber: Subscriber): void {
    for (const channel of [...subscriber.session.channels]) this.unsubscribe(subscriber, channel);
    for (const pattern of [...subscriber.session.patterns]) this.punsubscribe(subscriber, pattern);
  }

  /**
   * Delivers `message` (latin1, as the store holds it) to the channel's subscribers, then to each
   * matching pattern's; answers the deliveries, counting a connection once per subscription that
   * matched, as Redis's PUBLISH does.
   */
  publish(channel: string, message: string): number {
    let deliveries = 0;
    const channelBytes = bytes(channel);
    const messageBytes = bytes(message);
    const subscribers = this.channels.get(channel);
    if (subscribers !== undefined) {
      const frame = push([bulkOf(messageKind), bulkOf(channelBytes), bulkOf(messageBytes)]);
      for (const subscriber of subscribers) subscriber.push(frame);
      deliveries += subscribers.size;
    }
    for (const [pattern, listeners] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      const frame = push([
        bulkOf(patternMessageKind),
        bulkOf(bytes(pattern)),
        bulkOf(channelBytes),
        bulkOf(messageBytes),
      ]);
      for (const subscriber of listeners) subscriber.push(frame);
      deliveries += listeners.size;
    }
    return deliveries;
  }

  /** PUBSUB CHANNELS: the channels with a subscriber, matching `pattern` when given. */
  activeChannels(pattern: string | undefined): string[] {
    const names = [...this.channels.keys()];
    return pattern === undefined ? names : names.filter((name) => globMatch(pattern, name));
  }

  /** PUBSUB NUMSUB: the subscribers of one channel, pattern subscriptions not counted. */
  subscriberCount(channel: string): number {
    return this.channels.get(channel)?.size ?? 0;
  }

  /** PUBSUB NUMPAT, INFO `pubsub_patterns`: the patterns with a subscriber. */
  get patternCount(): number {
    return this.patterns.size;
  }

  /** INFO `pubsub_channels`: the channels with a subscriber. */
  get channelCount(): number {
    return this.channels.size;
  }
}

const bulkOf = (value: Buffer): Reply => ({ kind: "bulk", value });

function add(
  index: Map<string, Set<Subscriber>>,
  name: string,
  subscriber: Subscriber,
  own: Set<string>,
): boolean {
  if (own.has(name)) return false;
  own.add(name);
  const listeners = index.get(name);
  if (listeners === undefined) index.set(name, new Set([subscriber]));
  else listeners.add(subscriber);
  return true;
}

function remove(
  index: Map<string, Set<Subscriber>>,
  name: string,
  subscriber: Subscriber,
  own: Set<string>,
): boolean {
  if (!own.delete(name)) return false;
  const listeners = index.get(name);
  listeners?.delete(subscriber);
  if (listeners?.size === 0) index.delete(name);
  return true;
}
