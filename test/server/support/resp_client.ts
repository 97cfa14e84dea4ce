/**
 * A minimal RESP client for the integration tests: one connection, commands answered in order,
 * every pending command failed when the connection drops (so a test knows exactly which writes
 * were acknowledged).
 */
import { connect, type Socket } from "node:net";
import {
  type Reply,
  type ReplyDecodeError,
  RespReplyDecoder,
} from "../../../src/protocols/resp/index.js";

export class TestRespClient {
  private readonly decoder = new RespReplyDecoder();
  private readonly pending: Array<{
    resolve: (reply: Reply) => void;
    reject: (error: Error) => void;
  }> = [];
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.decoder.write(chunk);
      for (let reply = this.decoder.next(); reply !== undefined; reply = this.decoder.next()) {
        if (isDecodeError(reply)) throw new Error(`bad reply: ${reply.message}`);
        this.pending.shift()?.resolve(reply);
      }
    });
    const fail = () => {
      this.closed = true;
      for (const waiter of this.pending.splice(0)) waiter.reject(new Error("connection closed"));
    };
    socket.on("close", fail);
    socket.on("error", fail);
  }

  static open(port: number): Promise<TestRespClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port }, () => {
        socket.off("error", reject);
        resolve(new TestRespClient(socket));
      });
      socket.once("error", reject);
    });
  }

  call(...args: string[]): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error("connection closed"));
    const parts = [`*${args.length}\r\n`];
    for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(parts.join(""));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

const isDecodeError = (value: Reply | ReplyDecodeError): value is ReplyDecodeError =>
  value.kind === "reply_decode_error";
