/**
 * String methods called through the function itself, for the hot loops over keys and values.
 * Called as a method (`text.charCodeAt(i)`), each call first loads the method from the receiver;
 * the strings a node handles come in several of V8's representations (sequential, sliced, cons,
 * thin), and TurboFan compiled that load as a call to the generic load IC, on every character
 * (perf, and --print-opt-code showing the calls). Through the function, no load is made. Plain
 * JavaScript, so the core may use it; buffer_calls.ts does the same for Node's Buffers.
 */
const stringCharCodeAt = String.prototype.charCodeAt;
const stringSubstring = String.prototype.substring;

export const charCodeAt = (text: string, index: number): number =>
  stringCharCodeAt.call(text, index);

export const substring = (text: string, start: number, end: number): string =>
  stringSubstring.call(text, start, end);
