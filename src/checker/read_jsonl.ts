/**
 * onelog's JSON Lines history: one JSON object per line, one line per event. The fields are
 * documented in docs/history-format.md; this reader checks each one and names the line and the
 * field when something is off.
 */
import type { EventType, HistoryEvent, ProcessId, ReadResult } from "./history.js";
import { isValue } from "./values.js";

const eventTypes: readonly string[] = ["invoke", "ok", "fail", "info"];

type FieldResult<T> = { kind: "ok"; value: T } | { kind: "error"; message: string };

export function readJsonLines(text: string): ReadResult<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const source = lines[index]!.trim();
    if (source === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(source);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return fail(line, `expected one JSON object per line: ${reason}`);
    }
    const event = toEvent(parsed, line);
    if (event.kind === "error") return fail(line, event.message);
    events.push(event.value);
  }
  return { kind: "ok", value: events };
}

function fail<T>(line: number, message: string): ReadResult<T> {
  return { kind: "error", error: { line, message } };
}

function toEvent(parsed: unknown, line: number): FieldResult<HistoryEvent> {
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return { kind: "error", message: "expected a JSON object" };
  }
  const record = parsed as Record<string, unknown>;
  const process = record["process"];
  if (!(Number.isInteger(process) || process === "nemesis")) {
    return { kind: "error", message: `expected "process" to be an integer or "nemesis"` };
  }
  const type = record["type"];
  if (typeof type !== "string" || !eventTypes.includes(type)) {
    return { kind: "error", message: `expected "type" to be one of invoke, ok, fail, info` };
  }
  const f = record["f"];
  if (typeof f !== "string" || f === "") {
    return { kind: "error", message: `expected "f" to be a non-empty string` };
  }
  const value = record["value"];
  if (value !== undefined && !isValue(value)) {
    return { kind: "error", message: `expected "value" to be a JSON value` };
  }
  const event: HistoryEvent = {
    process: process as ProcessId,
    type: type as EventType,
    f,
    value: value ?? null,
    line,
  };
  for (const [name, field, expected, valid] of optionalFields) {
    const fieldValue = record[name];
    if (fieldValue === undefined) continue;
    if (!valid(fieldValue))
      return { kind: "error", message: `expected "${name}" to be ${expected}` };
    (event as unknown as Record<string, unknown>)[field] = fieldValue;
  }
  return { kind: "ok", value: event };
}

const isOffset = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;

/** The optional fields: JSON name, event field, what is expected, and the check. */
const optionalFields: ReadonlyArray<
  [string, keyof HistoryEvent, string, (value: unknown) => boolean]
> = [
  ["key", "key", "a string", (value) => typeof value === "string"],
  ["time", "timeMs", "a number of milliseconds", Number.isFinite],
  ["offset", "offset", "a non-negative integer", isOffset],
  [
    "version",
    "version",
    "a non-negative integer or null",
    (value) => value === null || isOffset(value),
  ],
  ["node", "node", "an integer", Number.isInteger],
  ["session", "session", "a string", (value) => typeof value === "string"],
  ["epoch", "epoch", "an integer", Number.isInteger],
  ["final", "final", "a boolean", (value) => typeof value === "boolean"],
  ["concern", "concern", `an object like {"write": "majority", "read": "local"}`, isConcern],
];

function isConcern(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([name, level]) => (name === "write" || name === "read") && typeof level === "string",
  );
}
