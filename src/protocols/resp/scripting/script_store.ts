/**
 * The Store a script's commands reach (decision 0020): every write and read is answered at once
 * from the script's ScriptState, nothing goes to the log until the script ends. Reads the state
 * cannot answer, those of the whole keyspace and the node's own, are refused.
 */
import {
  type KvCommand,
  type KvQuery,
  offset,
  type ScriptState,
  type StepQuery,
  type Store,
  type StoreReadOutcome,
  type StoreWriteOutcome,
  type Topology,
} from "../../../api/index.js";

const refused = {
  kind: "rejected",
  reason: "invalid",
  detail:
    "onelog: a script cannot run a command that reads every key (KEYS, SCAN, RANDOMKEY, DBSIZE, FLUSHALL)",
} as const;

/** Queries that are the node's own or a transaction's, never a command's inside a script. */
const notStepQueries = new Set<KvQuery["kind"]>(["multi", "watch", "expiredKeys", "keyCounts"]);
const isStepQuery = (query: KvQuery): query is StepQuery => !notStepQueries.has(query.kind);

export class ScriptStore implements Store {
  constructor(
    private readonly state: ScriptState,
    private readonly store: Store,
  ) {}

  write(command: KvCommand): Promise<StoreWriteOutcome> {
    return Promise.resolve(this.writeNow(command));
  }

  writeNow(command: KvCommand): StoreWriteOutcome {
    const result = command.kind === "exec" ? undefined : this.state.write(command);
    if (result === undefined) return refused;
    return { kind: "ok", offset: offset(0), result };
  }

  read(query: KvQuery): StoreReadOutcome {
    const result = isStepQuery(query) ? this.state.read(query) : undefined;
    if (result === undefined) return refused;
    return { kind: "ok", offset: offset(0), result };
  }

  waitReplicas(): Promise<number> {
    return Promise.resolve(0);
  }

  topology(): Topology {
    return this.store.topology();
  }
}
