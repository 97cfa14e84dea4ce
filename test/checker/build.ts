/**
 * A compact way to write histories in tests: one tuple per event,
 * `[process, type, f, value]` or `[process, type, f, value, key]`, in history order.
 */
import assert from "node:assert/strict";
import {
  type History,
  type HistoryEvent,
  pairEvents,
  type Value,
} from "../../src/checker/index.js";

export type EventTuple = [number | string, HistoryEvent["type"], string, Value, string?];

export function events(tuples: readonly EventTuple[]): HistoryEvent[] {
  return tuples.map(([process, type, f, value, key], index) => {
    const event: HistoryEvent = { process, type, f, value, line: index + 1, timeMs: index };
    if (key !== undefined) event.key = key;
    return event;
  });
}

export function history(tuples: readonly EventTuple[]): History {
  return paired(events(tuples));
}

/** `events` paired into a history; they must pair. */
export function paired(events: readonly HistoryEvent[]): History {
  const result = pairEvents(events);
  assert.equal(result.kind, "ok", result.kind === "error" ? result.error.message : "");
  return (result as { kind: "ok"; value: History }).value;
}
