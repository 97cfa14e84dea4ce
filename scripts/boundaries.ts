/**
 * The import rules of DESIGN.md §2, checked over the TypeScript sources:
 * - `src/core` imports only itself, `src/util` and the pure packages below, and uses no clock,
 *   randomness, timers, `process`, `node:*`, Promise or `async`: it is pure and deterministic;
 * - `src/storage` may import `src/core/types` and `src/util`;
 * - `src/protocols` import only `src/api` and `src/util`;
 * - `src/sim` never imports `src/io`, and `src/io` never imports `src/sim`.
 */
import { readdirSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

type Rule = { folder: string; allowed: (target: string) => boolean; pure: boolean };

/**
 * Packages the core may use: synchronous, deterministic data structures with no I/O, clock or
 * randomness of their own. functional-red-black-tree holds sets and sorted sets as persistent
 * trees (decision 0010), immutable's List and OrderedMap hold lists and hashes (decision 0025).
 */
const purePackages: readonly string[] = ["functional-red-black-tree", "immutable"];

const rules: Rule[] = [
  {
    folder: "src/core",
    allowed: (t) => within(t, "src/core") || within(t, "src/util"),
    pure: true,
  },
  {
    folder: "src/storage",
    allowed: (t) =>
      !within(t, "src") ||
      within(t, "src/storage") ||
      within(t, "src/util") ||
      t === "src/core/types.ts",
    pure: false,
  },
  {
    folder: "src/protocols",
    allowed: (t) =>
      !within(t, "src") ||
      within(t, "src/protocols") ||
      within(t, "src/api") ||
      within(t, "src/util"),
    pure: false,
  },
  {
    folder: "src/sim",
    allowed: (t) => !within(t, "src/io") && !within(t, "src/server"),
    pure: false,
  },
  { folder: "src/io", allowed: (t) => !within(t, "src/sim"), pure: false },
];

/** Tokens that make code impure: time, randomness, timers, the process, asynchrony. */
const impure: Array<[RegExp, string]> = [
  [/\bDate\b/, "uses Date"],
  [/\bperformance\b/, "uses performance"],
  [/\bMath\.random\b/, "uses Math.random"],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\b/, "uses a timer"],
  [/\bprocess\b/, "uses process"],
  [/\basync\b|\bawait\b/, "is asynchronous"],
  [/\bPromise\b/, "uses Promise"],
];

const within = (target: string, folder: string): boolean =>
  target === folder || target.startsWith(`${folder}/`);

export function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Removes comments and string contents so that words in them do not count. */
function codeOnly(line: string): string {
  return line
    .replace(/\/\/.*$/, "")
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
}

export function checkFile(root: string, file: string, text: string): string[] {
  const name = relative(root, file).split(sep).join("/");
  const rule = rules.find((r) => within(name, r.folder));
  if (rule === undefined) return [];
  const problems: string[] = [];
  let inBlockComment = false;
  text.split("\n").forEach((raw, index) => {
    const where = `${name}:${index + 1}`;
    let line = raw;
    if (inBlockComment) {
      const end = line.indexOf("*/");
      if (end < 0) return;
      line = line.slice(end + 2);
      inBlockComment = false;
    }
    line = line.replace(/\/\*.*?\*\//g, "");
    const open = line.indexOf("/*");
    if (open >= 0) {
      inBlockComment = true;
      line = line.slice(0, open);
    }
    for (const match of line.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
      const specifier = match[1] as string;
      if (specifier.startsWith("node:") && rule.pure) {
        problems.push(`${where}: ${rule.folder} must not import ${specifier}`);
        continue;
      }
      if (!specifier.startsWith(".")) {
        if (rule.pure && !purePackages.includes(specifier))
          problems.push(`${where}: ${rule.folder} must not import package ${specifier}`);
        continue;
      }
      const target = relative(root, resolve(dirname(file), specifier))
        .split(sep)
        .join("/")
        .replace(/\.js$/, ".ts");
      if (!rule.allowed(target))
        problems.push(`${where}: ${rule.folder} must not import ${target}`);
    }
    if (rule.pure) {
      const code = codeOnly(line);
      for (const [pattern, message] of impure) {
        if (pattern.test(code)) problems.push(`${where}: ${rule.folder} ${message}`);
      }
    }
  });
  return problems;
}
