/**
 * Knossos's mutex model (knossos.model/mutex): `acquire` succeeds only when the lock is free,
 * `release` only when it is held. It does not track the owner, like Knossos. One lock per key.
 */
import type { Call, Model, Prepared } from "./model.js";

type MutexStep = "acquire" | "release";
type MutexState = "free" | "held";

export const mutexModel: Model<MutexState, MutexStep> = {
  name: "mutex",
  operations: ["acquire", "release"],
  failIsObservation: () => false,
  prepare(call: Call): Prepared<MutexStep> {
    if (call.f !== "acquire" && call.f !== "release") {
      return {
        kind: "error",
        message: `model mutex has no operation "${call.f}"; expected acquire or release`,
      };
    }
    return { kind: "step", step: call.f, partition: call.key ?? "" };
  },
  // A truthy initial value starts the lock held.
  initial: (initialValue) => (initialValue === null || initialValue === false ? "free" : "held"),
  // An operation with an unknown outcome that did take effect obeyed the same rule; the search
  // covers "it never happened" by leaving it out.
  step(state, step) {
    if (step === "acquire") return state === "free" ? "held" : undefined;
    return state === "held" ? "free" : undefined;
  },
  stateKey: (state) => state,
  describeState: (state) => state,
};
