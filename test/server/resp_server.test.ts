/**
 * The RESP listener over a fake Store, on a real loopback socket: pipelined replies in request
 * order (a slow write holds back the fast read behind it), HELLO 3 switching mid-pipeline,
 * protocol errors answered with Redis's text and the connection closed, QUIT, and arbitrary bytes
 * never taking the listener down.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { offset, type StoreWriteOutcome } from "../../src/api/index.js";
import { RespServer } from "../../src/server/resp_server.js";
import { FakeStore } from "../protocols/resp/commands/fake_store.js";
import { freePorts } from "./support/local_nodes.js";
import { exchange } from "./support/raw_exchange.js";

const encode = (...args: string[]): string =>
  `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")}`;

/** Writes `bytes` and closes the sending side; resolves when the connection is gone. */
function sendAndHangUp(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => socket.end(bytes));
    socket.on("data", () => {});
    socket.on("error", () => resolve());
    socket.on("close", () => resolve());
  });
}

describe("RESP listener", () => {
  const store = new FakeStore();
  let server: RespServer;
  let port: number;

  before(async () => {
    [port] = (await freePorts(1)) as [number];
    const facts = { version: "7.4.0", processId: 1, startedAtMs: Date.now(), appendOnly: true };
    server = new RespServer(store, facts, pino({ level: "silent" }), port);
    await server.listen("127.0.0.1");
  });
  after(() => server.close(100));

  it("answers a pipeline in order, in the protocol in force after each command", async () => {
    const realWrite = store.write.bind(store);
    // The first write is slow: the GET behind it must still be answered after it.
    store.write = async (command, concern) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      store.write = realWrite;
      return realWrite(command, concern);
    };
    const pipeline =
      encode("SET", "p", "1") + encode("GET", "p") + encode("HELLO", "3") + encode("GET", "none");
    const { text } = await exchange(port, pipeline);
    assert.ok(text.startsWith("+OK\r\n$1\r\n1\r\n%7\r\n"), text);
    assert.ok(text.endsWith("$7\r\nmodules\r\n*0\r\n_\r\n"), text);
  });

  it("a write whose reply fails to render answers -ERR and the pipeline goes on", async () => {
    // The Store's callback path (submitWrite), answered later with a result no reply fits.
    store.submitWrite = (command, concern, listener) => {
      store.submitWrite = undefined;
      store.writes.push({ command, concern });
      const odd = { kind: "ok", offset: offset(1), result: undefined } as const;
      setTimeout(() => listener.written(odd as unknown as StoreWriteOutcome), 10);
    };
    const { text } = await exchange(port, encode("SET", "k", "v") + encode("PING"));
    assert.equal(text, "-ERR internal error in 'set'\r\n+PONG\r\n");
  });

  it("runs consecutive pipelined writes together, and a read only after them", async () => {
    const realWrite = store.write.bind(store);
    let running = 0;
    let runningMax = 0;
    store.write = async (command, concern) => {
      running++;
      runningMax = Math.max(runningMax, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return realWrite(command, concern);
    };
    const pipeline =
      [1, 2, 3].map((n) => encode("SET", `c${n}`, `${n}`)).join("") + encode("GET", "c3");
    const { text } = await exchange(port, pipeline, { expectedBytes: 19 });
    store.write = realWrite;
    assert.equal(text, "+OK\r\n+OK\r\n+OK\r\n$1\r\n3\r\n");
    assert.equal(runningMax, 3, "the three SETs were in flight together");
  });

  it("answers a protocol error with Redis's text and closes the connection", async () => {
    const { text, closed } = await exchange(port, `${encode("PING")}*1\r\n$x\r\n${encode("PING")}`);
    assert.equal(text, "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
    assert.equal(closed, true);
  });

  it("closes after QUIT's +OK", async () => {
    const { text, closed } = await exchange(port, encode("QUIT") + encode("PING"));
    assert.equal(text, "+OK\r\n");
    assert.equal(closed, true);
  });

  it("survives arbitrary bytes", async () => {
    for (let round = 0; round < 100; round++) {
      await sendAndHangUp(port, randomBytes(1 + (round % 64) * 7));
    }
    const { text } = await exchange(port, encode("PING"), { expectedBytes: 7 });
    assert.equal(text, "+PONG\r\n");
  });
});
