/** Helpers for the RESP codec tests: a command encoder as clients write it, and draining. */
import {
  type ProtocolError,
  type RespCommand,
  RespRequestDecoder,
  type RespRequestDecoderOptions,
} from "../../../src/protocols/resp/index.js";

/** A command as every client sends it: `*<n>\r\n` then `$<len>\r\n<bytes>\r\n` per argument. */
export function encodeCommand(args: ReadonlyArray<Buffer | string>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === "string" ? Buffer.from(arg) : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

export interface Decoded {
  commands: string[][];
  error: ProtocolError | undefined;
}

/** Writes the chunks in order, pulling every command after each; arguments as latin1 text. */
export function decodeChunks(
  chunks: ReadonlyArray<Buffer>,
  options: RespRequestDecoderOptions = {},
): Decoded {
  const decoder = new RespRequestDecoder(options);
  const commands: RespCommand[] = [];
  let error: ProtocolError | undefined;
  const drain = (): void => {
    for (let out = decoder.next(); out !== undefined; out = decoder.next()) {
      if (Array.isArray(out)) commands.push(out);
      else if (error === undefined) error = out;
      else throw new Error("a second protocol error");
    }
  };
  for (const chunk of chunks) {
    decoder.write(chunk);
    drain();
  }
  // Copy out only now: arguments are views and must survive later writes unchanged.
  return { commands: commands.map((c) => c.map((a) => a.toString("latin1"))), error };
}

export const decodeText = (text: string, options: RespRequestDecoderOptions = {}): Decoded =>
  decodeChunks([Buffer.from(text, "latin1")], options);

/** Splits `bytes` at the given cut points (sorted, deduplicated, inside the buffer). */
export function splitAt(bytes: Buffer, cuts: ReadonlyArray<number>): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(Buffer.from(bytes.subarray(start, point)));
    start = point;
  }
  chunks.push(Buffer.from(bytes.subarray(start)));
  return chunks;
}

/** One byte per chunk: the hardest split. */
export const bytewise = (bytes: Buffer): Buffer[] =>
  Array.from(bytes, (byte) => Buffer.from([byte]));
