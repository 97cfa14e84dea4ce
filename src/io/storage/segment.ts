/**
 * A segment file: the frames of consecutive batches, named by the offset of its first record
 * (zero-padded to 20 digits, so names sort as offsets do, as Kafka names its segments). Storage
 * keeps, per segment, the header of every frame: where it starts and which offsets it holds, so a
 * truncation finds its cut point without reading the file.
 */
import type { FrameHeader } from "./frame.js";

export const segmentSuffix = ".log";
const segmentNamePattern = /^(\d{20})\.log$/;

export interface Segment {
  readonly baseOffset: number;
  readonly name: string;
  /** Frames in file order; each starts where the previous ends. */
  frames: FrameHeader[];
  sizeBytes: number;
}

export const segmentName = (baseOffset: number): string =>
  String(baseOffset).padStart(20, "0") + segmentSuffix;

/** The base offset a file name stands for, or undefined if it is not a segment's name. */
export function parseSegmentName(name: string): number | undefined {
  const match = segmentNamePattern.exec(name);
  if (match === null) return undefined;
  const value = Number(match[1]);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** The offset after the segment's last record. */
export function segmentEndOffset(segment: Segment): number {
  const last = segment.frames.at(-1);
  return last === undefined ? segment.baseOffset : last.baseOffset + last.count;
}

/** Index of the first frame holding an offset at or after `at`; frames.length if none does. */
export function frameIndexFrom(segment: Segment, at: number): number {
  let low = 0;
  let high = segment.frames.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const frame = segment.frames[middle] as FrameHeader;
    if (frame.baseOffset + frame.count > at) high = middle;
    else low = middle + 1;
  }
  return low;
}
