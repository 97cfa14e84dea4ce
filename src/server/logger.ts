/**
 * The node's structured log (pino): one JSON object per line, to a file in the node's data folder
 * under `onelog up`, to stdout otherwise. Writes are synchronous so that the last lines before a
 * crash or an exit are not lost.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { destination, type Logger, pino } from "pino";
import type { NodeConfig } from "./config.js";

export type NodeLogger = Logger;

export function createLogger(config: Pick<NodeConfig, "logFile" | "logLevel" | "nodeId">): Logger {
  let stream = destination({ dest: 1, sync: true });
  if (config.logFile !== undefined) {
    mkdirSync(dirname(config.logFile), { recursive: true });
    stream = destination({ dest: config.logFile, sync: true, append: true, mkdir: true });
  }
  return pino({ level: config.logLevel, base: { node: config.nodeId } }, stream);
}
