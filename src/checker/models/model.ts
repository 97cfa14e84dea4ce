/**
 * A sequential specification the linearizability search steps through, in the shape of
 * Porcupine's `Model` (Init, Step, Partition, DescribeOperation) and Knossos's `Model` protocol.
 * `step` is a pure function; states are compared and memoised through `stateKey`.
 */
import type { Value } from "../values.js";

/** What the history says about an operation's result. */
export type Outcome =
  /** Completed ok with `output`. */
  | "ok"
  /** Completed with fail, kept as a real operation whose condition was observed to fail. */
  | "failed"
  /** No result is known (info, pending, or a Knossos nil read): any result is acceptable. */
  | "unknown";

/** The model-independent part of an operation that models prepare from. */
export interface Call {
  f: string;
  key: string | undefined;
  input: Value;
  outcome: Outcome;
  /** Defined when `outcome` is ok. */
  output: Value | undefined;
  /** Knossos's convention: a read that completed with nil read an unknown value. */
  nilReadIsUnknown: boolean;
}

export type Prepared<Step> =
  | { kind: "step"; step: Step; partition: string }
  | { kind: "error"; message: string };

export interface Model<State, Step> {
  readonly name: string;
  /** The f names this model knows, for error messages. */
  readonly operations: readonly string[];
  /**
   * Porcupine's convention keeps a failed operation of these f names as a real operation whose
   * condition was observed to fail (a cas whose compare failed); every other fail did not happen.
   */
  readonly failIsObservation: (f: string) => boolean;
  /** Turns a call into a step and names its partition (P-compositionality: one per key). */
  prepare(call: Call): Prepared<Step>;
  initial(initialValue: Value): State;
  /** The state after `step`, or undefined when `step` cannot happen in `state`. */
  step(state: State, step: Step): State | undefined;
  stateKey(state: State): string;
  describeState(state: State): string;
}

// biome-ignore lint/suspicious/noExplicitAny: models are stored side by side; each is internally typed.
export type AnyModel = Model<any, any>;
