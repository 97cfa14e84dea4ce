/**
 * Redis's index rules for ranges over a string or a list: negative indexes count from the end
 * (-1 is the last), both ends are inclusive, and out-of-range ends are clamped. The two commands
 * clamp slightly differently, so each has its own function, after its Redis source.
 */

/** A half-open range [from, to) of positions; empty when from >= to. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

const empty: Span = { from: 0, to: 0 };

/** GETRANGE / SUBSTR over a string of `length` bytes (getrangeCommand, redis/src/t_string.c). */
export function stringRange(length: number, start: number, end: number): Span {
  if (start < 0 && end < 0 && start > end) return empty;
  let first = start < 0 ? length + start : start;
  let last = end < 0 ? length + end : end;
  if (first < 0) first = 0;
  if (last < 0) last = 0;
  if (last >= length) last = length - 1;
  if (first > last || length === 0) return empty;
  return { from: first, to: last + 1 };
}

/** LRANGE over a list of `length` elements (lrangeCommand, redis/src/t_list.c). */
export function listRange(length: number, start: number, stop: number): Span {
  let first = start < 0 ? length + start : start;
  let last = stop < 0 ? length + stop : stop;
  if (first < 0) first = 0;
  if (first > last || first >= length) return empty;
  if (last >= length) last = length - 1;
  return { from: first, to: last + 1 };
}
