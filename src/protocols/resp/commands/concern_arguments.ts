/**
 * The concern options of the OL. commands (docs/commands.md): `W 0|1|<n>|majority|all`, `J`,
 * `WTIMEOUT ms` on writes; `READ level`, `AT offset`, `AFTER offset`, `PREF mode`,
 * `MAXSTALENESS ms`, `TIMEOUT ms` on reads. Each parser reads options from `start` to the end and
 * hands words it does not know to the command's own `extra` parser.
 */
import type { ReadConcern, ReadLevel, ReadPreference, WriteConcern } from "../../../api/index.js";
import type { Reply } from "../reply.js";
import { error } from "../reply.js";
import { countArgument, offsetArgument, syntaxError, text, upper } from "./arguments.js";

/** Parses the command's own option at `index`; answers the arguments it took, 0 if not its own. */
export type ExtraOption = (word: string, args: readonly Buffer[], index: number) => number | Reply;

const noExtra: ExtraOption = () => 0;

export type Parsed<T> = { kind: "ok"; value: T } | { kind: "error"; reply: Reply };

function parseW(argument: Buffer | undefined): WriteConcern["w"] | undefined {
  if (argument === undefined) return undefined;
  const word = text(argument).toLowerCase();
  if (word === "majority" || word === "all") return word;
  return countArgument(argument);
}

export function parseWriteConcern(
  args: readonly Buffer[],
  start: number,
  extra: ExtraOption = noExtra,
): Parsed<Partial<WriteConcern>> {
  const concern: Partial<WriteConcern> = {};
  for (let index = start; index < args.length; ) {
    const word = upper(args[index] as Buffer);
    if (word === "W") {
      const w = parseW(args[index + 1]);
      if (w === undefined) return failed("ERR W must be 0, 1, <n>, majority or all");
      concern.w = w;
      index += 2;
    } else if (word === "J") {
      concern.j = true;
      index += 1;
    } else if (word === "WTIMEOUT") {
      const timeoutMs = countArgument(args[index + 1]);
      if (timeoutMs === undefined) return failed("ERR WTIMEOUT must be a non-negative integer");
      concern.timeoutMs = timeoutMs;
      index += 2;
    } else {
      const taken = extra(word, args, index);
      if (typeof taken !== "number") return { kind: "error", reply: taken };
      if (taken === 0) return { kind: "error", reply: syntaxError() };
      index += taken;
    }
  }
  return { kind: "ok", value: concern };
}

const levels: Record<string, ReadLevel> = {
  LOCAL: "local",
  AVAILABLE: "available",
  MAJORITY: "majority",
  LINEARIZABLE: "linearizable",
  SNAPSHOT: "snapshot",
};

const preferences: Record<string, ReadPreference> = {
  PRIMARY: "primary",
  PRIMARYPREFERRED: "primaryPreferred",
  SECONDARY: "secondary",
  SECONDARYPREFERRED: "secondaryPreferred",
  NEAREST: "nearest",
};

export function parseReadConcern(
  args: readonly Buffer[],
  start: number,
): Parsed<Partial<ReadConcern>> {
  const concern: Partial<ReadConcern> = {};
  for (let index = start; index < args.length; index += 2) {
    const word = upper(args[index] as Buffer);
    const value = args[index + 1];
    if (value === undefined) return { kind: "error", reply: syntaxError() };
    switch (word) {
      case "READ": {
        const level = levels[upper(value)];
        if (level === undefined) {
          return failed("ERR READ must be local, available, majority, linearizable or snapshot");
        }
        concern.level = level;
        break;
      }
      case "PREF": {
        const preference = preferences[upper(value)];
        if (preference === undefined) {
          return failed(
            "ERR PREF must be primary, primaryPreferred, secondary, secondaryPreferred or nearest",
          );
        }
        concern.readPreference = preference;
        break;
      }
      case "AT":
      case "AFTER": {
        const at = offsetArgument(value);
        if (at === undefined)
          return failed(`ERR ${word} must be an offset (a non-negative integer)`);
        if (word === "AT") concern.atOffset = at;
        else concern.afterOffset = at;
        break;
      }
      case "MAXSTALENESS":
      case "TIMEOUT": {
        const ms = countArgument(value);
        if (ms === undefined) return failed(`ERR ${word} must be a non-negative integer`);
        if (word === "TIMEOUT") concern.timeoutMs = ms;
        else concern.maxStalenessMs = ms;
        break;
      }
      default:
        return { kind: "error", reply: syntaxError() };
    }
  }
  if (concern.level === "snapshot" && concern.atOffset === undefined) {
    return failed("ERR READ snapshot needs AT offset");
  }
  if (concern.atOffset !== undefined && concern.level !== "snapshot") {
    return failed("ERR AT needs READ snapshot");
  }
  return { kind: "ok", value: concern };
}

const failed = <T>(message: string): Parsed<T> => ({ kind: "error", reply: error(message) });
