/**
 * What each write × read concern combination of a preset promises, from
 * ../shared/reference/replication-semantics.md: §2.10 (MongoDB's matrix: w:1 may lose
 * acknowledged writes; read concern local allows stale, dirty and non-monotonic reads, majority
 * stale and non-monotonic ones; linearizable reads with w:majority allow none) and §4.1/§4.3
 * (Raft: majority commit never loses a write; ReadIndex reads are linearizable; reads without it
 * may be stale). The run judges each anomaly by the concerns of its operations with the same
 * rules (src/checker/judge.ts); this table states them per combination for the matrix.
 */
import type { AnomalyKind } from "../checker/index.js";
import type { ReadLevel } from "../core/concern/index.js";

/** The presets the lab knows the promises of (a preset added later needs its row here). */
export const labPresets = ["raft", "mongodb"] as const;
export type LabPreset = (typeof labPresets)[number];

export type WriteLabel = "1" | "majority";

export interface Combination {
  write: WriteLabel;
  read: ReadLevel;
}

export interface Promise_ {
  /** Whether the history must be linearizable. */
  linearizable: boolean;
  /** Anomalies the combination allows; every other kind is promised not to happen. */
  allowed: AnomalyKind[];
  /** The reference section the promise comes from. */
  cite: string;
}

export const anomalyKinds: readonly AnomalyKind[] = [
  "lost-write",
  "dirty-read",
  "stale-read",
  "non-monotonic-read",
  "read-your-writes",
];

/** The combinations each preset offers: Raft commits by majority only (§4.1). */
export const presetCombinations: Record<LabPreset, Combination[]> = {
  raft: (["linearizable", "majority", "local"] as const).map((read) => ({
    write: "majority",
    read,
  })),
  mongodb: (["1", "majority"] as const).flatMap((write) =>
    (["local", "majority", "linearizable"] as const).map((read) => ({ write, read })),
  ),
};

export function promiseOf(preset: LabPreset, { write, read }: Combination): Promise_ {
  const majority = write === "majority";
  const allowed: AnomalyKind[] = [];
  if (!majority) allowed.push("lost-write");
  if (read === "local") allowed.push("dirty-read");
  if (read !== "linearizable" || !majority) allowed.push("stale-read");
  if (read !== "linearizable") allowed.push("non-monotonic-read");
  if (read !== "linearizable" || !majority) allowed.push("read-your-writes");
  const cite =
    preset === "raft"
      ? read === "linearizable"
        ? "§4.1, §4.3 (ReadIndex)"
        : "§4.1, §4.3 (reads without ReadIndex), §2.10 read rows"
      : `§2.10 (w:${write} row, read ${read} row)`;
  return { linearizable: majority && read === "linearizable", allowed, cite };
}

/** "linearizable" or "allows SR, DR" for a table cell. */
export function describePromise(promise: Promise_): string {
  if (promise.linearizable) return "linearizable: no anomaly";
  const tags: Record<AnomalyKind, string> = {
    "lost-write": "LAW",
    "dirty-read": "DR",
    "stale-read": "SR",
    "non-monotonic-read": "NMR",
    "read-your-writes": "RYW",
  };
  return `allows ${promise.allowed.map((kind) => tags[kind]).join(", ")}`;
}
