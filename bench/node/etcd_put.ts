/**
 * The etcd load: `POST /v3/kv/put` through the v3 HTTP/JSON gateway of the leader, key and value
 * base64 as the gateway wants, over keep-alive connections (one per outstanding request).
 */
import { keepAliveAgent, postJson } from "./http_json.js";
import { type Operation, randomKey } from "./load.js";

export function etcdPut(
  leaderUrl: URL,
  concurrency: number,
  value: string,
): { operation: Operation; close: () => void } {
  const agent = keepAliveAgent(concurrency);
  const url = new URL("/v3/kv/put", leaderUrl);
  const value64 = Buffer.from(value).toString("base64");
  const operation: Operation = async () => {
    const key64 = Buffer.from(randomKey()).toString("base64");
    const reply = (await postJson(agent, url, `{"key":"${key64}","value":"${value64}"}`)) as {
      header?: { revision?: string };
    };
    if (reply.header?.revision === undefined)
      throw new Error(`put answered ${JSON.stringify(reply)}`);
  };
  return { operation, close: () => agent.destroy() };
}
