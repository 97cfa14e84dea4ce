/**
 * A FakeStore whose writes and reads go through a real kv state machine, for command tests whose
 * replies depend on what the store holds (sets, sorted sets): the face and the core together,
 * without a replica or a network.
 */
import type {
  KvCommand,
  KvQuery,
  StoreReadOutcome,
  StoreWriteOutcome,
  WriteConcernInput,
} from "../../../../src/api/index.js";
import { offset } from "../../../../src/api/index.js";
import { KvStateMachine, type TransactionBase } from "../../../../src/core/state/index.js";
import { FakeStore } from "./fake_store.js";

export class StateStore extends FakeStore {
  readonly machine = new KvStateMachine();

  override async write(command: KvCommand, concern: WriteConcernInput): Promise<StoreWriteOutcome> {
    this.writes.push({ command, concern });
    const at = this.machine.appliedOffset;
    const result = this.machine.apply(at, command, 0);
    this.leo = this.machine.appliedOffset;
    return { kind: "ok", offset: at, result };
  }

  /** What scripts run against (decision 0020). */
  newestState(): TransactionBase {
    return this.machine.newestState;
  }

  override async read(query: KvQuery): Promise<StoreReadOutcome> {
    const at = this.machine.appliedOffset;
    return { kind: "ok", result: this.machine.query(query, at, 0), offset: offset(at) };
  }
}
