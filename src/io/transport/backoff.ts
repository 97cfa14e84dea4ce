/**
 * Reconnect delays: a step doubling from `delayMsMin` to `delayMsMax`, each delay drawn uniformly
 * from the upper half of its step ("equal jitter", as in AWS's backoff note) so that nodes that
 * lost a peer together do not retry in lockstep. Every delay lies in [delayMsMin, delayMsMax].
 */
import { assert } from "../../util/assert.js";

export interface BackoffLimits {
  readonly delayMsMin: number;
  readonly delayMsMax: number;
}

export function reconnectDelayMs(
  limits: BackoffLimits,
  failures: number,
  random: () => number,
): number {
  assert(
    limits.delayMsMin > 0 && limits.delayMsMin <= limits.delayMsMax,
    () => `backoff limits ${limits.delayMsMin}..${limits.delayMsMax}`,
  );
  const stepMs = Math.min(limits.delayMsMax, limits.delayMsMin * 2 ** Math.min(failures, 30));
  return Math.max(limits.delayMsMin, stepMs / 2 + (random() * stepMs) / 2);
}
