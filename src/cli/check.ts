/**
 * `onelog check FILE...`: reads histories, checks linearizability and looks for anomalies.
 * Exit codes: 0 valid, 1 anomaly found (a linearizability violation or an anomaly finder hit),
 * 2 bad input (the message names the file, the line and what was expected), 3 unknown (a time or
 * memory limit was reached; no guess is made). With several files the worst wins, in the order
 * 2, 1, 3, 0. Formats and fields: docs/history-format.md; the checker: docs/checker.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import {
  type Anomaly,
  type CheckOptions,
  type Convention,
  checkLinearizable,
  detectFormat,
  explainAnomaly,
  explainResult,
  findAnomalies,
  type HistoryFormat,
  historyFormats,
  type LinearizabilityResult,
  modelNames,
  parseEdnValue,
  parseHistory,
  renderHtmlReport,
  type Value,
} from "../checker/index.js";

export const exitCodes = { valid: 0, anomaly: 1, badInput: 2, unknown: 3 } as const;

interface CheckCommandOptions {
  model?: string;
  format?: string;
  html?: string;
  json?: boolean;
  timeLimit?: string;
  initial?: string;
  knossos?: boolean;
}

interface FileReport {
  file: string;
  exitCode: number;
  format?: HistoryFormat;
  error?: string;
  linearizability?: LinearizabilityResult;
  /** The linearizability verdict in words. */
  explanation?: string;
  anomalies?: Anomaly[];
  html?: string;
}

export function registerCheckCommand(program: Command): void {
  program
    .command("check")
    .description("check histories for linearizability and consistency anomalies")
    .argument("<files...>", "history files (onelog JSON Lines, Jepsen EDN or Jepsen log lines)")
    .option(
      "--model <model>",
      `model: ${modelNames.join(", ")} (default: onelog for jsonl, else cas-register)`,
    )
    .option("--format <format>", `input format: ${historyFormats.join(", ")} (default: guessed)`)
    .option("--initial <value>", "the model's initial value, JSON or EDN (default: nil, absent)")
    .option("--knossos", "Knossos's convention: every fail did not happen, a nil read is unknown")
    .option("--html <dir>", "write an HTML report per file into this folder")
    .option("--json", "print one JSON document instead of text")
    .option("--time-limit <seconds>", "give up with verdict unknown after this long per file", "60")
    .action((files: string[], options: CheckCommandOptions) => {
      process.exitCode = runCheck(files, options);
    });
}

function runCheck(files: readonly string[], options: CheckCommandOptions): number {
  const usage = validateOptions(options);
  if (usage !== undefined) {
    console.error(`onelog check: ${usage}`);
    return exitCodes.badInput;
  }
  const showProgress = process.stderr.isTTY === true || files.length > 1;
  const bar = showProgress
    ? new SingleBar({
        stream: process.stderr,
        noTTYOutput: true,
        format: "checking [{bar}] {value}/{total} {file}{detail}",
        hideCursor: true,
      })
    : undefined;
  bar?.start(files.length, 0, { file: "", detail: "" });
  const reports: FileReport[] = [];
  for (const file of files) {
    bar?.update({ file: basename(file), detail: "" });
    reports.push(checkFile(file, options, bar === undefined ? undefined : searchProgress(bar)));
    bar?.increment({ detail: "" });
  }
  bar?.stop();
  const exitCode = worst(reports.map((report) => report.exitCode));
  if (options.json === true) {
    console.log(JSON.stringify({ exitCode, files: reports }, null, 2));
  } else {
    for (const report of reports) printReport(report);
  }
  return exitCode;
}

function validateOptions(options: CheckCommandOptions): string | undefined {
  if (options.model !== undefined && !modelNames.includes(options.model)) {
    return `unknown --model "${options.model}"; expected one of ${modelNames.join(", ")}`;
  }
  if (options.format !== undefined && !historyFormats.includes(options.format as HistoryFormat)) {
    return `unknown --format "${options.format}"; expected one of ${historyFormats.join(", ")}`;
  }
  const seconds = Number(options.timeLimit);
  if (!(seconds > 0))
    return `expected --time-limit to be a positive number of seconds, got "${options.timeLimit}"`;
  if (options.initial !== undefined && parseInitial(options.initial) === undefined) {
    return `expected --initial to be a JSON or EDN value, got "${options.initial}"`;
  }
  return undefined;
}

