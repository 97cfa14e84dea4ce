/**
 * Raw bytes to a RESP listener on a fresh connection, for tests of what the wire carries: the
 * bytes that come back, and whether the server closed the connection.
 */
import { connect } from "node:net";

export interface Exchanged {
  text: string;
  closed: boolean;
}

/**
 * Sends `bytes` and answers everything received until the server closes the connection,
 * `expectedBytes` have arrived, or `quietMs` have passed (then `closed` is false).
 */
export function exchange(
  port: number,
  bytes: string | Buffer,
  options: { expectedBytes?: number; quietMs?: number } = {},
): Promise<Exchanged> {
  const { expectedBytes = Number.POSITIVE_INFINITY, quietMs = 1000 } = options;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port }, () => socket.write(bytes));
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, quietMs);
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (text.length >= expectedBytes) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ text, closed: false });
      }
    });
    socket.on("end", () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
    socket.on("error", reject);
  });
}
