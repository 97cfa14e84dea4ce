/** The subset of a pino logger the transport uses: `logger.warn({peer}, "refused")`. */
export interface TransportLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}
