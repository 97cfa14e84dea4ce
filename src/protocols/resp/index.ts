/** RESP, the Redis protocol: the sans-IO codec the Redis face is built on. */
export { formatDouble } from "./double_text.js";
export { splitInlineArguments } from "./inline_split.js";
export { type RespLimits, redisDefaultLimits } from "./limits.js";
export { parseRedisInteger } from "./parse_integer.js";
export {
  isProtocolError,
  type ProtocolError,
  type ProtocolErrorCode,
} from "./protocol_error.js";
export type { Reply, RespProtocol } from "./reply.js";
export * as replies from "./reply.js";
export { decodeReplies, type ReplyDecodeError, RespReplyDecoder } from "./reply_decoder.js";
export { encodeReply, ReplyWriter } from "./reply_encoder.js";
export {
  type RespCommand,
  RespRequestDecoder,
  type RespRequestDecoderOptions,
} from "./request_decoder.js";
