/**
 * Datadriven tests in the style of etcd-io/raft and cockroachdb/datadriven: a script of
 * commands, each followed by `----` and its expected output, cases separated by a blank line.
 *
 *     # a comment
 *     propose 1 set k v w=majority
 *     ----
 *     1 -> 2 fetch_response ...
 *
 * `UPDATE_GOLDEN=1` rewrites the expected outputs from what the code now prints; review the diff.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";

export interface TestCase {
  /** 1-based line of the command. */
  line: number;
  command: string;
  /** Positional arguments after the command name. */
  args: string[];
  /** `key=value` arguments; a bare `flag` maps to "". */
  options: Map<string, string>;
  expected: string;
}

interface ParsedFile {
  cases: TestCase[];
  /** The file's lines, with each case's output replaced by a placeholder for rewriting. */
  render: (outputs: string[]) => string;
}

export function parseScript(text: string): ParsedFile {
  const lines = text.split("\n");
  const cases: TestCase[] = [];
  const pieces: Array<string | number> = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] as string;
    if (line.trim() === "" || line.startsWith("#")) {
      pieces.push(line);
      index++;
      continue;
    }
    const commandLine = index + 1;
    const commandText = line.trim();
    index++;
    assert.equal(
      lines[index],
      "----",
      `line ${commandLine + 1}: expected ---- after "${commandText}"`,
    );
    index++;
    const output: string[] = [];
    while (index < lines.length && (lines[index] as string) !== "")
      output.push(lines[index++] as string);
    const [command, ...rest] = commandText.split(/\s+/);
    const args: string[] = [];
    const options = new Map<string, string>();
    for (const word of rest) {
      const equals = word.indexOf("=");
      if (equals > 0) options.set(word.slice(0, equals), word.slice(equals + 1));
      else args.push(word);
    }
    pieces.push(`${commandText}\n----`, cases.length);
    cases.push({
      line: commandLine,
      command: command as string,
      args,
      options,
      expected: output.join("\n"),
    });
  }
  const render = (outputs: string[]): string =>
    pieces
      .map((piece) => (typeof piece === "number" ? (outputs[piece] ?? "") : piece))
      .filter((piece, position) => piece !== "" || typeof pieces[position] !== "number")
      .join("\n");
  return { cases, render };
}

/** Runs every case of `file` through `run`, comparing (or, with UPDATE_GOLDEN=1, rewriting) outputs. */
export function runScript(file: string, run: (testCase: TestCase) => string): void {
  const parsed = parseScript(readFileSync(file, "utf8"));
  const outputs = parsed.cases.map((testCase) => {
    let output: string;
    try {
      output = run(testCase).replace(/\s+$/, "");
    } catch (error) {
      throw new Error(
        `${file}:${testCase.line}: ${testCase.command}: ${(error as Error).stack ?? error}`,
      );
    }
    if (process.env.UPDATE_GOLDEN !== "1") {
      assert.equal(
        output,
        testCase.expected,
        `${file}:${testCase.line}: output of "${testCase.command}" differs`,
      );
    }
    return output;
  });
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, parsed.render(outputs));
}
