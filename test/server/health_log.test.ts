/**
 * The node's health log: a role, epoch or leader change of a shard is logged once, when seen,
 * and a timer late by the stall threshold is logged as a blocked event loop with its length.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import pino from "pino";
import type { ShardView } from "../../src/api/index.js";
import { HealthLog } from "../../src/server/health_log.js";

function recorder() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const view = (role: ShardView["role"], epoch: number, leader: number | undefined) =>
  ({ shard: 0, role, epoch, leader, leo: 10, commit: 9 }) as unknown as ShardView;

test("a shard's role change is logged once, not its first sight", () => {
  const { logger, lines } = recorder();
  let shards = [view("follower", 1, 2)];
  let nowMs = 0;
  const health = new HealthLog(
    () => shards,
    logger,
    { intervalMs: 100, stallWarnMs: 250 },
    () => nowMs,
  );
  health.check();
  nowMs += 100;
  health.check();
  assert.equal(lines.length, 0);
  shards = [view("leader", 2, 1)];
  nowMs += 100;
  health.check();
  nowMs += 100;
  health.check();
  assert.equal(lines.length, 1);
  assert.deepEqual(
    {
      msg: lines[0]?.["msg"],
      role: lines[0]?.["role"],
      epoch: lines[0]?.["epoch"],
      leader: lines[0]?.["leader"],
    },
    { msg: "role changed", role: "leader", epoch: 2, leader: 1 },
  );
});

test("a timer late by the threshold is a blocked event loop", () => {
  const { logger, lines } = recorder();
  let nowMs = 0;
  const health = new HealthLog(
    () => [],
    logger,
    { intervalMs: 100, stallWarnMs: 250 },
    () => nowMs,
  );
  health.check();
  nowMs += 300; // 200 ms late: below the threshold
  health.check();
  assert.equal(lines.length, 0);
  nowMs += 100 + 1200;
  health.check();
  assert.equal(lines.length, 1);
  assert.equal(lines[0]?.["msg"], "event loop was blocked");
  assert.equal(lines[0]?.["blockedMs"], 1200);
});
