/**
 * The text logs older Jepsen tests wrote, one event per line:
 * `INFO  jepsen.util - <process> <type> <f> <value>`, fields separated by tabs or spaces, the
 * value an EDN value (`nil`, `3`, `[1 4]`, `:timed-out`) that may itself contain spaces. This is
 * the format of Knossos's and Porcupine's test data (porcupine/test_data/jepsen/*.log). Lines
 * that do not come from jepsen.util, or whose message is not an operation, are other log output
 * and are skipped.
 */
import type { EventType, HistoryEvent, ProcessId, ReadResult } from "./history.js";
import { parseEdnValue } from "./read_edn.js";

const eventTypes: readonly string[] = ["invoke", "ok", "fail", "info"];
const expectedLine = "INFO  jepsen.util - <process> <type> <f> <value>";

/** After the logger name: an optional `-` or `:` separator, the process, then the rest. */
const operationPattern = /jepsen\.util\s*[-:]?\s+(\d+|:nemesis)\s+(.*)$/;

export function readJepsenLog(text: string): ReadResult<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  const lines = text.split("\n");
  let sawContent = false;
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const source = lines[index]!.replace(/\r$/, "");
    if (source.trim() !== "") sawContent = true;
    const match = operationPattern.exec(source);
    if (match === null) continue;
    const event = toEvent(match[1]!, match[2]!, line);
    if (event.kind === "error") return event;
    events.push(event.value);
  }
  if (sawContent && events.length === 0) {
    return fail(1, `expected lines like "${expectedLine}", found none`);
  }
  return { kind: "ok", value: events };
}

function fail<T>(line: number, message: string): ReadResult<T> {
  return { kind: "error", error: { line, message } };
}

function toEvent(processText: string, rest: string, line: number): ReadResult<HistoryEvent> {
  const process: ProcessId = processText === ":nemesis" ? "nemesis" : Number(processText);
  const fields = /^(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(rest.trim());
  if (fields === null) {
    return fail(line, `expected "<type> <f> <value>" after the process, as in "${expectedLine}"`);
  }
  const type = fields[1]!.replace(/^:/, "");
  if (!eventTypes.includes(type)) {
    return fail(line, `expected the type :invoke, :ok, :fail or :info, found "${fields[1]}"`);
  }
  const valueText = (fields[3] ?? "nil").trim();
  const value = parseEdnValue(valueText);
  if (value === undefined) {
    return fail(
      line,
      `expected an EDN value such as nil, 3, [1 4] or :timed-out, found "${valueText}"`,
    );
  }
  return {
    kind: "ok",
    value: { process, type: type as EventType, f: fields[2]!.replace(/^:/, ""), value, line },
  };
}
