/**
 * Knossos's multi-register (knossos.model/multi-register): a map of registers changed by atomic
 * transactions `f: txn`, value a list of micro-operations `[:read k v]` and `[:write k v]`
 * (`:r`/`:w` also accepted). A transaction takes effect all at once; its reads must see the
 * state at that point, including its own earlier writes. Keys are not independent here, so the
 * whole history is one partition.
 */
import { formatValue, type Value, valueKey } from "../values.js";
import type { Call, Model, Prepared } from "./model.js";

interface MicroOperation {
  write: boolean;
  key: string;
  /** valueKey of the written or read value; undefined for a read whose result is unknown. */
  valueText: string | undefined;
}

interface MultiState {
  /** valueKey of every register not yet written (the initial value). */
  defaultText: string;
  values: ReadonlyMap<string, string>;
}

function parseMicro(item: Value, call: Call): MicroOperation | string {
  if (!Array.isArray(item) || item.length !== 3) {
    return `expected [:read k v] or [:write k v], found ${formatValue(item)}`;
  }
  const [f, key, value] = item as [Value, Value, Value];
  const write = f === "write" || f === "w";
  if (!write && f !== "read" && f !== "r") {
    return `expected :read or :write in a micro-operation, found ${formatValue(f)}`;
  }
  const readUnknown =
    !write && (call.outcome !== "ok" || (call.nilReadIsUnknown && value === null));
  return {
    write,
    key: typeof key === "string" ? key : valueKey(key),
    valueText: readUnknown ? undefined : valueKey(value),
  };
}

function prepare(call: Call): Prepared<MicroOperation[]> {
  if (call.f !== "txn") {
    return {
      kind: "error",
      message: `model multi-register has no operation "${call.f}"; expected txn`,
    };
  }
  // The completion carries the values read; the invocation only the intent.
  const source = call.outcome === "ok" ? call.output : call.input;
  if (!Array.isArray(source)) {
    return { kind: "error", message: "expected the txn value to be a list of micro-operations" };
  }
  const micro: MicroOperation[] = [];
  for (const item of source as Value[]) {
    const parsed = parseMicro(item, call);
    if (typeof parsed === "string") return { kind: "error", message: parsed };
    micro.push(parsed);
  }
  return { kind: "step", step: micro, partition: "" };
}

export const multiRegisterModel: Model<MultiState, MicroOperation[]> = {
  name: "multi-register",
  operations: ["txn"],
  failIsObservation: () => false,
  prepare,
  initial: (initialValue) => ({ defaultText: valueKey(initialValue), values: new Map() }),
  step(state, micro) {
    let values: Map<string, string> | undefined;
    for (const operation of micro) {
      if (operation.write) {
        values ??= new Map(state.values);
        values.set(operation.key, operation.valueText!);
        continue;
      }
      const current = (values ?? state.values).get(operation.key) ?? state.defaultText;
      if (operation.valueText !== undefined && operation.valueText !== current) return undefined;
    }
    return values === undefined ? state : { defaultText: state.defaultText, values };
  },
  stateKey: (state) =>
    [...state.values.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => `${key}=${value}`)
      .join(";"),
  describeState: (state) =>
    `{${[...state.values.entries()].map(([key, value]) => `${key} ${formatValue(JSON.parse(value))}`).join(", ")}}`,
};
