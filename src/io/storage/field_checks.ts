/**
 * The field checks record_codec.ts (commands) and query_shape.ts (a transaction's reads) share:
 * each takes a value decoded from arbitrary bytes and says whether it has the shape kv_ops.ts
 * gives the field.
 */
export type Fields = Record<string, unknown>;

export const isObject = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value);
export const isString = (value: unknown): value is string => typeof value === "string";
/** At least one string. */
export const isStrings = (value: unknown): boolean =>
  Array.isArray(value) && value.length > 0 && value.every(isString);
export const isCount = (value: unknown): boolean =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
export const isBoolean = (value: unknown): boolean => typeof value === "boolean";
export const optional = (value: unknown, check: (value: unknown) => boolean): boolean =>
  value === undefined || check(value);
export const isScore = (value: unknown): boolean =>
  typeof value === "number" && !Number.isNaN(value);
export const isScoreBound = (value: unknown): boolean =>
  isObject(value) && isScore(value["score"]) && isBoolean(value["exclusive"]);
export const isLexBound = (value: unknown): boolean =>
  value === "-" ||
  value === "+" ||
  (isObject(value) && isString(value["member"]) && isBoolean(value["exclusive"]));
