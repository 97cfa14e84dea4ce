/**
 * The values that histories carry: JSON values. EDN readers map keywords and symbols to strings
 * (`:timed-out` becomes "timed-out"), vectors, lists and sets to arrays, and maps to objects, so
 * one representation serves every format.
 */

export type Value = null | boolean | number | string | readonly Value[] | { [key: string]: Value };

/**
 * A canonical string for a value: equal values give equal keys (object keys are sorted), so
 * models can compare and memoise states by string.
 */
export function valueKey(value: Value): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(valueKey).join(",")}]`;
  const record = value as { [key: string]: Value };
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${valueKey(record[key]!)}`).join(",")}}`;
}

/** A short human form for explanations: `nil` for null, JSON otherwise. */
export function formatValue(value: Value | undefined): string {
  if (value === undefined) return "?";
  if (value === null) return "nil";
  if (typeof value !== "object")
    return typeof value === "string" ? JSON.stringify(value) : String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(" ")}]`;
  return valueKey(value);
}

/** True when `input` is a JSON value (no undefined, functions, bigints or non-finite numbers). */
export function isValue(input: unknown): input is Value {
  if (input === null) return true;
  switch (typeof input) {
    case "boolean":
    case "string":
      return true;
    case "number":
      return Number.isFinite(input);
    case "object":
      if (Array.isArray(input)) return input.every(isValue);
      return Object.values(input as object).every(isValue);
    default:
      return false;
  }
}
