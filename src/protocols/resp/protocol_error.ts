/**
 * Request decoding errors. Each is terminal: Redis replies with the text (when it has one) and
 * closes the connection (networking.c setProtocolError sets CLIENT_CLOSE_AFTER_REPLY).
 */
export type ProtocolErrorCode =
  | "too_big_inline_request"
  | "unbalanced_quotes"
  | "too_big_mbulk_count"
  | "invalid_multibulk_length"
  | "unauthenticated_multibulk_length"
  | "too_big_bulk_count"
  | "expected_dollar"
  | "invalid_bulk_length"
  | "unauthenticated_bulk_length"
  | "query_buffer_limit";

export interface ProtocolError {
  readonly kind: "protocol_error";
  readonly code: ProtocolErrorCode;
  /**
   * The error reply Redis sends before closing, without `-` and CRLF, e.g.
   * `ERR Protocol error: invalid bulk length`; undefined when Redis closes without a reply
   * (the query buffer limit: readQueryFromClient only logs and frees the client).
   */
  readonly reply: string | undefined;
}

const texts: Record<
  Exclude<ProtocolErrorCode, "expected_dollar" | "query_buffer_limit">,
  string
> = {
  too_big_inline_request: "too big inline request",
  unbalanced_quotes: "unbalanced quotes in request",
  too_big_mbulk_count: "too big mbulk count string",
  invalid_multibulk_length: "invalid multibulk length",
  unauthenticated_multibulk_length: "unauthenticated multibulk length",
  too_big_bulk_count: "too big bulk count string",
  invalid_bulk_length: "invalid bulk length",
  unauthenticated_bulk_length: "unauthenticated bulk length",
};

export function protocolError(code: keyof typeof texts): ProtocolError {
  return { kind: "protocol_error", code, reply: `ERR Protocol error: ${texts[code]}` };
}

/**
 * `Protocol error: expected '$', got '%c'`: the byte is printed raw by Redis; here it becomes
 * the Latin-1 character of that byte. CR and LF become spaces as addReplyErrorFormat does.
 */
export function expectedDollarError(byte: number): ProtocolError {
  const shown = byte === 13 || byte === 10 ? " " : String.fromCharCode(byte);
  return {
    kind: "protocol_error",
    code: "expected_dollar",
    reply: `ERR Protocol error: expected '$', got '${shown}'`,
  };
}

export function queryBufferLimitError(): ProtocolError {
  return { kind: "protocol_error", code: "query_buffer_limit", reply: undefined };
}

export function isProtocolError(value: unknown): value is ProtocolError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "protocol_error"
  );
}
