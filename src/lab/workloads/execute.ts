/**
 * Runs one lab operation through OnelogClient and turns its typed outcome into a history
 * completion (docs/history-format.md): `ok` happened; `fail` did not (a refusal, never sent, or a
 * read that got no answer) — except a cas whose compare failed, which is in the log and so keeps
 * its offset; `info` may or may not have happened (a write timed out or unknown after it was
 * sent). Read versions become exclusive bounds, as write offsets are (docs/commands.md).
 */
import type {
  EvalResult,
  OnelogClient,
  PopResult,
  ReadOptions,
  TransactionResult,
} from "../../client/index.js";
import type { WriteConcern } from "../../core/concern/index.js";
import type { Completion } from "../history.js";
import type { LabOperation, MicroOperation } from "./types.js";

export interface Executed {
  completion: Completion;
  /** A successful read's value, for the workload to build on. */
  readValue?: unknown;
}

type WriteOutcome = Awaited<ReturnType<OnelogClient["set"]>>;

export async function execute(
  client: OnelogClient,
  operation: LabOperation,
  write: WriteConcern,
  read: ReadOptions,
): Promise<Executed> {
  const value = operation.value;
  switch (operation.f) {
    case "read": {
      const outcome = await client.get(operation.key, read);
      if (outcome.kind !== "ok") {
        const why = outcome.kind === "rejected" ? outcome.reason : "timeout";
        return { completion: { type: "fail", value: null, error: why } };
      }
      return {
        completion: {
          type: "ok",
          value: outcome.value,
          offset: outcome.offset,
          version: outcome.version === null ? null : outcome.version + 1,
        },
        readValue: outcome.value,
      };
    }
    case "write":
      return {
        completion: writeCompletion(await client.set(operation.key, value as string, write), value),
      };
    case "list-append":
      return {
        completion: writeCompletion(
          await client.append(operation.key, operation.value, write),
          value,
        ),
      };
    case "cas": {
      const [expected, next] = operation.value;
      if (operation.script === true) return { completion: await scriptCas(client, operation) };
      const outcome = await client.cas(operation.key, expected, next, write);
      if (outcome.kind === "ok" && !outcome.result.swapped) {
        return {
          completion: { type: "fail", value, offset: outcome.offset, error: "compare failed" },
        };
      }
      return { completion: writeCompletion(outcome as WriteOutcome, value) };
    }
    case "txn":
      return { completion: await transaction(client, operation.value) };
    case "enqueue":
      return {
        completion: writeCompletion(
          await client.append(operation.key, operation.value, write),
          value,
        ),
      };
    case "dequeue":
      return { completion: await dequeue(client, operation.key) };
    case "drain":
      return { completion: await drain(client, operation.key) };
  }
}

/**
 * GET, compare, SET in one script: 1 when it set, 0 when the compare failed. The bank expects a
 * value it read, never an absent key, so the script compares with a value only.
 */
const casScript =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0";

/** The compare-and-set as a script; no offset, as EVAL answers none. */
async function scriptCas(
  client: OnelogClient,
  operation: Extract<LabOperation, { f: "cas" }>,
): Promise<Completion> {
  const [expected, next] = operation.value;
  const { value } = operation;
  if (expected === null)
    return { type: "fail", value, error: "a script cas needs a value to expect" };
  const outcome = await client.eval(casScript, [operation.key], [expected, next]);
  if (outcome.kind !== "ok") return writeCompletion(outcome, value);
  // The connection hands integers over as their decimal text.
  if (outcome.reply === "1") return { type: "ok", value };
  if (outcome.reply === "0") return { type: "fail", value, error: "compare failed" };
  return { type: "info", value, error: `EVAL answered ${JSON.stringify(outcome.reply)}` };
}

/** How long a dequeue blocks for an element before it completes with null. */
const dequeueWaitSeconds = 0.1;

/** BLPOP; one that got no answer may have popped an element: `info`, as a write. */
async function dequeue(client: OnelogClient, key: string): Promise<Completion> {
  const outcome = await client.blockingPop(key, dequeueWaitSeconds);
  if (outcome.kind === "ok") return { type: "ok", value: outcome.element };
  return writeCompletion(outcome, null);
}

/** LRANGE and DEL in one transaction: what was left, and none left for anyone else. */
async function drain(client: OnelogClient, key: string): Promise<Completion> {
  const outcome = await client.transaction([
    ["LRANGE", key, "0", "-1"],
    ["DEL", key],
  ]);
  if (outcome.kind === "aborted") return { type: "fail", value: null, error: "aborted" };
  if (outcome.kind !== "ok") return writeCompletion(outcome, null);
  const [left] = outcome.answers;
  if (left?.kind !== "reply" || !Array.isArray(left.reply)) {
    return { type: "info", value: null, error: `LRANGE answered ${JSON.stringify(left)}` };
  }
  return { type: "ok", value: left.reply as string[] };
}

/**
 * A transaction as GETs and SETs between MULTI and EXEC; its completion carries the values its
 * reads saw. One that only reads and got no answer had no effect: `fail`, as a read.
 */
async function transaction(client: OnelogClient, micro: MicroOperation[]): Promise<Completion> {
  const commands = micro.map((step) =>
    step[0] === "r" ? ["GET", step[1]] : ["SET", step[1], step[2]],
  );
  const outcome = await client.transaction(commands);
  if (outcome.kind === "aborted") return { type: "fail", value: micro, error: "aborted" };
  if (outcome.kind !== "ok") {
    const readsOnly = micro.every(([f]) => f === "r");
    const completion = writeCompletion(outcome, micro);
    return readsOnly ? { ...completion, type: "fail" } : completion;
  }
  const failed = outcome.answers.find((answer) => answer.kind === "error");
  // GET and SET of strings cannot fail; if one did, the others ran: nothing can be said of it.
  if (failed !== undefined) return { type: "info", value: micro, error: failed.message };
  const value = micro.map((step, index): MicroOperation => {
    if (step[0] === "w") return step;
    const answer = outcome.answers[index];
    const read = answer?.kind === "reply" && typeof answer.reply === "string" ? answer.reply : null;
    return ["r", step[1], read];
  });
  return { type: "ok", value };
}

function writeCompletion(
  outcome:
    | WriteOutcome
    | Awaited<ReturnType<OnelogClient["append"]>>
    | Awaited<ReturnType<OnelogClient["cas"]>>
    | Exclude<TransactionResult, { kind: "ok" | "aborted" }>
    | Exclude<PopResult, { kind: "ok" }>
    | Exclude<EvalResult, { kind: "ok" }>,
  value: unknown,
): Completion {
  switch (outcome.kind) {
    case "ok":
      return { type: "ok", value, offset: outcome.offset };
    case "rejected":
      return { type: "fail", value, error: outcome.reason };
    case "timeout":
      return { type: "info", value, error: `concern not met in time at offset ${outcome.offset}` };
    case "unknown":
      return { type: "info", value, error: `unknown: ${outcome.detail ?? "no reply"}` };
  }
}
