/**
 * Peer frames: a big-endian u32 payload length, then the payload (one encoded message or
 * handshake step). The limit is checked by the writer (a programmer error to exceed) and by the
 * reader (an operating error: the peer is broken or hostile), so no frame can make a node buffer
 * more than `peerFrameBytesMax` (DESIGN.md §12).
 */
import { assert } from "../../util/assert.js";

/**
 * The largest payload either side accepts. A fetch response is cut by bytes well below it
 * (ReplicaConfig.fetchBytesMax plus at most one batch, which fits a storage frame).
 */
export const peerFrameBytesMax = 64 * 1024 * 1024;
export const frameHeaderBytes = 4;

export type FrameError = { kind: "frame_too_large"; frameBytes: number; frameBytesMax: number };

/** Writes the header and payload of each frame into one buffer, ready for one socket write. */
export function encodeFrames(
  payloads: readonly Uint8Array[],
  frameBytesMax: number = peerFrameBytesMax,
): Buffer {
  let totalBytes = 0;
  for (const payload of payloads) {
    assert(
      payload.length <= frameBytesMax,
      () => `frame of ${payload.length} bytes > max ${frameBytesMax}`,
    );
    totalBytes += frameHeaderBytes + payload.length;
  }
  const out = Buffer.allocUnsafe(totalBytes);
  let position = 0;
  for (const payload of payloads) {
    out.writeUInt32BE(payload.length, position);
    out.set(payload, position + frameHeaderBytes);
    position += frameHeaderBytes + payload.length;
  }
  return out;
}

/**
 * Splits a byte stream into frames, whatever its chunking: `write` buffers a chunk, `read` returns
 * the next whole frame, undefined when more bytes are needed, or a `FrameError` that sticks (the
 * stream has no way to resynchronise, so the connection must close). Pulling one frame at a time
 * lets the caller raise `frameBytesMax` once a handshake is done. Chunks are kept as a list and
 * joined once per frame, so a large frame in many chunks costs one copy, not one per chunk.
 */
export class FrameDecoder {
  private readonly chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private error: FrameError | undefined;

  constructor(public frameBytesMax: number = peerFrameBytesMax) {}

  write(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.error !== undefined) return;
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    this.bufferedBytes += chunk.length;
  }

  /** Bytes received but not yet returned as frames. */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }

  read(): Buffer | FrameError | undefined {
    if (this.error !== undefined) return this.error;
    if (this.bufferedBytes < frameHeaderBytes) return undefined;
    const frameBytes = this.peekLength();
    if (frameBytes > this.frameBytesMax) {
      this.error = { kind: "frame_too_large", frameBytes, frameBytesMax: this.frameBytesMax };
      this.chunks.length = 0;
      this.bufferedBytes = 0;
      return this.error;
    }
    if (this.bufferedBytes < frameHeaderBytes + frameBytes) return undefined;
    this.take(frameHeaderBytes);
    return this.take(frameBytes);
  }

  private peekLength(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= frameHeaderBytes) return first.readUInt32BE(0);
    return Buffer.concat(this.chunks, frameHeaderBytes).readUInt32BE(0);
  }

  /** Removes and returns the next `count` bytes; requires `count <= bufferedBytes`. */
  private take(count: number): Buffer {
    if (count === 0) return Buffer.alloc(0);
    this.bufferedBytes -= count;
    const first = this.chunks[0] as Buffer;
    if (first.length > count) {
      this.chunks[0] = first.subarray(count);
      return first.subarray(0, count);
    }
    if (first.length === count) {
      this.chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(count);
    let position = 0;
    while (position < count) {
      const chunk = this.chunks[0] as Buffer;
      const used = Math.min(chunk.length, count - position);
      out.set(chunk.subarray(0, used), position);
      position += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    return out;
  }
}
