/**
 * The unified concerns as `OL.` command arguments (docs/commands.md): a write concern becomes
 * `W <w> [J] [WTIMEOUT ms]`, a read concern `READ <level> [AT n] [AFTER n] [PREF p]
 * [MAXSTALENESS ms] [TIMEOUT ms]`. A field left out is left to the shard's preset default.
 * A concern that cannot be written down is a programmer error and throws.
 */
import type { ReadConcern, WriteConcern } from "../core/concern/index.js";
import { assert } from "../util/assert.js";

/** A read concern whose level may be left to the preset (a session adds only `afterOffset`). */
export type ReadOptions = Partial<ReadConcern>;

export function writeConcernArguments(concern: WriteConcern | undefined): string[] {
  if (concern === undefined) return [];
  const { w } = concern;
  assert(
    w === "majority" || w === "all" || (Number.isSafeInteger(w) && w >= 0),
    () => `write concern w=${String(w)} is not 0, a count, "majority" or "all"`,
  );
  const out = ["W", String(w)];
  if (concern.j === true) out.push("J");
  if (concern.timeoutMs !== undefined) out.push("WTIMEOUT", milliseconds(concern.timeoutMs));
  return out;
}

export function readConcernArguments(concern: ReadOptions | undefined): string[] {
  if (concern === undefined) return [];
  const out: string[] = [];
  if (concern.level !== undefined) out.push("READ", concern.level);
  if (concern.atOffset !== undefined) out.push("AT", offsetText(concern.atOffset));
  if (concern.afterOffset !== undefined) out.push("AFTER", offsetText(concern.afterOffset));
  if (concern.readPreference !== undefined) out.push("PREF", concern.readPreference);
  if (concern.maxStalenessMs !== undefined)
    out.push("MAXSTALENESS", milliseconds(concern.maxStalenessMs));
  if (concern.timeoutMs !== undefined) out.push("TIMEOUT", milliseconds(concern.timeoutMs));
  assert(
    concern.level !== "snapshot" || concern.atOffset !== undefined,
    "a snapshot read needs atOffset",
  );
  return out;
}

function milliseconds(value: number): string {
  assert(Number.isSafeInteger(value) && value >= 0, () => `${value} is not a whole number of ms`);
  return String(value);
}

function offsetText(value: number): string {
  assert(Number.isSafeInteger(value) && value >= 0, () => `offset ${value} is not an offset`);
  return String(value);
}
