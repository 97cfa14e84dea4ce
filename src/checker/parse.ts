/** One entry point for every history format: text in, a paired `History` or a `HistoryError` out. */

import { unreachable } from "../util/assert.js";
import { type History, pairEvents, type ReadResult } from "./history.js";
import { readEdn } from "./read_edn.js";
import { readJepsenLog } from "./read_jepsen_log.js";
import { readJsonLines } from "./read_jsonl.js";

export type HistoryFormat = "jsonl" | "edn" | "jepsen-log";

export const historyFormats: readonly HistoryFormat[] = ["jsonl", "edn", "jepsen-log"];

/**
 * Guesses the format from the first non-blank line: `{"` is JSON, `{:` or `[` is EDN, anything
 * mentioning jepsen.util is a Jepsen log. JSON Lines is the default.
 */
export function detectFormat(text: string): HistoryFormat {
  const first =
    text
      .split("\n")
      .find((line) => line.trim() !== "")
      ?.trim() ?? "";
  if (first.includes("jepsen.util")) return "jepsen-log";
  if (first.startsWith("{:") || first.startsWith("[") || first.startsWith("(")) return "edn";
  if (/^\{\s*:/.test(first)) return "edn";
  return "jsonl";
}

export function parseHistory(
  text: string,
  format: HistoryFormat | "auto" = "auto",
): ReadResult<History> {
  const chosen = format === "auto" ? detectFormat(text) : format;
  const events = readEvents(text, chosen);
  if (events.kind === "error") return events;
  return pairEvents(events.value);
}

function readEvents(text: string, format: HistoryFormat) {
  switch (format) {
    case "jsonl":
      return readJsonLines(text);
    case "edn":
      return readEdn(text);
    case "jepsen-log":
      return readJepsenLog(text);
    default:
      return unreachable(format);
  }
}
