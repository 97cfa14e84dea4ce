/**
 * The node's Prometheus metrics as a scrape sees them: request tallies by outcome, latency
 * histograms, and the gauges and totals read from their owners at scrape time.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeId, offset, shardId } from "../../src/core/types.js";
import { NodeMetrics } from "../../src/server/metrics.js";

function metricsWith(fsyncCount: number) {
  return new NodeMetrics({
    shards: () => [
      {
        shard: shardId(0),
        role: "leader",
        epoch: 3,
        leader: nodeId(1),
        leaderAddress: "127.0.0.1:7379",
        leo: offset(42),
        commit: offset(40),
        durableOffset: offset(41),
        members: [nodeId(1)],
        replicas: [],
      },
    ],
    fsyncCount: () => fsyncCount,
    peers: () => ({ sent: 7, received: 5, dropped: 1, faultDropped: 0 }),
  });
}

test("a scrape shows requests by outcome, their latencies, and the shard's positions", async () => {
  const metrics = metricsWith(9);
  metrics.recordWrite("ok", 0.001);
  metrics.recordWrite("ok", 0.003);
  metrics.recordWrite("rejected", 0.0001);
  metrics.recordRead("ok", 0.0002);
  const text = await metrics.registry.metrics();
  assert.match(text, /^onelog_writes_total\{outcome="ok"\} 2$/m);
  assert.match(text, /^onelog_writes_total\{outcome="rejected"\} 1$/m);
  assert.match(text, /^onelog_reads_total\{outcome="ok"\} 1$/m);
  assert.match(text, /^onelog_write_duration_seconds_count\{outcome="ok"\} 2$/m);
  assert.match(text, /^onelog_write_duration_seconds_bucket\{le="0\.002",outcome="ok"\} 1$/m);
  assert.match(text, /^onelog_leo\{shard="0"\} 42$/m);
  assert.match(text, /^onelog_commit_offset\{shard="0"\} 40$/m);
  assert.match(text, /^onelog_fsync_total 9$/m);
  assert.match(text, /^onelog_peer_messages_sent_total 7$/m);
});

test("counts keep growing across scrapes", async () => {
  const metrics = metricsWith(0);
  metrics.recordWrite("ok", 0.001);
  await metrics.registry.metrics();
  metrics.recordWrite("ok", 0.001);
  assert.match(await metrics.registry.metrics(), /^onelog_writes_total\{outcome="ok"\} 2$/m);
});
