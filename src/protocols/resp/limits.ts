/**
 * Request size limits, with Redis's own defaults (redis/redis@4f8cdc2a src/server.h:166 and
 * src/config.c). Tests pass smaller ones; a server passes its configuration.
 */
export interface RespLimits {
  /** `PROTO_INLINE_MAX_SIZE`: bytes of an inline line, or of a `*`/`$` header line, without its end. */
  inlineBytesMax: number;
  /** `proto-max-bulk-len`: the largest `$<len>` a client may send. */
  bulkBytesMax: number;
  /** Redis accepts a multibulk count up to `INT_MAX` (networking.c processMultibulkBuffer). */
  multibulkCountMax: number;
  /**
   * `client-query-buffer-limit`: bytes the decoder holds for one connection, counting both the
   * unread bytes and the arguments of a command not yet complete (Redis counts only its query
   * buffer; counting the partial command too keeps memory bounded by this one figure).
   */
  queryBufferBytesMax: number;
  /** Before AUTH, Redis allows at most 10 arguments (networking.c: `ll > 10 && authRequired(c)`). */
  unauthenticatedCountMax: number;
  /** Before AUTH, a bulk argument may hold at most 16384 bytes (networking.c). */
  unauthenticatedBulkBytesMax: number;
  /** Before AUTH, the query buffer may hold at most 1 MB (networking.c readQueryFromClient). */
  unauthenticatedQueryBufferBytesMax: number;
}

export const redisDefaultLimits: Readonly<RespLimits> = Object.freeze({
  inlineBytesMax: 64 * 1024,
  bulkBytesMax: 512 * 1024 * 1024,
  multibulkCountMax: 2_147_483_647,
  queryBufferBytesMax: 1024 * 1024 * 1024,
  unauthenticatedCountMax: 10,
  unauthenticatedBulkBytesMax: 16_384,
  unauthenticatedQueryBufferBytesMax: 1024 * 1024,
});
