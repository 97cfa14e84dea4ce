/**
 * The onelog load: `OL.SET key value W majority` to the leader, one connection per outstanding
 * request, by two generators: ioredis (what an application would use) and a raw socket with
 * onelog's own RESP codec (the least client overhead). Both check every reply is `[OK, offset]`.
 */
import { connect, type Socket } from "node:net";
import { Redis } from "ioredis";
import { RespReplyDecoder } from "../../src/protocols/resp/index.js";
import { type Operation, randomKey } from "./load.js";

export interface Load {
  operation: Operation;
  close: () => void;
}

export type Generator = "ioredis" | "raw";

export function onelogSet(
  generator: Generator,
  port: number,
  concurrency: number,
  value: string,
): Promise<Load> {
  return generator === "ioredis"
    ? ioredisLoad(port, concurrency, value)
    : rawLoad(port, concurrency, value);
}

async function ioredisLoad(port: number, concurrency: number, value: string): Promise<Load> {
  const connections = Array.from(
    { length: concurrency },
    () =>
      new Redis({
        host: "127.0.0.1",
        port,
        protocol: 2,
        enableReadyCheck: false,
        disableClientInfo: true,
        lazyConnect: true,
      }),
  );
  await Promise.all(connections.map((connection) => connection.connect()));
  const operation: Operation = async (worker) => {
    const reply = await (connections[worker] as Redis).call(
      "OL.SET",
      randomKey(),
      value,
      "W",
      "majority",
    );
    if (!Array.isArray(reply) || reply[0] !== "OK")
      throw new Error(`OL.SET answered ${JSON.stringify(reply)}`);
  };
  return {
    operation,
    close: () => {
      for (const connection of connections) connection.disconnect();
    },
  };
}

/** One socket, its reply decoder, and the requests waiting for replies in order. */
class RawConnection {
  private readonly decoder = new RespReplyDecoder();
  private readonly waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.received(chunk));
    socket.on("error", (error) => this.failAll(error));
    socket.on("close", () => this.failAll(new Error("connection closed")));
  }

  send(command: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(command);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private received(chunk: Buffer): void {
    this.decoder.write(chunk);
    for (let reply = this.decoder.next(); reply !== undefined; reply = this.decoder.next()) {
      const request = this.waiting.shift();
      if (request === undefined) return this.failAll(new Error("a reply nobody asked for"));
      const first = reply.kind === "array" ? reply.items?.[0] : undefined;
      if (first?.kind === "simple" && first.value === "OK") request.resolve();
      else request.reject(new Error(`OL.SET answered ${JSON.stringify(reply)}`));
    }
  }

  private failAll(error: Error): void {
    for (const request of this.waiting.splice(0)) request.reject(error);
  }
}

async function rawLoad(port: number, concurrency: number, value: string): Promise<Load> {
  const connections = await Promise.all(
    Array.from(
      { length: concurrency },
      () =>
        new Promise<RawConnection>((resolve, reject) => {
          const socket = connect(port, "127.0.0.1", () => resolve(new RawConnection(socket)));
          socket.once("error", reject);
        }),
    ),
  );
  const operation: Operation = (worker) =>
    (connections[worker] as RawConnection).send(
      encodeCommand(["OL.SET", randomKey(), value, "W", "majority"]),
    );
  return {
    operation,
    close: () => {
      for (const connection of connections) connection.close();
    },
  };
}

function encodeCommand(args: readonly string[]): Buffer {
  let text = `*${args.length}\r\n`;
  for (const arg of args) text += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return Buffer.from(text);
}
