/**
 * Buffer methods called through the function itself, for the hot paths over socket bytes and
 * records, as string_calls.ts does for strings: the Buffers a node handles have several maps
 * (made by the socket in C++, by `subarray` in JavaScript), and TurboFan compiled `subarray`,
 * `toString("latin1")`, `copy` and `set` on them as calls to the generic load IC, every RESP
 * argument and reply paying some (8-9% of a node's CPU under SET with the string loops, by perf).
 */
const bufferSubarray = Buffer.prototype.subarray;
const typedArraySet = Uint8Array.prototype.set;

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
/** Node's native decoder behind `toString("latin1")`: not in its typings; msgpackr uses it too. */
const nativeLatin1Slice = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice })
  .latin1Slice;

/** `bytes.subarray(start, end)`: a view, no copy. */
export const subarray = (bytes: Buffer, start: number, end: number): Buffer =>
  bufferSubarray.call(bytes, start, end);

/** `target.set(source, at)`: copies `source` into `target` from `at`, which must hold it. */
export const setBytes = (target: Uint8Array, source: Uint8Array, at: number): void =>
  typedArraySet.call(target, source, at);

/** `bytes.toString("latin1")`: one char per byte. */
export const latin1 =
  nativeLatin1Slice === undefined
    ? (bytes: Buffer): string => bytes.toString("latin1")
    : (bytes: Buffer): string => nativeLatin1Slice.call(bytes, 0, bytes.length);
