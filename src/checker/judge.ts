/**
 * Which anomalies the concerns of a history's operations rule out (replication-semantics.md §0,
 * §2.10 and §4.3): local reads may be dirty, stale and non-monotonic; majority reads stale and
 * non-monotonic, never dirty; linearizable reads reflect every majority write acknowledged
 * before they began; w:1 writes may be lost, majority writes never. The simulator and the lab
 * judge their histories with this one function.
 */
import type { Anomaly } from "./anomalies.js";
import type { Operation } from "./history.js";

const strongReads = new Set(["majority", "linearizable", "snapshot"]);

/** Why the concerns of the operations involved rule this anomaly out, or undefined if they allow it. */
export function forbiddenBy(
  anomaly: Anomaly,
  operations: readonly Operation[],
): string | undefined {
  const involved = anomaly.operations.map((id) => operations[id]);
  const subject = involved[0];
  if (subject === undefined) return undefined;
  const readLevel = (operation: Operation | undefined) => operation?.concern?.read?.split(",")[0];
  switch (anomaly.kind) {
    case "lost-write":
      return subject.concern?.write?.startsWith("majority") ? "of a w:majority write" : undefined;
    case "dirty-read":
      return strongReads.has(readLevel(subject) ?? "")
        ? `at read concern ${readLevel(subject)}`
        : undefined;
    case "stale-read": {
      // Linearizable reads promise to reflect majority writes acknowledged before they began;
      // a w:1 write may be acknowledged and still uncommitted (or lost).
      const missedMajority = involved
        .slice(1)
        .some((operation) => operation?.concern?.write?.startsWith("majority"));
      return readLevel(subject) === "linearizable" && missedMajority
        ? "at read concern linearizable"
        : undefined;
    }
    case "non-monotonic-read":
    case "read-your-writes":
      return involved.every(
        (operation) =>
          readLevel(operation) === "linearizable" ||
          operation?.concern?.write?.startsWith("majority"),
      )
        ? "between linearizable reads and majority writes"
        : undefined;
  }
}
