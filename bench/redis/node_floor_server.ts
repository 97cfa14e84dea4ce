/**
 * The floor of the platform, not a product: the least a Node.js process can do to answer
 * redis-benchmark's SET and GET — parse RESP arrays of bulk strings, keep values in a Map, write
 * each chunk's replies at once — with no log, no replication and no error handling. What it
 * reaches against Redis on the same machine bounds what any Node.js Redis server can reach.
 *
 * Run: node dist/bench/redis/node_floor_server.js <port>
 */
import { createServer } from "node:net";
import { commandStream, ok, pong } from "./floor_resp.js";

const values = new Map<string, Buffer>();
const nil = Buffer.from("$-1\r\n");
const crlf = Buffer.from("\r\n");

createServer((socket) => {
  socket.setNoDelay(true);
  let replies: Buffer[] = [];
  const parse = commandStream((args) => {
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
  });
  socket.on("data", (chunk: Buffer) => {
    parse(chunk);
    if (replies.length > 0) socket.write(Buffer.concat(replies));
    replies = [];
  });
  socket.on("error", () => socket.destroy());
}).listen(Number(process.argv[2]), "127.0.0.1");
