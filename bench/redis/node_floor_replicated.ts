/**
 * The floor of the platform for replicated writes, not a product: the least Node.js processes
 * can do to acknowledge a SET only once a majority of them holds it, as Redis's `SET` + `WAIT 1
 * 0` does with one replica, and onelog's `w:"majority"` with three nodes. The leader parses RESP,
 * keeps values in a Map, forwards each chunk of commands to every follower as it came (Redis's
 * replication stream is the commands too), once per event-loop turn, and answers a chunk's
 * commands when enough followers have acknowledged them: with the leader, a majority (one of one
 * follower, one of two). A follower parses, keeps the values and acknowledges a running count
 * after each chunk. No log, no terms, no failover, no error handling: what it reaches bounds any
 * Node.js replicated store of as many processes.
 *
 * Run: node dist/bench/redis/node_floor_replicated.js leader <client port> <replication port>
 *        [<followers>, 1 if left out]
 *      node dist/bench/redis/node_floor_replicated.js follower <replication port>
 */
import { connect, createServer, type Socket } from "node:net";
import {
  type CommandView,
  commandStream,
  letterP,
  letterS,
  parseCommands,
  pong,
  ReplyBatch,
} from "./floor_resp.js";

const values = new Map<string, Buffer>();

/** Stores a SET and says whether the command was one. */
function applySet(view: CommandView): boolean {
  if (view.initial() !== letterS || view.count !== 3) return false;
  const value = Buffer.allocUnsafe(view.length(2));
  view.copy(2, value, 0);
  values.set(view.text(1), value);
  return true;
}

/** A client chunk's replies, written once the follower holds `end` SETs. */
interface Waiting {
  socket: Socket;
  end: number;
  reply: Buffer;
}

function leader(clientPort: number, replicationPort: number, followerCount: number): void {
  let forwarded = 0;
  let acknowledged = 0;
  let outgoing: Buffer[] = [];
  const waiting: Waiting[] = [];
  const followers: Socket[] = [];
  /** Each follower's last acknowledged count, by its place in `followers`. */
  const held: number[] = [];
  /** Followers that, with the leader, make a majority of the processes. */
  const needed = Math.floor((followerCount + 1) / 2);

  const flush = (): void => {
    if (outgoing.length > 0) {
      const chunk = Buffer.concat(outgoing);
      for (const follower of followers) follower.write(chunk);
    }
    outgoing = [];
  };
  const release = (): void => {
    while (waiting.length > 0 && (waiting[0] as Waiting).end <= acknowledged) {
      const { socket, reply } = waiting.shift() as Waiting;
      socket.write(reply);
    }
  };

  const clients = createServer((socket) => {
    socket.setNoDelay(true);
    let rest: Buffer | undefined;
    const batch = new ReplyBatch();
    socket.on("data", (chunk: Buffer) => {
      const input = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
      const consumed = parseCommands(input, (view) => {
        if (applySet(view)) forwarded++;
        if (view.initial() === letterP) batch.push(pong);
        else batch.ok();
      });
      rest = consumed < input.length ? input.subarray(consumed) : undefined;
      const reply = batch.take();
      if (reply === undefined) return;
      if (outgoing.length === 0) setImmediate(flush);
      outgoing.push(input.subarray(0, consumed));
      waiting.push({ socket, end: forwarded, reply });
      release();
    });
    socket.on("error", () => socket.destroy());
  });

  createServer((socket) => {
    socket.setNoDelay(true);
    const place = followers.push(socket) - 1;
    held[place] = 0;
    let line = "";
    socket.on("data", (chunk: Buffer) => {
      // Acknowledgements are `:<count>\r\n`; the last complete one counts.
      line += chunk.toString("latin1");
      const end = line.lastIndexOf("\r\n");
      if (end < 0) return;
      const start = line.lastIndexOf(":", end);
      held[place] = Number(line.slice(start + 1, end));
      line = line.slice(end + 2);
      acknowledged = [...held].sort((a, b) => b - a)[needed - 1] as number;
      release();
    });
    // Clients are taken once every follower is there to acknowledge their writes.
    if (followers.length === followerCount) clients.listen(clientPort, "127.0.0.1");
  }).listen(replicationPort, "127.0.0.1");
}

function follower(replicationPort: number): void {
  const socket = connect({ host: "127.0.0.1", port: replicationPort });
  socket.setNoDelay(true);
  let held = 0;
  const parse = commandStream((view) => {
    if (applySet(view)) held++;
  });
  socket.on("data", (chunk: Buffer) => {
    parse(chunk);
    socket.write(`:${held}\r\n`);
  });
  socket.on("error", () => setTimeout(() => follower(replicationPort), 100));
}

const [role, first, second, followerCount = "1"] = process.argv.slice(2);
if (role === "leader") leader(Number(first), Number(second), Number(followerCount));
else follower(Number(first));
