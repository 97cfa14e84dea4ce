/**
 * The set part of the kv language (https://redis.io/docs/latest/commands/?group=set,
 * redis/src/t_set.c): commands, queries and what they answer. A set's members are kept in byte
 * order (member_set.ts), which is the order every answer lists them in.
 *
 * Randomness: SPOP and SRANDMEMBER choose members at random in Redis. The kv machine is
 * replicated and every replica must choose alike, so the face draws a `seed` and the command or
 * query carries it: the members chosen are a pure function of the seed and the set. For SPOP the
 * seed is in the log record, so every replica (and a replay from disk) removes the same members.
 * The draw (setDraws in set_commands.ts): a seededRandom(seed) stream picks, for each member to
 * choose, an index in [0, n) into the members in byte order, n being the candidates left; a
 * choice without repetition removes the picked member from the candidates.
 */
import type { Key } from "./kv_ops.js";

/** SINTER, SUNION, SDIFF: of the sets in order, the difference being the first less the rest. */
export type SetAlgebra = "inter" | "union" | "diff";

/** The members `op` leaves of `sets` (each in byte order), in byte order. */
export function combineSets(op: SetAlgebra, sets: readonly (readonly string[])[]): string[] {
  const [first = [], ...others] = sets;
  if (op === "union") return [...new Set(sets.flat())].sort();
  const rest = others.map((members) => new Set(members));
  const keep = (member: string) =>
    op === "inter"
      ? rest.every((members) => members.has(member))
      : rest.every((members) => !members.has(member));
  return first.filter(keep);
}

export type SetCommand =
  /**
   * SADD (at least one member; a member named twice counts once). Creates the set when absent;
   * the key keeps its expiry. Result: `count` of members that were new, or `wrong_type`.
   */
  | { kind: "sadd"; key: Key; members: readonly string[] }
  /**
   * SREM (at least one member). A set left empty is deleted. Result: `count` of members removed,
   * or `wrong_type`.
   */
  | { kind: "srem"; key: Key; members: readonly string[] }
  /**
   * SINTERSTORE / SUNIONSTORE / SDIFFSTORE: the intersection, union or difference (the first set
   * less the others) of the sets at `keys`, an absent key being empty, written to `destination`
   * as a new set without expiry, replacing whatever it held; an empty result deletes it.
   * Result: `count`, the result's size; `wrong_type` when a source key holds another type.
   */
  | { kind: "setStore"; op: SetAlgebra; destination: Key; keys: readonly Key[] }
  /**
   * SMOVE: moves `member` from the set at `source` to the set at `destination` (created when
   * absent, keeping its expiry otherwise); a source left empty is deleted. Result: `count` 1 when
   * the member was in the source, else 0 (also when the keys are the same); `wrong_type` when
   * the source, or an existing destination, holds another type.
   */
  | { kind: "smove"; source: Key; destination: Key; member: string }
  /**
   * SPOP. Without `count`, removes one member chosen by `seed`; with `count` (>= 0; the face
   * rejects negatives), that many distinct members, or the whole set when it has no more (Redis
   * then answers the members in set order: here byte order). A set left empty is deleted.
   * Result: `popped` with the members in the order drawn, `elements` null when the key is
   * absent; or `wrong_type`.
   */
  | { kind: "spop"; key: Key; count?: number; seed: number };

export type SetQuery =
  /** SMEMBERS: `strings`, every member in byte order, empty when absent; `wrong_type`. */
  | { kind: "smembers"; key: Key }
  /** SISMEMBER: `count` 1 or 0; `wrong_type`. */
  | { kind: "sismember"; key: Key; member: string }
  /** SMISMEMBER: `counts`, 1 or 0 for each member named; `wrong_type`. */
  | { kind: "smismember"; key: Key; members: readonly string[] }
  /** SCARD: `count`, 0 when absent; `wrong_type`. */
  | { kind: "scard"; key: Key }
  /**
   * SINTER, SUNION, SDIFF, SINTERCARD: `sets`, each key's members in byte order (empty when
   * absent), read at one state; `wrong_type` when any key holds another type.
   */
  | { kind: "sets"; keys: readonly Key[] }
  /**
   * SRANDMEMBER (srandmemberWithCountCommand). Without `count`: one member chosen by `seed`
   * (none when absent). `count` >= 0: that many distinct members, or every member in byte
   * order when the set has no more; `count` < 0: -count members drawn with repetition. Result:
   * `strings` in the order drawn (empty when absent); `wrong_type`.
   */
  | { kind: "srandmember"; key: Key; count?: number; seed: number };
