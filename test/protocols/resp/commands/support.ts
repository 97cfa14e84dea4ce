/** Runs RESP commands against a FakeStore and renders the reply as the wire bytes, for tests. */
import {
  type CommandContext,
  dispatch,
  newSession,
  ServerState,
} from "../../../../src/protocols/resp/commands/index.js";
import { encodeReply, type RespProtocol } from "../../../../src/protocols/resp/index.js";
import { FakeStore } from "./fake_store.js";

export const nowMs = 1_000_000;

export function context(
  store = new FakeStore(),
  protocol: RespProtocol = 2,
  state = new ServerState({ appendOnly: true, port: 7379, bind: "127.0.0.1", dir: "/data" }),
): CommandContext {
  const session = newSession(7, state.requirePassword === "");
  session.protocol = protocol;
  return {
    store,
    session,
    // Deliveries are the hub's tests' (pubsub_hub.test.ts) and the server's.
    subscriber: { session, push: () => {} },
    server: {
      version: "7.4.0",
      processId: 42,
      tcpPort: 7379,
      startedAtMs: nowMs - 5000,
      appendOnly: true,
    },
    state,
    nowMs: () => nowMs,
  };
}

/** The reply's bytes as text, in the session's protocol after the command ran. */
export async function run(target: CommandContext, ...args: string[]): Promise<string> {
  const reply = await dispatch(
    args.map((arg) => Buffer.from(arg, "latin1")),
    target,
  );
  return encodeReply(reply, target.session.protocol).toString("latin1");
}

/** Runs the command on a fresh store in RESP2 and in RESP3; returns both renderings. */
export async function both(
  prepare: (store: FakeStore) => void,
  ...args: string[]
): Promise<[string, string]> {
  const results: string[] = [];
  for (const protocol of [2, 3] as const) {
    const store = new FakeStore();
    prepare(store);
    results.push(await run(context(store, protocol), ...args));
  }
  return results as [string, string];
}
