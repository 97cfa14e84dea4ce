/**
 * A scripted RESP node for the client tests: a loopback TCP server that decodes commands with
 * onelog's own request decoder and answers whatever the test's script says — a reply, an error,
 * silence, or a dropped connection — and records every command it received.
 */
import { createServer, type Server, type Socket } from "node:net";
import {
  encodeReply,
  type Reply,
  RespRequestDecoder,
  replies,
} from "../../src/protocols/resp/index.js";

/** A reply, a reply after a delay (one command at a time only: replies must stay in order), silence, or a dropped connection. */
export type Answer = Reply | { delayMs: number; reply: Reply } | "hang" | "close";
export type Script = (args: string[], node: FakeNode) => Answer;

export class FakeNode {
  readonly received: string[][] = [];
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
    public script: Script,
  ) {}

  static async start(script: Script): Promise<FakeNode> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    const node = new FakeNode(server, address.port, script);
    server.on("connection", (socket) => node.serve(socket));
    return node;
  }

  get endpoint(): { host: string; port: number } {
    return { host: "127.0.0.1", port: this.port };
  }

  /** The commands received, without their arguments. */
  get names(): string[] {
    return this.received.map((args) => args[0] as string);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => undefined);
    const decoder = new RespRequestDecoder();
    socket.on("data", (chunk) => {
      decoder.write(chunk);
      for (let command = decoder.next(); command !== undefined; command = decoder.next()) {
        if (!Array.isArray(command)) return socket.destroy();
        const args = command.map((arg) => arg.toString("utf8"));
        this.received.push(args);
        const answer = this.script(args, this);
        if (answer === "close") return socket.destroy();
        if (answer === "hang") continue;
        if ("delayMs" in answer) {
          setTimeout(() => socket.write(encodeReply(answer.reply, 2)), answer.delayMs);
        } else socket.write(encodeReply(answer, 2));
      }
    });
  }
}

/** Reply builders for the shapes of docs/commands.md. */
export const reply = {
  ...replies,
  /** `[OK, offset]` */
  setOk: (offset: number): Reply => replies.array([replies.ok, replies.integer(offset)]),
  /** `[value, offset, version]` */
  get: (value: string | string[] | null, offset: number, version: number | null): Reply =>
    replies.array([
      Array.isArray(value) ? replies.array(value.map(replies.bulk)) : replies.bulk(value),
      replies.integer(offset),
      version === null ? replies.bulk(null) : replies.integer(version),
    ]),
  status: (fields: Record<string, string | number>): Reply =>
    replies.array(
      Object.entries(fields).flatMap(([name, value]) => [
        replies.bulk(name),
        typeof value === "number" ? replies.integer(value) : replies.bulk(value),
      ]),
    ),
};

/** The value of `name` in a command's arguments (`AFTER 7` → "7"). */
export function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index < 0 ? undefined : args[index + 1];
}
