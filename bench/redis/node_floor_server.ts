/**
 * The floor of the platform, not a product: the least a Node.js process can do to answer
 * redis-benchmark's SET and GET — parse RESP arrays of bulk strings, keep values in a Map, write
 * each chunk's replies at once — with no log, no replication and no error handling. A value is
 * kept as its GET reply (`$<length>\r\n<bytes>\r\n`), as a server tuned for speed could. What it
 * reaches against Redis on the same machine bounds what any Node.js Redis server can reach.
 *
 * Run: node dist/bench/redis/node_floor_server.js <port>
 */
import { createServer } from "node:net";
import {
  type CommandView,
  commandStream,
  letterG,
  letterP,
  letterS,
  pong,
  ReplyBatch,
} from "./floor_resp.js";

const replies = new Map<string, Buffer>();
const nil = Buffer.from("$-1\r\n");

/** A SET's value as the bulk reply GET will answer, its header written digit by digit. */
function bulkReply(view: CommandView): Buffer {
  const length = view.length(2);
  let digitCount = 1;
  for (let rest = length; rest >= 10; rest = Math.floor(rest / 10)) digitCount++;
  const reply = Buffer.allocUnsafe(digitCount + length + 5);
  reply[0] = 36; // $
  for (let rest = length, index = digitCount; index >= 1; index--, rest = Math.floor(rest / 10)) {
    reply[index] = 48 + (rest % 10);
  }
  reply[digitCount + 1] = 13;
  reply[digitCount + 2] = 10;
  view.copy(2, reply, digitCount + 3);
  reply[reply.length - 2] = 13;
  reply[reply.length - 1] = 10;
  return reply;
}

createServer((socket) => {
  socket.setNoDelay(true);
  const batch = new ReplyBatch();
  const parse = commandStream((view) => {
    const initial = view.initial();
    if (initial === letterS && view.count === 3) {
      replies.set(view.text(1), bulkReply(view));
      batch.ok();
    } else if (initial === letterG && view.count === 2) {
      batch.push(replies.get(view.text(1)) ?? nil);
    } else if (initial === letterP) {
      batch.push(pong); // readiness
    } else {
      batch.ok(); // anything else redis-benchmark sends at start (CONFIG GET)
    }
  });
  socket.on("data", (chunk: Buffer) => {
    parse(chunk);
    const reply = batch.take();
    if (reply !== undefined) socket.write(reply);
  });
  socket.on("error", () => socket.destroy());
}).listen(Number(process.argv[2]), "127.0.0.1");
