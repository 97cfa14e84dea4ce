/**
 * The floor of the platform, not a product: the least a Node.js process can do to answer
 * redis-benchmark's SET and GET — parse RESP arrays of bulk strings, keep values in a Map, write
 * each chunk's replies at once — with no log, no replication and no error handling. What it
 * reaches against Redis on the same machine bounds what any Node.js Redis server can reach.
 *
 * Run: node dist/bench/redis/node_floor_server.js <port>
 */
import { createServer } from "node:net";

const values = new Map<string, Buffer>();
const ok = Buffer.from("+OK\r\n");
const nil = Buffer.from("$-1\r\n");
const pong = Buffer.from("+PONG\r\n");
const crlf = Buffer.from("\r\n");

/** The commands in `input` from `start`, answered into `replies`; returns where the rest starts. */
function answer(input: Buffer, replies: Buffer[]): number {
  let position = 0;
  while (position < input.length) {
    const commandStart = position;
    let lineEnd = input.indexOf(10, position);
    if (lineEnd < 0) return commandStart;
    const count = Number(input.toString("latin1", position + 1, lineEnd - 1));
    position = lineEnd + 1;
    const args: Buffer[] = [];
    for (let index = 0; index < count; index++) {
      lineEnd = input.indexOf(10, position);
      if (lineEnd < 0) return commandStart;
      const length = Number(input.toString("latin1", position + 1, lineEnd - 1));
      position = lineEnd + 1;
      if (position + length + 2 > input.length) return commandStart;
      args.push(input.subarray(position, position + length));
      position += length + 2;
    }
    const name = args[0]?.toString("latin1").toLowerCase();
    const key = args[1]?.toString("latin1") ?? "";
    if (name === "set" && args[2] !== undefined) {
      values.set(key, Buffer.from(args[2]));
      replies.push(ok);
    } else if (name === "get") {
      const value = values.get(key);
      if (value === undefined) replies.push(nil);
      else replies.push(Buffer.from(`$${value.length}\r\n`), value, crlf);
    } else {
      // PING for readiness; anything else redis-benchmark sends at start (CONFIG GET) gets OK.
      replies.push(name === "ping" ? pong : ok);
    }
  }
  return position;
}

createServer((socket) => {
  socket.setNoDelay(true);
  let rest: Buffer | undefined;
  socket.on("data", (chunk: Buffer) => {
    const input = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
    const replies: Buffer[] = [];
    const consumed = answer(input, replies);
    rest = consumed < input.length ? input.subarray(consumed) : undefined;
    if (replies.length > 0) socket.write(Buffer.concat(replies));
  });
  socket.on("error", () => socket.destroy());
}).listen(Number(process.argv[2]), "127.0.0.1");
