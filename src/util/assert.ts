/** Thrown for a broken invariant: a programmer error, never an operating error. */
export class AssertionError extends Error {
  override name = "AssertionError";
}

/** Asserts what must hold; the message names the values involved. Always on. */
export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) {
    throw new AssertionError(typeof message === "string" ? message : message());
  }
}

/** Closes every `switch` over a union: the compiler proves the default is never reached. */
export function unreachable(value: never): never {
  throw new AssertionError(`unreachable: ${JSON.stringify(value)}`);
}
