export { type DecodeResult, decodeMessage, encodeMessage } from "./codec.js";
export { encodeFrames, FrameDecoder, type FrameError, peerFrameBytesMax } from "./framing.js";
export type { TransportLogger } from "./logger.js";
