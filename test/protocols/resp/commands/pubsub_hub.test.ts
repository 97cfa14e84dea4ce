/**
 * The node's subscriptions (pubsub_hub.ts): who hears which message, what PUBLISH counts, and
 * what a connection leaves behind when it goes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { newSession, PubSubHub } from "../../../../src/protocols/resp/commands/index.js";
import { encodeReply, type Reply } from "../../../../src/protocols/resp/index.js";

function subscriber(id: number) {
  const received: string[] = [];
  const session = newSession(id, true);
  const push = (message: Reply) => received.push(encodeReply(message, 2).toString("latin1"));
  return { session, push, received };
}

const message = (channel: string, text: string) =>
  `*3\r\n$7\r\nmessage\r\n$${channel.length}\r\n${channel}\r\n$${text.length}\r\n${text}\r\n`;

test("a message reaches the channel's subscribers and each matching pattern's, counted per subscription", () => {
  const hub = new PubSubHub();
  const both = subscriber(1);
  const other = subscriber(2);
  hub.subscribe(both, "channel", "news");
  hub.subscribe(both, "pattern", "n*");
  hub.subscribe(other, "channel", "sport");
  assert.equal(hub.publish("news", "hi"), 2);
  assert.deepEqual(both.received, [
    message("news", "hi"),
    "*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n",
  ]);
  assert.deepEqual(other.received, []);
  assert.equal(hub.publish("weather", "rain"), 0);
});

test("subscribing twice is one subscription; the session lists what it holds", () => {
  const hub = new PubSubHub();
  const one = subscriber(1);
  assert.equal(hub.subscribe(one, "channel", "a"), true);
  assert.equal(hub.subscribe(one, "channel", "a"), false);
  assert.equal(hub.publish("a", "x"), 1);
  assert.deepEqual([...one.session.channels], ["a"]);
  assert.equal(hub.unsubscribe(one, "channel", "a"), true);
  assert.equal(hub.unsubscribe(one, "channel", "a"), false);
  assert.equal(hub.publish("a", "y"), 0);
  assert.deepEqual(one.received, [message("a", "x")]);
});

test("PUBSUB's counts follow subscriptions and forget a connection that went", () => {
  const hub = new PubSubHub();
  const one = subscriber(1);
  const two = subscriber(2);
  hub.subscribe(one, "channel", "a");
  hub.subscribe(two, "channel", "a");
  hub.subscribe(two, "channel", "b");
  hub.subscribe(one, "pattern", "p*");
  hub.subscribe(two, "pattern", "p*");
  assert.equal(hub.subscriberCount("a"), 2);
  assert.deepEqual(hub.activeChannels(undefined).sort(), ["a", "b"]);
  assert.deepEqual(hub.activeChannels("b*"), ["b"]);
  assert.equal(hub.patternCount, 1, "patterns are counted once, whoever holds them");
  hub.forget(two);
  assert.equal(hub.subscriberCount("a"), 1);
  assert.deepEqual(hub.activeChannels(undefined), ["a"]);
  assert.equal(hub.channelCount, 1);
  assert.equal(hub.patternCount, 1);
  assert.deepEqual([...two.session.channels, ...two.session.patterns], []);
  hub.forget(one);
  assert.equal(hub.channelCount + hub.patternCount, 0);
  assert.equal(hub.publish("a", "z"), 0);
});

test("shard channels are a namespace of their own, which no pattern matches", () => {
  const hub = new PubSubHub();
  const one = subscriber(1);
  const two = subscriber(2);
  hub.subscribe(one, "shard", "news");
  hub.subscribe(two, "channel", "news");
  hub.subscribe(two, "pattern", "*");
  assert.equal(hub.publish("news", "s", true), 1);
  assert.deepEqual(one.received, ["*3\r\n$8\r\nsmessage\r\n$4\r\nnews\r\n$1\r\ns\r\n"]);
  assert.equal(hub.publish("news", "p"), 2, "PUBLISH reaches the channel and the pattern only");
  assert.equal(one.received.length, 1);
  assert.deepEqual(hub.activeChannels(undefined, true), ["news"]);
  assert.equal(hub.subscriberCount("news", true), 1);
  hub.forget(one);
  assert.equal(hub.shardChannelCount, 0);
});

test("channel and message bytes pass through unchanged", () => {
  const hub = new PubSubHub();
  const one = subscriber(1);
  hub.subscribe(one, "channel", "\xff\x00");
  assert.equal(hub.publish("\xff\x00", "\r\n\x80"), 1);
  assert.deepEqual(one.received, [message("\xff\x00", "\r\n\x80")]);
});
