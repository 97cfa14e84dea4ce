/**
 * `onelog node --config FILE [--node-id N] [--data-dir DIR] ...`: runs one node in the
 * foreground until SIGTERM or SIGINT, then stops cleanly and exits 0. Every setting can also come
 * from an `ONELOG_*` environment variable (flags win, then the environment, then the file).
 */
import type { Command } from "commander";
import { flagName, type ScalarKey, scalarKeys } from "../server/config.js";
import { loadConfig } from "../server/config_load.js";
import { createLogger } from "../server/logger.js";
import { startNode } from "../server/node.js";

export function registerNodeCommand(program: Command): void {
  const command = program
    .command("node")
    .description("run one node (config from a YAML file, ONELOG_* variables and flags)")
    .option("--config <file>", "YAML config file");
  for (const key of scalarKeys) command.option(`${flagName(key)} <value>`, `overrides ${key}`);
  command.action(async (options: Record<string, string | undefined>) => {
    const flags: Partial<Record<ScalarKey, string>> = {};
    for (const key of scalarKeys) {
      const value = options[key];
      if (value !== undefined) flags[key] = value;
    }
    const loaded = loadConfig(options["config"], process.env, flags);
    if (loaded.kind === "invalid") {
      console.error(`onelog node: invalid configuration\n  ${loaded.errors.join("\n  ")}`);
      process.exit(2);
    }
    const { config } = loaded;
    const logger = createLogger(config);
    process.on("uncaughtException", (error) => {
      logger.fatal({ err: error }, "uncaught exception");
      process.exit(1);
    });
    const started = await startNode(config, logger);
    if (started.kind === "failed") {
      logger.fatal({ reason: started.message }, "node failed to start");
      console.error(`onelog node: ${started.message}`);
      process.exit(1);
    }
    const shutdown = (signal: string) => {
      logger.info({ signal }, "signal received");
      started.node.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.fatal({ err: error }, "unclean stop");
          process.exit(1);
        },
      );
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
}
