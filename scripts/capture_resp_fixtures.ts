/**
 * Captures what real clients send, into testdata/resp/: ioredis 6 and node-redis 6 (their
 * RESP3 handshakes, SET with options, a pipelined batch) and redis-cli (`-3`, SET with options,
 * `--pipe`). A tiny listener on 127.0.0.1 answers just enough for each client to go on, using
 * this codec, and records every byte each connection sent. Not a test: run it by hand with
 *   npm run build && node dist/scripts/capture_resp_fixtures.js
 * then review the `.commands.txt` files (written by fixtures.test.ts with UPDATE_GOLDEN=1).
 */
import { execFile, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { Redis } from "ioredis";
import { createClient } from "redis";
import {
  type Reply,
  ReplyWriter,
  type RespProtocol,
  RespRequestDecoder,
  replies,
} from "../src/protocols/resp/index.js";

const { array, bulk, error, integer, map, nullReply, ok } = replies;
const directory = join(process.cwd(), "testdata", "resp");

/** Replies that satisfy the clients' handshakes and the commands the scenarios send. */
function answer(args: Buffer[], connection: { protocol: RespProtocol }): Reply {
  const name = args[0]!.toString().toUpperCase();
  const sub = args[1]?.toString().toUpperCase();
  switch (name) {
    case "HELLO":
      connection.protocol = sub === "3" ? 3 : 2;
      return map([
        [bulk("server"), bulk("redis")],
        [bulk("version"), bulk("7.4.0")],
        [bulk("proto"), integer(connection.protocol)],
        [bulk("id"), integer(1)],
        [bulk("mode"), bulk("standalone")],
        [bulk("role"), bulk("master")],
        [bulk("modules"), array([])],
      ]);
    case "INFO":
      return bulk("# Server\r\nredis_version:7.4.0\r\nloading:0\r\n");
    case "CLIENT":
      return sub === "MAINT_NOTIFICATIONS" ? error("ERR unknown subcommand") : ok;
    case "GET":
      return nullReply;
    case "INCR":
      return integer(1);
    case "ECHO": // redis-cli --pipe ends with ECHO <20 random bytes> and waits for them back
      return bulk(args[1] ?? Buffer.alloc(0));
    case "COMMAND":
      return array([]);
    default:
      return ok;
  }
}

/** Listens on 127.0.0.1, records each connection's bytes, answers with `answer`. */
function listen(): Promise<{ server: Server; port: number; sessions: Buffer[][] }> {
  const sessions: Buffer[][] = [];
  const server = createServer((socket: Socket) => {
    const received: Buffer[] = [];
    sessions.push(received);
    const decoder = new RespRequestDecoder();
    const connection = { protocol: 2 as RespProtocol };
    const writer = new ReplyWriter();
    socket.on("data", (chunk) => {
      received.push(Buffer.from(chunk));
      decoder.write(Buffer.from(chunk));
      let quit = false;
      for (let out = decoder.next(); out !== undefined; out = decoder.next()) {
        if (!Array.isArray(out)) {
          if (out.reply !== undefined) writer.write(error(out.reply), connection.protocol);
          quit = true;
          break;
        }
        writer.write(answer(out, connection), connection.protocol);
        if (out[0]!.toString().toUpperCase() === "QUIT") quit = true;
      }
      socket.write(writer.take());
      if (quit) socket.end();
    });
    socket.on("error", () => {});
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        server,
        port: typeof address === "object" && address ? address.port : 0,
        sessions,
      });
    }),
  );
}

async function capture(name: string, run: (port: number) => Promise<void> | void): Promise<void> {
  const { server, port, sessions } = await listen();
  await run(port);
  await new Promise((resolve) => setTimeout(resolve, 200));
  server.close();
  sessions.forEach((session, index) => {
    const file = join(directory, `${name}${sessions.length > 1 ? `_${index}` : ""}.bin`);
    writeFileSync(file, Buffer.concat(session));
    console.log(`${file}: ${Buffer.concat(session).length} bytes`);
  });
}

/** Runs a program without blocking the listener in this process. */
function run(program: string, args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(program, args, (failure) => (failure ? reject(failure) : resolve()));
    if (input !== undefined) child.stdin?.end(input);
  });
}

await capture("ioredis6", async (port) => {
  const client = new Redis({ port, host: "127.0.0.1", lazyConnect: true });
  await client.connect();
  await client.set("key", "value", "EX", 10, "NX");
  await client.pipeline().set("a", "1").get("a").incr("counter").exec();
  await client.quit();
});

await capture("node_redis6", async (port) => {
  const client = createClient({ url: `redis://127.0.0.1:${port}` });
  client.on("error", () => {});
  await client.connect();
  await client.set("key", "value", { expiration: { type: "EX", value: 10 }, condition: "NX" });
  await Promise.all([client.set("a", "1"), client.get("a"), client.incr("counter")]);
  client.destroy();
});

const cli = spawnSync("redis-cli", ["--version"]).status === 0;
if (cli) {
  await capture("redis_cli_resp3_set", (port) =>
    run("redis-cli", ["-3", "-p", String(port), "SET", "key", "value", "EX", "10", "NX"]),
  );
  await capture("redis_cli_pipe", (port) =>
    run("redis-cli", ["-p", String(port), "--pipe"], "SET a 1\r\nGET a\r\nINCR counter\r\n"),
  );
} else {
  console.log("redis-cli not installed: skipped (Debian package redis-tools)");
}
