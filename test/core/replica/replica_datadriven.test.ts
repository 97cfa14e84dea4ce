import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runScript } from "../../support/datadriven.js";
import { InteractionEnv } from "./interaction_env.js";

const folder = join(process.cwd(), "testdata", "replica");

for (const file of readdirSync(folder).filter((name) => name.endsWith(".txt"))) {
  test(`replica script ${file}`, () => {
    const env = new InteractionEnv();
    runScript(join(folder, file), (testCase) => env.handle(testCase));
  });
}
