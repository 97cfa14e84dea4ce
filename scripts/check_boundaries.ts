/** Checks the import rules of DESIGN.md §2; prints each breach as `file:line: message`, exits 1. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkFile, sourceFiles } from "./boundaries.js";

const root = process.cwd();
const problems = sourceFiles(join(root, "src")).flatMap((file) =>
  checkFile(root, file, readFileSync(file, "utf8")),
);
for (const problem of problems) console.error(problem);
if (problems.length > 0) {
  console.error(`import boundaries: ${problems.length} breach(es)`);
  process.exit(1);
}
console.log("import boundaries: ok");
