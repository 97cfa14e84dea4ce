/**
 * String and Buffer methods called through the function itself, for the hot paths over keys,
 * values and socket bytes. Called as a method (`text.charCodeAt(i)`, `bytes.subarray(a, b)`,
 * `bytes.toString("latin1")`), each call first loads the method from the receiver; the strings
 * and Buffers a node handles come in several of V8's representations and maps (sliced, cons and
 * thin strings; Buffers made by the socket in C++ and by `subarray` in JavaScript), and TurboFan
 * compiled those loads as calls to the generic load IC: 8-9% of a node's CPU under a SET load
 * (perf, and --print-opt-code showing the calls). Through the function, no load is made.
 */
const stringCharCodeAt = String.prototype.charCodeAt;
const stringSubstring = String.prototype.substring;
const bufferSubarray = Buffer.prototype.subarray;
const typedArraySet = Uint8Array.prototype.set;

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
/** Node's native latin1 decoder behind `toString("latin1")`, not in its typings; msgpackr uses it too. */
const nativeLatin1Slice = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice })
  .latin1Slice;

export const charCodeAt = (text: string, index: number): number =>
  stringCharCodeAt.call(text, index);

export const substring = (text: string, start: number, end: number): string =>
  stringSubstring.call(text, start, end);

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