function parseInitial(text: string): Value | undefined {
  try {
    return JSON.parse(text) as Value;
  } catch {
    return parseEdnValue(text);
  }
}

/**
 * A long search shows where it is on the bar, at most once a second: the key and how many
 * configurations it has memoised (the bar cannot redraw on its own while the search runs).
 */
function searchProgress(bar: SingleBar): CheckOptions["onProgress"] {
  let shownAtMs = performance.now();
  return ({ key, configurations }) => {
    const nowMs = performance.now();
    if (nowMs - shownAtMs < 1000) return;
    shownAtMs = nowMs;
    const where = key === "" ? "" : ` key ${key}:`;
    bar.update({ detail: ` —${where} ${configurations.toLocaleString("en")} configurations` });
  };
}

function checkFile(
  file: string,
  options: CheckCommandOptions,
  onProgress?: CheckOptions["onProgress"],
): FileReport {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { file, exitCode: exitCodes.badInput, error: `${file}: cannot read: ${reason}` };
  }
  const format = (options.format as HistoryFormat | undefined) ?? detectFormat(text);
  const parsed = parseHistory(text, format);
  if (parsed.kind === "error") {
    const { line, message } = parsed.error;
    return {
      file,
      format,
      exitCode: exitCodes.badInput,
      error: `${file}:${line}: ${message} (format ${format})`,
    };
  }
  const history = parsed.value;
  const model = options.model ?? (format === "jsonl" ? "onelog" : "cas-register");
  const convention: Convention = options.knossos === true ? "knossos" : "porcupine";
  const checkOptions: CheckOptions = {
    convention,
    timeLimitMs: Number(options.timeLimit) * 1000,
    ...(onProgress === undefined ? {} : { onProgress }),
  };
  const initial = options.initial === undefined ? undefined : parseInitial(options.initial);
  const linearizability = checkLinearizable(
    history,
    model,
    initial === undefined ? checkOptions : { ...checkOptions, initial },
  );
  if (linearizability.verdict === "bad_input") {
    const error = `${file}:${linearizability.line}: ${linearizability.message}`;
    return { file, format, exitCode: exitCodes.badInput, error, linearizability };
  }
  const anomalies = findAnomalies(history);
  const explanation = explainResult(history, linearizability) + unknownHint(linearizability);
  const report: FileReport = {
    file,
    format,
    exitCode: exitCodes.valid,
    linearizability,
    explanation,
    anomalies,
  };
  if (linearizability.verdict === "violation" || anomalies.length > 0)
    report.exitCode = exitCodes.anomaly;
  else if (linearizability.verdict === "unknown") report.exitCode = exitCodes.unknown;
  if (options.html !== undefined) {
    mkdirSync(options.html, { recursive: true });
    report.html = join(options.html, `${basename(file)}.html`);
    writeFileSync(
      report.html,
      renderHtmlReport({
        title: `onelog check ${basename(file)}`,
        history,
        result: linearizability,
        anomalies,
      }),
    );
  }
  return report;
}

/** What lets an undecided search go further, on the line after the verdict. */
function unknownHint(result: LinearizabilityResult): string {
  if (result.verdict !== "unknown") return "";
  return result.reason === "time limit"
    ? "\nGive it longer with --time-limit <seconds>."
    : "\nGive it a larger heap: NODE_OPTIONS=--max-old-space-size=<MB> onelog check ...";
}

function printReport(report: FileReport): void {
  if (report.error !== undefined) {
    console.error(report.error);
    return;
  }
  const verdict =
    report.exitCode === exitCodes.valid
      ? "valid"
      : report.exitCode === exitCodes.unknown
        ? "unknown"
        : "anomaly";
  console.log(`${report.file}: ${verdict}`);
  if (report.explanation !== undefined) console.log(indent(report.explanation));
  for (const anomaly of report.anomalies ?? []) console.log(indent(explainAnomaly(anomaly)));
  if (report.html !== undefined) console.log(`  report: ${report.html}`);
}

const indent = (text: string): string =>
  text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");

/** The worst exit code: bad input, then anomaly, then unknown, then valid. */
function worst(codes: readonly number[]): number {
  for (const code of [exitCodes.badInput, exitCodes.anomaly, exitCodes.unknown])
    if (codes.includes(code)) return code;
  return exitCodes.valid;
}
