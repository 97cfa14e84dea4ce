export { type DecodeResult, decodeMessage, encodeMessage } from "./codec.js";
export { type FaultSettings, noFaults, TransportFaults } from "./faults.js";
export { encodeFrames, FrameDecoder, type FrameError, peerFrameBytesMax } from "./framing.js";
export type { TransportLogger } from "./logger.js";
export type { PeerAddress } from "./outbound_peer.js";
export {
  type MessageHandler,
  PeerTransport,
  type PeerTransportOptions,
  transportDefaults,
} from "./peer_transport.js";
