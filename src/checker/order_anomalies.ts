/**
 * Anomalies of order within one client's view: non-monotonic reads (a later read of a key
 * reflects an older offset than an earlier read did), per process and per session, and
 * read-your-writes violations (a read reflects an offset before the session's own acknowledged
 * write), per session (which defaults to the process). "Later" means invoked after the other
 * completed, so operations of one session issued concurrently from several processes are
 * compared only when they are ordered in real time. Needs offsets or versions.
 */
import type { Anomaly } from "./anomalies.js";
import type { Operation } from "./history.js";
import { isRead, type KeyView, readVersion } from "./key_index.js";

interface Floor {
  offset: number;
  operation: Operation;
}

type Scope = "process" | "session";

export function findOrderAnomalies(views: ReadonlyMap<string, KeyView>): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const seen = new Set<string>();
  for (const view of views.values()) {
    const explicitSessions = view.operations.some((operation) => operation.session !== undefined);
    const passes: Array<[Scope, (operation: Operation) => string | undefined]> = [
      ["process", (operation) => String(operation.process)],
    ];
    if (explicitSessions) passes.push(["session", (operation) => operation.session]);
    for (const [scope, groupOf] of passes) {
      // Read-your-writes is a session guarantee: checked per process only when no sessions are named.
      const checkOwnWrites = scope === "session" || !explicitSessions;
      for (const anomaly of sweep(view, scope, groupOf, checkOwnWrites)) {
        const identity = `${anomaly.kind}:${anomaly.operations.join(",")}`;
        if (seen.has(identity)) continue;
        seen.add(identity);
        anomalies.push(anomaly);
      }
    }
  }
  return anomalies;
}

/**
 * One pass over the key's calls and returns in history order: at a read's call the floors of
 * its group are noted; at its return its offset is compared with them; returns raise floors.
 */
function sweep(
  view: KeyView,
  scope: Scope,
  groupOf: (operation: Operation) => string | undefined,
  checkOwnWrites: boolean,
): Anomaly[] {
  const points: Array<{ index: number; operation: Operation; call: boolean }> = [];
  for (const operation of view.operations) {
    if (groupOf(operation) === undefined || operation.status !== "ok") continue;
    points.push({ index: operation.callIndex, operation, call: true });
    points.push({ index: operation.returnIndex, operation, call: false });
  }
  points.sort((a, b) => a.index - b.index);
  const readFloors = new Map<string, Floor>();
  const writeFloors = new Map<string, Floor>();
  const atCall = new Map<Operation, { read?: Floor; write?: Floor }>();
  const anomalies: Anomaly[] = [];
  for (const { operation, call } of points) {
    const group = groupOf(operation)!;
    const reading = isRead(operation);
    if (call) {
      if (reading)
        atCall.set(operation, { read: readFloors.get(group), write: writeFloors.get(group) });
      continue;
    }
    if (!reading) {
      if (operation.offset !== undefined) raise(writeFloors, group, operation.offset, operation);
      continue;
    }
    const version = readVersion(view, operation);
    if (version === undefined) continue;
    const floors = atCall.get(operation)!;
    const breach: Breach = { key: view.key, scope, group, read: operation, version };
    if (floors.read !== undefined && version < floors.read.offset) {
      anomalies.push(orderAnomaly("non-monotonic-read", breach, floors.read));
    }
    if (checkOwnWrites && floors.write !== undefined && version < floors.write.offset) {
      anomalies.push(orderAnomaly("read-your-writes", breach, floors.write));
    }
    raise(readFloors, group, version, operation);
  }
  return anomalies;
}

function raise(
  floors: Map<string, Floor>,
  group: string,
  offset: number,
  operation: Operation,
): void {
  const floor = floors.get(group);
  if (floor === undefined || floor.offset < offset) floors.set(group, { offset, operation });
}

/** Where a read fell below a floor: the read, the offset it reflects, its group and scope. */
interface Breach {
  key: string;
  scope: Scope;
  group: string;
  read: Operation;
  version: number;
}

function orderAnomaly(
  kind: "non-monotonic-read" | "read-your-writes",
  breach: Breach,
  floor: Floor,
): Anomaly {
  const { read, version } = breach;
  const below =
    kind === "non-monotonic-read"
      ? `older than offset ${floor.offset} that its earlier read #${floor.operation.id} reflected`
      : `before its own acknowledged ${floor.operation.f} #${floor.operation.id} at offset ${floor.offset}`;
  return {
    kind,
    key: breach.key,
    scope: breach.scope,
    operations: [read.id, floor.operation.id],
    description: `${breach.scope} ${breach.group}: read #${read.id} reflects offset ${version}, ${below}`,
  };
}
