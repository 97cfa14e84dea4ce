/**
 * Jepsen's EDN histories: one map per line (`{:process 0, :type :invoke, :f :read, :value nil}`)
 * or one vector of maps, possibly spread over many lines. Parsing is edn-data's streaming
 * parser, fed line by line so that each operation keeps the line it started on. Jepsen's `:time`
 * is in nanoseconds (jepsen.util/relative-time-nanos); it becomes milliseconds here.
 */
// The streaming parser is not re-exported from the package root; its module is public in dist/.
import { EDNListParser } from "edn-data/dist/parse.js";
import type { EventType, HistoryEvent, ProcessId, ReadResult } from "./history.js";
import { type Value, valueKey } from "./values.js";

const eventTypes: readonly string[] = ["invoke", "ok", "fail", "info"];
const nanosecondsPerMillisecond = 1_000_000;
const example = "{:process 0, :type :invoke, :f :read, :value nil}";

/** An EDN map as edn-data returns it with `mapAs: "doubleArray"`. */
type EdnMap = { map: Array<[unknown, unknown]> };

export function readEdn(text: string): ReadResult<HistoryEvent[]> {
  const parser = new EDNListParser({
    mapAs: "doubleArray",
    keywordAs: "object",
    symbolAs: "object",
    charAs: "string",
    listAs: "array",
    setAs: "array",
  });
  parser.next("(");
  const lines = unwrapOuterVector(text).split("\n");
  const events: HistoryEvent[] = [];
  let startLine = 1;
  for (let index = 0; index <= lines.length; index++) {
    const atEnd = index === lines.length;
    const source = atEnd ? ")" : `${lines[index]!}\n`;
    if (!atEnd && parser.stack.length === 0 && source.trim() !== "") startLine = index + 1;
    let values: unknown[];
    try {
      values = parser.next(source);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return fail(Math.min(index + 1, lines.length), `expected EDN: ${reason}`);
    }
    for (const parsed of values) {
      const event = toEvent(parsed, startLine);
      if (event.kind === "error") return event;
      events.push(event.value);
    }
  }
  if (!parser.isDone() || parser.stack.length !== 0) {
    return fail(
      startLine,
      `expected the EDN form starting here to be closed before the end of the input`,
    );
  }
  return { kind: "ok", value: events };
}

/** Replaces the brackets of a top-level `[...]` with spaces, so its maps become top-level forms. */
function unwrapOuterVector(text: string): string {
  const first = text.search(/\S/);
  if (first < 0 || text[first] !== "[") return text;
  const last = text.trimEnd().length - 1;
  if (text[last] !== "]") return text;
  return `${text.slice(0, first)} ${text.slice(first + 1, last)} ${text.slice(last + 1)}`;
}

function fail<T>(line: number, message: string): ReadResult<T> {
  return { kind: "error", error: { line, message } };
}

const isEdnMap = (value: unknown): value is EdnMap =>
  value !== null && typeof value === "object" && Array.isArray((value as EdnMap).map);

function toEvent(parsed: unknown, line: number): ReadResult<HistoryEvent> {
  if (!isEdnMap(parsed)) return fail(line, `expected a map like ${example}`);
  const fields = new Map<string, Value>();
  for (const [key, value] of parsed.map) fields.set(keyName(toValue(key)), toValue(value));
  const process = fields.get("process");
  if (!(Number.isInteger(process) || process === "nemesis")) {
    return fail(line, "expected :process to be an integer or :nemesis");
  }
  const type = fields.get("type");
  if (typeof type !== "string" || !eventTypes.includes(type)) {
    return fail(line, "expected :type to be one of :invoke, :ok, :fail, :info");
  }
  const f = fields.get("f");
  if (typeof f !== "string" && typeof f !== "number") {
    return fail(line, "expected :f to be a keyword such as :read");
  }
  const event: HistoryEvent = {
    process: process as ProcessId,
    type: type as EventType,
    f: String(f),
    value: fields.get("value") ?? null,
    line,
  };
  const time = fields.get("time");
  if (time !== undefined) {
    if (typeof time !== "number") return fail(line, "expected :time to be a number of nanoseconds");
    event.timeMs = time / nanosecondsPerMillisecond;
  }
  const key = fields.get("key");
  if (key !== undefined && key !== null) event.key = typeof key === "string" ? key : valueKey(key);
  return { kind: "ok", value: event };
}

function keyName(key: Value): string {
  return typeof key === "string" ? key : valueKey(key);
}

/**
 * Parses one EDN value written inline (`nil`, `3`, `[1 4]`, `:timed-out`); undefined when the
 * text is not exactly one complete EDN value.
 */
export function parseEdnValue(text: string): Value | undefined {
  const parser = new EDNListParser({ mapAs: "doubleArray", listAs: "array", setAs: "array" });
  let values: unknown[];
  try {
    values = parser.next(`(${text})`);
  } catch {
    return undefined;
  }
  if (!parser.isDone() || values.length !== 1) return undefined;
  return toValue(values[0]);
}

/** edn-data's rich values to plain values: keywords, symbols and characters become strings. */
function toValue(edn: unknown): Value {
  if (edn === null || typeof edn === "boolean" || typeof edn === "string") return edn;
  if (typeof edn === "number") return Number.isFinite(edn) ? edn : String(edn);
  if (typeof edn === "bigint") return Number.isSafeInteger(Number(edn)) ? Number(edn) : String(edn);
  if (edn instanceof Date) return edn.toISOString();
  if (Array.isArray(edn)) return edn.map(toValue);
  if (typeof edn === "object") {
    const record = edn as Record<string, unknown>;
    if (typeof record["key"] === "string") return record["key"];
    if (typeof record["sym"] === "string") return record["sym"];
    if (isEdnMap(edn)) {
      const object: { [key: string]: Value } = {};
      for (const [key, value] of edn.map) object[keyName(toValue(key))] = toValue(value);
      return object;
    }
    if ("tag" in record) return toValue(record["val"]);
  }
  return String(edn);
}
