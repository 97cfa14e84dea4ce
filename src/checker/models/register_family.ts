/**
 * Register-like models over one value per key: `register` (read/write), `cas-register`
 * (read/write/cas), `kv` (get/put/append per key), `list-append` (append an element, read the
 * list) and `onelog` (onelog's kv: read, write, cas, append, list-append, incr, del). They share
 * one step function; each model admits a subset of the operation kinds. The state is the
 * canonical string of the current value (`valueKey`), "null" when absent, so stepping and
 * memoising are string operations (Porcupine's register models do the same with Go values).
 */
import { assert, unreachable } from "../../util/assert.js";
import { formatValue, type Value, valueKey } from "../values.js";
import type { Call, Model, Prepared } from "./model.js";

type Kind = "read" | "write" | "cas" | "append" | "list-append" | "incr" | "del";

interface RegisterStep {
  kind: Kind;
  outcome: Call["outcome"];
  /** valueKey of the written value, the read result, or the cas's new value. */
  valueText: string;
  /** The cas's expected value, as valueKey. */
  expectedText: string;
  /** The appended string, or the increment. */
  argument: Value;
}

const absent = "null";

interface FamilyOptions {
  name: string;
  kinds: ReadonlyMap<string, Kind>;
  /** onelog stores strings: numbers in values count as their decimal strings. */
  numbersAsStrings: boolean;
  /** Jepsen's independent checker wraps values as [key value] tuples when no key is given. */
  keyedTuples: boolean;
}

function normalize(value: Value, numbersAsStrings: boolean): Value {
  if (!numbersAsStrings) return value;
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.map((item: Value) => normalize(item, true));
  return value;
}

function registerFamily(options: FamilyOptions): Model<string, RegisterStep> {
  const { kinds, numbersAsStrings } = options;
  const canonical = (value: Value): string => valueKey(normalize(value, numbersAsStrings));
  return {
    name: options.name,
    operations: [...kinds.keys()],
    failIsObservation: (f) => kinds.get(f) === "cas",
    prepare(call: Call): Prepared<RegisterStep> {
      const kind = kinds.get(call.f);
      if (kind === undefined) {
        return {
          kind: "error",
          message: `model ${options.name} has no operation "${call.f}"; expected one of ${[...kinds.keys()].join(", ")}`,
        };
      }
      let { key, input, output } = call;
      if (key === undefined && options.keyedTuples && Array.isArray(input) && input.length === 2) {
        key = formatValue(input[0] as Value);
        input = input[1] as Value;
        if (Array.isArray(output) && output.length === 2) output = output[1] as Value;
      }
      return {
        kind: "step",
        step: makeStep(kind, call, input, output, canonical),
        partition: key ?? "",
      };
    },
    initial: (initialValue) => canonical(initialValue),
    step: (state, step) => stepRegister(state, step, numbersAsStrings),
    stateKey: (state) => state,
    describeState: (state) => (state === absent ? "nil (absent)" : formatValue(JSON.parse(state))),
  };
}

function makeStep(
  kind: Kind,
  call: Call,
  input: Value,
  output: Value | undefined,
  canonical: (value: Value) => string,
): RegisterStep {
  const step: RegisterStep = {
    kind,
    outcome: call.outcome,
    valueText: absent,
    expectedText: absent,
    argument: input,
  };
  const ok = call.outcome === "ok";
  switch (kind) {
    case "read":
      if (ok && output === null && call.nilReadIsUnknown) step.outcome = "unknown";
      step.valueText = ok ? canonical(output ?? null) : absent;
      break;
    case "write":
      step.valueText = canonical(input);
      break;
    case "cas": {
      const pair = Array.isArray(input) && input.length === 2 ? input : [input, null];
      step.expectedText = canonical(pair[0] as Value);
      step.valueText = canonical(pair[1] as Value);
      break;
    }
    case "list-append":
      step.valueText = canonical(input);
      break;
    case "append":
    case "del":
    case "incr":
      // Their completions echo the invocation (docs/history-format.md); the effect is all.
      break;
    default:
      unreachable(kind);
  }
  return step;
}

function stepRegister(
  state: string,
  step: RegisterStep,
  numbersAsStrings: boolean,
): string | undefined {
  switch (step.kind) {
    case "read":
      return step.outcome !== "ok" || state === step.valueText ? state : undefined;
    case "write":
      return step.valueText;
    case "cas": {
      const matches = state === step.expectedText;
      if (step.outcome === "ok") return matches ? step.valueText : undefined;
      if (step.outcome === "failed") return matches ? undefined : state;
      return matches ? step.valueText : state;
    }
    case "append": {
      const current = state === absent ? "" : JSON.parse(state);
      if (typeof current !== "string") return wrongType(state, step);
      const next =
        current + (typeof step.argument === "string" ? step.argument : formatValue(step.argument));
      return JSON.stringify(next);
    }
    case "list-append": {
      if (state !== absent && !state.startsWith("[")) return wrongType(state, step);
      const next =
        state === absent || state === "[]"
          ? `[${step.valueText}]`
          : `${state.slice(0, -1)},${step.valueText}]`;
      return next;
    }
    case "incr": {
      const current = state === absent ? 0 : Number(JSON.parse(state));
      const by = step.argument === null ? 1 : Number(step.argument);
      if (!Number.isSafeInteger(current) || !Number.isSafeInteger(by))
        return wrongType(state, step);
      const next = current + by;
      return numbersAsStrings ? JSON.stringify(String(next)) : String(next);
    }
    case "del":
      return absent;
    default:
      return unreachable(step.kind);
  }
}

/** An operation on a value of the wrong type changes nothing; it cannot have completed ok. */
function wrongType(state: string, step: RegisterStep): string | undefined {
  assert(state !== absent, "absent values have every type");
  return step.outcome === "ok" ? undefined : state;
}

const kindTable = (entries: Array<[string, Kind]>): ReadonlyMap<string, Kind> => new Map(entries);

export const registerModel = registerFamily({
  name: "register",
  kinds: kindTable([
    ["read", "read"],
    ["write", "write"],
  ]),
  numbersAsStrings: false,
  keyedTuples: false,
});

export const casRegisterModel = registerFamily({
  name: "cas-register",
  kinds: kindTable([
    ["read", "read"],
    ["write", "write"],
    ["cas", "cas"],
  ]),
  numbersAsStrings: false,
  keyedTuples: false,
});

export const kvModel = registerFamily({
  name: "kv",
  kinds: kindTable([
    ["get", "read"],
    ["read", "read"],
    ["put", "write"],
    ["write", "write"],
    ["append", "append"],
    ["cas", "cas"],
  ]),
  numbersAsStrings: false,
  keyedTuples: true,
});

export const listAppendModel = registerFamily({
  name: "list-append",
  kinds: kindTable([
    ["read", "read"],
    ["append", "list-append"],
    ["list-append", "list-append"],
  ]),
  numbersAsStrings: false,
  keyedTuples: false,
});

export const onelogModel = registerFamily({
  name: "onelog",
  kinds: kindTable([
    ["read", "read"],
    ["get", "read"],
    ["write", "write"],
    ["set", "write"],
    ["cas", "cas"],
    ["append", "append"],
    ["list-append", "list-append"],
    ["incr", "incr"],
    ["del", "del"],
  ]),
  numbersAsStrings: true,
  keyedTuples: false,
});
