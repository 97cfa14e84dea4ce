/**
 * Reads the reply shapes of docs/commands.md out of what ioredis hands back (strings, arrays,
 * null; integers as strings, because the connection sets `stringNumbers` so that INCR results
 * past 2^53 stay exact). Input from the network: nothing here throws; a shape or a number the
 * client does not expect is a `Parsed` failure naming what was wrong.
 */
import { type Offset, offset as toOffset } from "../core/types.js";
import type { CasResult, CommandAnswer, Value } from "./types.js";

export type Parsed<T> = { ok: true; value: T } | { ok: false; detail: string };

const parsed = <T>(value: T): Parsed<T> => ({ ok: true, value });
const failed = (detail: string): { ok: false; detail: string } => ({ ok: false, detail });

const decimal = /^-?(0|[1-9][0-9]*)$/;

export function describe(reply: unknown): string {
  const text = JSON.stringify(reply) ?? String(reply);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function parseBigInt(reply: unknown, what: string): Parsed<bigint> {
  const text = typeof reply === "number" ? String(reply) : reply;
  if (typeof text !== "string" || !decimal.test(text))
    return failed(`${what} is not an integer: ${describe(reply)}`);
  return parsed(BigInt(text));
}

export function parseCount(reply: unknown, what: string): Parsed<number> {
  const integer = parseBigInt(reply, what);
  if (!integer.ok) return integer;
  if (integer.value < 0n || integer.value > BigInt(Number.MAX_SAFE_INTEGER))
    return failed(`${what} is out of range: ${integer.value}`);
  return parsed(Number(integer.value));
}

export function parseOffset(reply: unknown, what: string): Parsed<Offset> {
  const count = parseCount(reply, what);
  return count.ok ? parsed(toOffset(count.value)) : count;
}

export function parseValue(reply: unknown): Parsed<Value> {
  if (reply === null || typeof reply === "string") return parsed(reply);
  if (Array.isArray(reply) && reply.every((item) => typeof item === "string"))
    return parsed(reply as string[]);
  return failed(`value is not a string, a list or nil: ${describe(reply)}`);
}

/** An array reply of exactly `length` items. */
export function parseTuple(reply: unknown, length: number): Parsed<unknown[]> {
  if (!Array.isArray(reply) || reply.length !== length)
    return failed(`expected an array of ${length}, got ${describe(reply)}`);
  return parsed(reply);
}

/** `OL.SET`: `[OK | nil, offset]`; true when the value was set (NX/XX met). */
export function parseSetReply(reply: unknown): Parsed<{ result: boolean; offset: Offset }> {
  const tuple = parseTuple(reply, 2);
  if (!tuple.ok) return tuple;
  const [result, offsetReply] = tuple.value;
  if (result !== "OK" && result !== null)
    return failed(`set result is not OK or nil: ${describe(result)}`);
  return withOffset(result === "OK", offsetReply);
}

/** `OL.APPEND`, `OL.DEL`: `[count, offset]`. */
export function parseCountReply(reply: unknown): Parsed<{ result: number; offset: Offset }> {
  const tuple = parseTuple(reply, 2);
  if (!tuple.ok) return tuple;
  const count = parseCount(tuple.value[0], "count");
  return count.ok ? withOffset(count.value, tuple.value[1]) : count;
}

/** `OL.INCR`: `[value, offset]`, the value exact in 64 bits. */
export function parseIncrReply(reply: unknown): Parsed<{ result: bigint; offset: Offset }> {
  const tuple = parseTuple(reply, 2);
  if (!tuple.ok) return tuple;
  const value = parseBigInt(tuple.value[0], "incr value");
  return value.ok ? withOffset(value.value, tuple.value[1]) : value;
}

/** `OL.CAS`: `[swapped, offset, current]`. */
export function parseCasReply(reply: unknown): Parsed<{ result: CasResult; offset: Offset }> {
  const tuple = parseTuple(reply, 3);
  if (!tuple.ok) return tuple;
  const [swapped, offsetReply, currentReply] = tuple.value;
  if (swapped !== "1" && swapped !== "0")
    return failed(`cas swapped is not 1 or 0: ${describe(swapped)}`);
  if (swapped === "1") return withOffset<CasResult>({ swapped: true }, offsetReply);
  const current = parseValue(currentReply);
  if (!current.ok) return current;
  return withOffset<CasResult>({ swapped: false, current: current.value }, offsetReply);
}

/** `OL.GET`: `[value, offset, version]`, version nil when the value is. */
export function parseGetReply(
  reply: unknown,
): Parsed<{ value: Value; offset: Offset; version: Offset | null }> {
  const tuple = parseTuple(reply, 3);
  if (!tuple.ok) return tuple;
  const [valueReply, offsetReply, versionReply] = tuple.value;
  const value = parseValue(valueReply);
  if (!value.ok) return value;
  const offset = parseOffset(offsetReply, "offset");
  if (!offset.ok) return offset;
  if (versionReply === null)
    return parsed({ value: value.value, offset: offset.value, version: null });
  const version = parseOffset(versionReply, "version");
  if (!version.ok) return version;
  return parsed({ value: value.value, offset: offset.value, version: version.value });
}

function withOffset<R>(result: R, offsetReply: unknown): Parsed<{ result: R; offset: Offset }> {
  const offset = parseOffset(offsetReply, "offset");
  return offset.ok ? parsed({ result, offset: offset.value }) : offset;
}

/**
 * EXEC's reply as ioredis hands it over: one `[null, reply]` or `[error]` per queued command, in
 * order; undefined for any other shape.
 */
export function parseExecReply(reply: unknown, count: number): CommandAnswer[] | undefined {
  if (!Array.isArray(reply) || reply.length !== count) return undefined;
  const answers: CommandAnswer[] = [];
  for (const pair of reply) {
    if (!Array.isArray(pair) || pair.length === 0 || pair.length > 2) return undefined;
    const [error, value] = pair as [unknown, unknown];
    answers.push(
      error instanceof Error
        ? { kind: "error", message: error.message }
        : { kind: "reply", reply: value },
    );
  }
  return answers;
}
