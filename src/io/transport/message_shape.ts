/**
 * Checks that a decoded value has the shape of a wire message (codec.ts) before it reaches a
 * replica. The replica asserts its invariants and would crash on a field of the wrong type; a
 * peer's bytes are input, and input never crashes a node (DESIGN.md §12). Returns the first
 * problem found, or undefined. Unknown extra fields are ignored, as they are harmless. The records
 * inside a batch are checked by the storage record codec that decodes them.
 */

import { elementsOf } from "../../core/replica/index.js";
import type { KvSnapshotEntry } from "../../core/state/index.js";

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;
const isOptional = (value: unknown, check: (v: unknown) => boolean): boolean =>
  value === undefined || check(value);
const isTime = (value: unknown): boolean => typeof value === "number" && Number.isFinite(value);
const isBoolean = (value: unknown): boolean => typeof value === "boolean";

/** The first of `names` whose field is not a non-negative safe integer. */
function badCount(fields: Fields, names: readonly string[]): string | undefined {
  const name = names.find((n) => !isCount(fields[n]));
  return name === undefined ? undefined : `${name} is ${describe(fields[name])}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? (value.constructor?.name ?? "an object") : typeof value;
}

/** A fetch's numbers, each a non-negative safe integer (fetch_layout.ts writes them in order). */
export const fetchCounts = [
  "fetchId",
  "fetchOffset",
  "lastFetchedEpoch",
  "durableOffset",
  "recordsMax",
  "waitTicksMax",
  "ackedRound",
  "commit",
] as const;

/** A fetch_response's numbers besides its batches, as `fetchCounts`. */
export const fetchResponseCounts = [
  "fetchId",
  "fetchOffset",
  "commit",
  "leaderLeo",
  "round",
] as const;

export function messageProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `message is ${describe(value)}`;
  const header = badCount(value, ["shard", "from", "to", "epoch"]);
  if (header !== undefined) return header;
  const body = value["body"];
  if (!isObject(body)) return `body is ${describe(body)}`;
  const problem = bodyProblem(body);
  return problem === undefined ? undefined : `${String(body["kind"])}: ${problem}`;
}

function bodyProblem(body: Fields): string | undefined {
  switch (body["kind"]) {
    case "fetch": {
      const counts = badCount(body, fetchCounts);
      if (counts !== undefined) return counts;
      const snapshot = body["snapshot"];
      if (snapshot === undefined) return undefined;
      if (!isObject(snapshot)) return `snapshot is ${describe(snapshot)}`;
      const bad = badCount(snapshot, ["offset", "epoch", "position", "element"]);
      return bad === undefined ? undefined : `snapshot ${bad}`;
    }
    case "fetch_response":
      return fetchResponseProblem(body);
    case "fenced":
      return isOptional(body["leader"], isCount) ? undefined : "leader is not a node id";
    case "begin_epoch":
      return undefined;
    case "vote_request":
      if (!isBoolean(body["preVote"])) return "preVote is not a boolean";
      return badCount(body, ["lastEpoch", "lastOffset"]);
    case "vote_response":
      if (!isBoolean(body["preVote"])) return "preVote is not a boolean";
      return isBoolean(body["granted"]) ? undefined : "granted is not a boolean";
    default:
      return "unknown body kind";
  }
}

function fetchResponseProblem(body: Fields): string | undefined {
  const counts = badCount(body, fetchResponseCounts);
  if (counts !== undefined) return counts;
  const diverging = body["diverging"];
  if (diverging !== undefined) {
    if (!isObject(diverging)) return `diverging is ${describe(diverging)}`;
    const bad = badCount(diverging, ["epoch", "endOffset"]);
    if (bad !== undefined) return `diverging ${bad}`;
  }
  const chunk = body["snapshotChunk"];
  if (chunk !== undefined) {
    const problem = snapshotChunkProblem(chunk);
    if (problem !== undefined) return `snapshotChunk: ${problem}`;
  }
  const batches = body["batches"];
  if (!Array.isArray(batches)) return `batches is ${describe(batches)}`;
  for (const [index, batch] of batches.entries()) {
    const problem = batchProblem(batch);
    if (problem !== undefined) return `batch ${index}: ${problem}`;
  }
  return undefined;
}

function batchProblem(batch: unknown): string | undefined {
  if (!isObject(batch)) return `batch is ${describe(batch)}`;
  const counts = badCount(batch, ["baseOffset", "epoch", "recordCount"]);
  if (counts !== undefined) return counts;
  if (!isTime(batch["timestampMs"])) return "timestampMs is not a time";
  return batch["records"] instanceof Uint8Array ? undefined : "records are not bytes";
}

function snapshotChunkProblem(chunk: unknown): string | undefined {
  if (!isObject(chunk)) return `is ${describe(chunk)}`;
  const counts = badCount(chunk, ["offset", "epoch", "position", "element"]);
  if (counts !== undefined) return counts;
  if (!isBoolean(chunk["done"])) return "done is not a boolean";
  if (!isBoolean(chunk["continues"])) return "continues is not a boolean";
  if (chunk["done"] && chunk["continues"]) return "the last chunk continues";
  const entries = chunk["entries"];
  if (!Array.isArray(entries)) return `entries is ${describe(entries)}`;
  for (const [index, entry] of entries.entries()) {
    const problem = snapshotEntryProblem(entry, chunk["offset"] as number);
    if (problem !== undefined) return `entry ${index}: ${problem}`;
  }
  // A part of an entry (docs/decisions/0009-chunked-snapshots.md) is a collection of at least
  // one element: the first entry when the chunk starts within one, the last when it continues.
  if ((chunk["element"] as number) > 0 && !isPart(entries[0])) {
    return "element is past 0 but the first entry is not a part of a collection";
  }
  if (chunk["continues"] && !isPart(entries[entries.length - 1])) {
    return "continues but the last entry is not a part of a collection";
  }
  return undefined;
}

/** Whether a well-shaped entry holds a non-empty collection, so it can be part of an entry. */
function isPart(entry: unknown): boolean {
  if (entry === undefined) return false;
  return (elementsOf((entry as KvSnapshotEntry).value)?.length ?? 0) > 0;
}

/** A snapshot at `snapshotOffset` holds only versions written below it (the replica asserts it). */
function snapshotEntryProblem(entry: unknown, snapshotOffset: number): string | undefined {
  if (!isObject(entry)) return `is ${describe(entry)}`;
  if (typeof entry["key"] !== "string") return "key is not a string";
  if (!isCount(entry["version"])) return "version is not an offset";
  if ((entry["version"] as number) >= snapshotOffset) return "version is not below the snapshot";
  if (!isOptional(entry["expireAtMs"], isTime)) return "expireAtMs is not a time";
  const value = entry["value"];
  if (!isObject(value)) return `value is ${describe(value)}`;
  if (value["type"] === "string")
    return typeof value["data"] === "string" ? undefined : "data is not a string";
  if (value["type"] === "list") {
    const items = value["items"];
    return Array.isArray(items) && items.every((item) => typeof item === "string")
      ? undefined
      : "items are not strings";
  }
  if (value["type"] === "set") {
    const members = value["members"];
    return Array.isArray(members) && members.every((member) => typeof member === "string")
      ? undefined
      : "members are not strings";
  }
  if (value["type"] === "zset") {
    const entries = value["entries"];
    return Array.isArray(entries) &&
      entries.every(
        (entry) =>
          Array.isArray(entry) &&
          entry.length === 2 &&
          typeof entry[0] === "string" &&
          typeof entry[1] === "number" &&
          !Number.isNaN(entry[1]),
      )
      ? undefined
      : "entries are not pairs of a member and a score";
  }
  if (value["type"] === "hash") {
    const fields = value["fields"];
    return Array.isArray(fields) &&
      fields.every(
        (pair) =>
          Array.isArray(pair) &&
          pair.length === 2 &&
          typeof pair[0] === "string" &&
          typeof pair[1] === "string",
      )
      ? undefined
      : "fields are not pairs of strings";
  }
  return "value type is none of string, list, hash, set and zset";
}
