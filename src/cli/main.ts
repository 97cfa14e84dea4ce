#!/usr/bin/env node
/** The `onelog` command: one subcommand per file in this folder. */
import { Command } from "commander";
import { registerCheckCommand } from "./check.js";
import { registerLabCommand } from "./lab.js";
import { registerNodeCommand } from "./node.js";
import { registerSimCommand } from "./sim.js";
import { registerStatusCommand } from "./status.js";
import { registerUpCommand } from "./up.js";

const program = new Command("onelog")
  .description("one replicated log, every consistency knob, proven")
  .showHelpAfterError();

registerCheckCommand(program);
registerSimCommand(program);
registerNodeCommand(program);
registerUpCommand(program);
registerStatusCommand(program);
registerLabCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
