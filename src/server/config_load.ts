/**
 * Where a node's settings come from, later sources overriding earlier ones: the YAML file, then
 * `ONELOG_*` environment variables (`ONELOG_ELECTION_TIMEOUT_MS`), then flags
 * (`--election-timeout-ms`). Relative paths in the file are relative to the file.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import { environmentName, type ScalarKey, scalarKeys } from "./config.js";
import { type ConfigOutcome, validateConfig } from "./config_validate.js";

export function loadConfig(
  file: string | undefined,
  environment: NodeJS.ProcessEnv,
  flags: Partial<Record<ScalarKey, string>>,
): ConfigOutcome {
  let raw: Record<string, unknown> = {};
  let baseDir = process.cwd();
  if (file !== undefined) {
    baseDir = dirname(resolve(file));
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      return {
        kind: "invalid",
        errors: [`config: cannot read ${file}: ${(error as Error).message}`],
      };
    }
    try {
      const parsed: unknown = parse(text);
      if (parsed !== null && parsed !== undefined) {
        if (typeof parsed !== "object" || Array.isArray(parsed)) {
          return { kind: "invalid", errors: [`config: ${file} must hold a mapping of settings`] };
        }
        raw = { ...(parsed as Record<string, unknown>) };
      }
    } catch (error) {
      return {
        kind: "invalid",
        errors: [`config: ${file} is not valid YAML: ${(error as Error).message}`],
      };
    }
  }
  for (const key of scalarKeys) {
    const value = environment[environmentName(key)];
    if (value !== undefined && value !== "") raw[key] = value;
  }
  for (const key of scalarKeys) {
    const value = flags[key];
    if (value !== undefined) raw[key] = value;
  }
  // A secret given by a later source wins over a secret file given by an earlier one.
  if (flags.clusterSecret !== undefined || environment[environmentName("clusterSecret")]) {
    delete raw["clusterSecretFile"];
  }
  return validateConfig(raw, baseDir);
}
