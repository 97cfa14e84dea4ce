/**
 * The kv state machine's language: the commands a record carries, the queries a read asks, and
 * their results. Keys and string values are JavaScript strings holding bytes one per char
 * (latin1), so binary keys and values pass through unchanged; the protocol edges convert.
 *
 * Commands follow Redis where Redis has the command (https://redis.io/docs/latest/commands/).
 * A key whose expiry is at or before the command's `nowMs` (the leader's batch timestamp) is
 * absent to that command, as Redis deletes a logically expired key when a command touches it.
 * A command that fails (an `error` result, or `not_applied`) changes nothing, but its record still
 * consumes its offset. Every time in a command is absolute and stamped by the leader before it
 * proposes (EX 10 becomes `expireAtMs` = leader now + 10000), so replicas decide alike.
 *
 * Type checks follow Redis: a command or query of one type on a key of another answers
 * `wrong_type` (-WRONGTYPE), except where Redis ignores the type (SET, DEL, EXISTS, TYPE, RENAME,
 * COPY, EXPIRE, PERSIST, TTL, MGET answers nil for a non-string).
 *
 * Sets and sorted sets are in set_ops.ts and zset_ops.ts.
 */
import type { Offset } from "../types.js";
import type { SetCommand, SetQuery } from "./set_ops.js";
import type { TransactionStep, WatchedKey } from "./transaction_ops.js";
import type { ScoredMember, ZsetCommand, ZsetQuery } from "./zset_ops.js";

export type Key = string;

/** One field of a hash and its value. */
export type HashField = readonly [field: string, value: string];

/**
 * A value as readers, snapshots and the wire see it: plain arrays, which MessagePack and deep
 * equality take as they are. The state machine holds lists, sets and sorted sets in persistent
 * trees instead (stored_value.ts) and converts at its edges: a `get` query and a snapshot cost
 * O(n) for such a value.
 *
 * A hash keeps its fields in insertion order, as a small Redis hash (listpack) does: HSET of a
 * new field appends it, HSET of an existing field replaces its value in place, HDEL removes it,
 * so HGETALL's order is the same on every replica. A set lists its members in byte order; a
 * sorted set its entries in rank order (by score, then member).
 */
export type Value =
  | { type: "string"; data: string }
  | { type: "list"; items: readonly string[] }
  | { type: "hash"; fields: readonly HashField[] }
  | { type: "set"; members: readonly string[] }
  | { type: "zset"; entries: readonly ScoredMember[] };

export type ValueType = Value["type"];

/**
 * EXPIRE's options (https://redis.io/docs/latest/commands/expire/): nx: only when the key has no
 * expiry; xx: only when it has one; gt: only when the new expiry is later (a key without expiry
 * counts as infinite, so gt never holds for it); lt: only when earlier (always holds for a key
 * without expiry). Redis accepts XX with GT or LT, and checks each flag given, so this is a list.
 */
export type ExpireCondition = "nx" | "xx" | "gt" | "lt";

/** The end of a list: LPUSH/LPOP work on the left (head), RPUSH/RPOP on the right (tail). */
export type ListSide = "left" | "right";

export type KvCommand =
  /**
   * SET. `condition` nx: only if absent; xx: only if present. `expireAtMs` is absolute, stamped
   * by the leader; absent means no expiry unless `keepTtl` (KEEPTTL keeps the key's current
   * expiry; giving both is a programmer error, as Redis rejects it as a syntax error). SET
   * replaces a value of any type. `returnOld` asks for the previous string value (SET ... GET),
   * and then a list or hash value is `wrong_type` and nothing is set.
   *
   * Results: `ok`; `old` when `returnOld`; `not_applied {current}` when the NX/XX condition
   * failed (with `returnOld` the face answers `current`, which is the old string or null, as
   * Redis answers GET's part even when the SET part is skipped); `error wrong_type`.
   */
  | {
      kind: "set";
      key: Key;
      value: string;
      condition?: "nx" | "xx";
      expireAtMs?: number;
      keepTtl?: boolean;
      returnOld?: boolean;
    }
  /**
   * DEL of keys that all live in one slot (at least one key); the result `count` counts keys that
   * existed, so a key named twice counts once, as in Redis. An expired key is deleted too, though
   * it does not count: a Redis leader expires a key by propagating a DEL of it, and that DEL must
   * remove it on every replica.
   */
  | { kind: "del"; keys: readonly Key[] }
  /**
   * INCRBY: the value must be a base-10 integer string in the signed 64-bit range (Redis
   * `string2ll`: no '+', no spaces, no leading zeros, not "-0"), else `not_integer`; a result
   * outside that range is `overflow`; absent counts as 0; the key keeps its expiry. `by` must be
   * in the signed 64-bit range (the face rejects anything else). Result: `integer`.
   */
  | { kind: "incr"; key: Key; by: bigint }
  /**
   * APPEND to a string value (absent counts as ""); the key keeps its expiry. Result: `count`,
   * the new length; `wrong_type`; `string_too_long` past 8 MiB (`stringBytesMax`).
   */
  | { kind: "append"; key: Key; value: string }
  /**
   * Compare-and-set (no Redis counterpart; for checker workloads): sets `value`, with no expiry,
   * when the key holds the string `expected`, or is absent when `expected` is null. A list or
   * hash never matches. Results: `ok`, or `not_applied {current}` with the value the compare saw.
   */
  | { kind: "cas"; key: Key; expected: string | null; value: string }
  /**
   * Appends one element to a list (created when absent; the key keeps its expiry, as RPUSH).
   * Result: `count`, the new length, or `wrong_type` on a string or hash.
   */
  | { kind: "listAppend"; key: Key; element: string }
  /**
   * SETRANGE: overwrites the string from byte `offsetBytes` (>= 0; the face rejects negatives),
   * padding with zero bytes ("\x00") when the string is shorter. An absent key counts as "";
   * an empty `value` writes nothing (and on an absent key creates nothing). The key keeps its
   * expiry. Result: `count`, the new length; `wrong_type`; `string_too_long` past 8 MiB.
   */
  | { kind: "setRange"; key: Key; offsetBytes: number; value: string }
  /**
   * INCRBYFLOAT: `by` and the stored value are read as Redis reads a float (`string2ld`:
   * decimal or hexadecimal with optional sign, fraction and exponent, or inf/infinity; no
   * spaces, not nan, no overflow or underflow to zero); otherwise `not_float`; a NaN or infinite
   * result is `nan_or_infinity`. The sum is computed and written exactly as Redis does on x86-64,
   * in the 80-bit long double and "%.17Lf" without trailing zeros (long_double.ts), so 10.5 + 0.1
   * is "10.6" and 300 + 0.1 is "300.10000000000000001", as in Redis. The key keeps its expiry.
   * Result: `float`.
   */
  | { kind: "incrByFloat"; key: Key; by: string }
  /** GETDEL: deletes a string key. Result: `old` (null when absent), or `wrong_type`. */
  | { kind: "getDel"; key: Key }
  /**
   * GETEX: answers a string key's value and changes its expiry: `expireAtMs` sets it (EX, PX,
   * EXAT, PXAT, all absolute here; at or before `nowMs` deletes the key, as Redis does), `persist`
   * removes it; neither: a plain GET that writes nothing. Giving both is a programmer error.
   * Result: `old` (null when absent, and then nothing changes), or `wrong_type`.
   */
  | { kind: "getEx"; key: Key; expireAtMs?: number; persist?: boolean }
  /**
   * MSET (at least one pair; a key named twice takes its last value). Every key loses its expiry,
   * as with SET. Result: `ok`.
   */
  | { kind: "mset"; pairs: readonly (readonly [key: Key, value: string])[] }
  /** MSETNX: sets every pair as MSET when none of the keys exists. Result: `count` 1 or 0. */
  | { kind: "msetNx"; pairs: readonly (readonly [key: Key, value: string])[] }
  /**
   * RENAME / RENAMENX (`nx`): moves the value and its expiry from `source` to `destination`,
   * replacing whatever `destination` held. Results: `ok` when renamed (RENAMENX answers 1);
   * `not_applied` (no `current`) when `nx` and the destination exists (RENAMENX answers 0);
   * `error no_such_key` when the source is absent. Renaming a key onto itself changes nothing
   * and answers `ok`, or `not_applied` with `nx`, as Redis answers OK / 0 (renameGenericCommand
   * in redis/src/db.c).
   */
  | { kind: "rename"; source: Key; destination: Key; nx?: boolean }
  /**
   * COPY (same database only): copies the value and its expiry. Results: `count` 1 when copied,
   * 0 when the source is absent or the destination exists without `replace`; `error
   * same_object` when source and destination are the same key (checked first, as copyCommand).
   */
  | { kind: "copy"; source: Key; destination: Key; replace?: boolean }
  /**
   * EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT with an absolute `expireAtMs`. Every condition given
   * must hold (see ExpireCondition). An `expireAtMs` at or before `nowMs` deletes the key, as
   * Redis does (checkAlreadyExpired). Result: `count` 1 when set (or deleted), 0 when the key is
   * absent or a condition failed.
   */
  | { kind: "expire"; key: Key; expireAtMs: number; conditions?: readonly ExpireCondition[] }
  /** PERSIST: removes a key's expiry. Result: `count` 1 when it had one, else 0. */
  | { kind: "persist"; key: Key }
  /** FLUSHALL / FLUSHDB (one database): deletes every key. Result: `ok`. */
  | { kind: "flushAll" }
  /**
   * PUBLISH (SPUBLISH with `shard`: a shard channel): changes no key. Each replica hands the message to its own subscribers as it applies
   * the record (KvStateMachine's `publish`), as a Redis replica delivers what its master
   * propagates. Result: `count`, the deliveries on this replica (0 without subscribers).
   */
  | { kind: "publish"; channel: string; message: string; shard?: boolean }
  /**
   * HSET / HMSET (at least one pair; a field named twice takes its last value). Creates the hash
   * when absent; the key keeps its expiry. `onlyNew` (HSETNX): a field that exists keeps its
   * value. Result: `count` of fields that were new, or `wrong_type`.
   */
  | { kind: "hset"; key: Key; pairs: readonly HashField[]; onlyNew?: boolean }
  /**
   * HDEL (at least one field). A hash left without fields is deleted, as Redis deletes an empty
   * aggregate. Result: `count` of fields removed (a field named twice counts once), or
   * `wrong_type`.
   */
  | { kind: "hdel"; key: Key; fields: readonly string[] }
  /**
   * HINCRBY: the field's value is read as INCR reads a string (absent counts as 0); otherwise
   * `hash_not_integer` ("ERR hash value is not an integer"); `overflow` past 64 bits. `by` must
   * be in the signed 64-bit range. Result: `integer`.
   */
  | { kind: "hincrBy"; key: Key; field: string; by: bigint }
  /**
   * HINCRBYFLOAT: the field's value and `by` are read and added in long double, as INCRBYFLOAT
   * does (absent counts as 0); a value that does not read is `hash_not_float` ("ERR hash value
   * is not a float"); a NaN or infinite sum is `nan_or_infinity`. The face refuses a `by` that is
   * no finite float. Result: `float`.
   */
  | { kind: "hincrByFloat"; key: Key; field: string; by: string }
  /**
   * LPUSH / RPUSH (`onlyIfExists`: LPUSHX / RPUSHX) of at least one element, each pushed in turn
   * (LPUSH a b c leaves c b a at the head). The key keeps its expiry. Result: `count`, the new
   * length (0 when `onlyIfExists` and the key is absent), or `wrong_type`.
   */
  | {
      kind: "push";
      key: Key;
      side: ListSide;
      elements: readonly string[];
      onlyIfExists?: boolean;
    }
  /**
   * LPOP / RPOP. Without `count`, pops one element; with `count` (>= 0; the face rejects
   * negatives), up to that many, in pop order. A list left empty is deleted. Result: `popped`
   * with the elements (empty for count 0 on an existing list), `elements` null when the key is
   * absent; or `wrong_type`.
   */
  | { kind: "pop"; key: Key; side: ListSide; count?: number }
  /**
   * LTRIM: keeps the elements from `start` to `stop`, both inclusive, counted from the end when
   * negative, as LRANGE reads them; a list left empty is deleted. Result: `ok`, also for an
   * absent key; or `wrong_type`.
   */
  | { kind: "ltrim"; key: Key; start: number; stop: number }
  /**
   * LSET: replaces the element at `index`, counted from the end when negative. Results: `ok`;
   * `error no_such_key` when the key is absent, `error index_out_of_range`; `wrong_type`.
   */
  | { kind: "lset"; key: Key; index: number; element: string }
  /**
   * LREM: removes the first `count` elements equal to `element` from the head (`count` > 0),
   * the last -`count` from the tail (`count` < 0), or all of them (0). A list left empty is
   * deleted. Result: `count` removed (0 when the key is absent); `wrong_type`.
   */
  | { kind: "lrem"; key: Key; count: number; element: string }
  /**
   * LINSERT: inserts `element` before (or `after`) the first element equal to `pivot`. Result:
   * `count`, the new length; 0 when the key is absent, -1 when no element is `pivot`;
   * `wrong_type`.
   */
  | { kind: "linsert"; key: Key; after: boolean; pivot: string; element: string }
  /**
   * LMPOP (and BLPOP, BRPOP, BLMPOP each time they try): pops up to `count` (>= 1) elements from
   * the first of `keys` that holds a list; a key of another type met before it is `wrong_type`.
   * Result: `poppedFrom` with the key and the elements; `popped` with null when no key is held.
   */
  | { kind: "lmpop"; keys: readonly Key[]; side: ListSide; count: number }
  /**
   * LMOVE / RPOPLPUSH (and BLMOVE, BRPOPLPUSH): pops an element from `source`'s `from` end and
   * pushes it at `destination`'s `to` end, atomically; the same key rotates the list. The
   * destination keeps its expiry, or has none when created. Result: `popped` with the element,
   * null when the source is absent; `wrong_type` when either key holds another type.
   */
  | { kind: "lmove"; source: Key; destination: Key; from: ListSide; to: ListSide }
  | SetCommand
  | ZsetCommand
  /**
   * EXEC: a MULTI transaction's steps, applied in order as one record, so no other command runs
   * between them and a replica applies all or none. A step's writes are seen by the steps after
   * it, and a read step answers at its place. A step that fails (`wrong_type`, ...) writes
   * nothing and the others still run, as in Redis. With `watched` (WATCH), nothing runs unless
   * every watched key still has the version WATCH saw (transaction_ops.ts). Results:
   * `transaction` with each step's result in order, or `aborted`.
   */
  | { kind: "exec"; steps: readonly TransactionStep[]; watched?: readonly WatchedKey[] };

/** A command a transaction step may carry: any but EXEC itself. */
export type StepCommand = Exclude<KvCommand, { kind: "exec" }>;

/**
 * Reads. Each is answered at one offset and one `nowMs` (StateMachine.query), so a read of many
 * keys (MGET, EXISTS, KEYS, SCAN) is one consistent view.
 */
export type KvQuery =
  /** The raw value and the offset that wrote it (GET's basis, OL.GET, the checker). */
  | { kind: "get"; key: Key }
  /** MGET: each key's string value, null when absent or not a string. Result: `strings`. */
  | { kind: "mget"; keys: readonly Key[] }
  /** STRLEN: `count`, 0 when absent; `wrong_type`. */
  | { kind: "strlen"; key: Key }
  /**
   * GETRANGE / SUBSTR with Redis's index rules (negative counts from the end, clamped, inclusive
   * end; getrangeCommand in redis/src/t_string.c). Result: `string` ("" when absent), or
   * `wrong_type`.
   */
  | { kind: "getRange"; key: Key; start: number; end: number }
  /** EXISTS / TOUCH: `count` of keys present, a key named twice counted twice. */
  | { kind: "exists"; keys: readonly Key[] }
  /** TYPE: `type`, "none" when absent. */
  | { kind: "type"; key: Key }
  /**
   * TTL / PTTL / EXPIRETIME / PEXPIRETIME: `ttl` with the remaining milliseconds at the query's
   * `nowMs` and the absolute expiry; both -1 when the key has no expiry, -2 when it is absent.
   */
  | { kind: "ttl"; key: Key }
  /** KEYS: `keys`, every present key matching the Redis glob `pattern`, in byte order. */
  | { kind: "keys"; pattern: string }
  /**
   * SCAN. Walks present keys in byte order after `cursor` ("0": from the start): visits up to
   * `count` (>= 1) of them, then keeps those matching `pattern` and of `type`, as Redis applies
   * MATCH and TYPE after fetching. Result: `scan` with the next cursor ("0" when the walk is
   * done). A cursor is the decimal number whose bytes are 0x01 then the last key visited, so a
   * walk resumes after that key whatever was written between calls: a key present throughout is
   * returned exactly once (Redis promises at least once). Cursors can be longer than 64 bits;
   * the face must accept any string of digits.
   */
  | { kind: "scan"; cursor: string; count: number; pattern?: string; type?: ValueType }
  /**
   * HSCAN, SSCAN, ZSCAN over the members of the value at `key`, which must be of `type`. A value
   * of at most `smallScanMembers` members is answered whole, in its own order (a hash's fields as
   * inserted, a set's members in byte order, a sorted set's by rank) with cursor "0", as Redis
   * answers a small (listpack or intset) value whatever COUNT says. A larger one is walked in
   * byte order of its members, `count` (>= 1) at a time, its cursor naming the last member
   * visited as SCAN's names a key. `pattern` keeps the members (fields) that match it. Result:
   * `memberScan`, each item a member with its field value (hash) or score (sorted set); cursor
   * "0" and no item when the key is absent; `wrong_type`.
   */
  | {
      kind: "memberScan";
      key: Key;
      type: "hash" | "set" | "zset";
      cursor: string;
      count: number;
      pattern?: string;
    }
  /** DBSIZE: `count` of present keys. */
  | { kind: "dbSize" }
  /**
   * INFO keyspace: `keyCounts`, the keys holding a value and those of them with an expiry,
   * whatever the reader's clock: as Redis counts its dicts (dictSize of `dict` and `expires`), a
   * key counts until a write deletes it, even past its expiry. O(log records held), as the state
   * machine keeps both counts per record (kv.ts).
   */
  | { kind: "keyCounts" }
  /**
   * RANDOMKEY: `key`, the present key at position `seed` modulo their number in byte order (null
   * when none), so that reads stay pure: the face draws the seed.
   */
  | { kind: "randomKey"; seed: number }
  /**
   * Keys whose value is held but whose expiry is at or before `nowMs`, in byte order, at most
   * `limit`: Redis's active expiry, which onelog does through the log (the leader proposes a
   * `del` of them, and replicas keep hiding them until it applies). Result: `keys`.
   */
  | { kind: "expiredKeys"; limit: number }
  /** HGET: `string`, null when the key or field is absent; `wrong_type`. */
  | { kind: "hget"; key: Key; field: string }
  /** HMGET: `strings`, null for each absent field; `wrong_type`. */
  | { kind: "hmget"; key: Key; fields: readonly string[] }
  /** HGETALL: `pairs` in the hash's field order, empty when absent; `wrong_type`. */
  | { kind: "hgetall"; key: Key }
  /** HEXISTS: `count` 1 or 0; `wrong_type`. */
  | { kind: "hexists"; key: Key; field: string }
  /** HLEN: `count`; `wrong_type`. */
  | { kind: "hlen"; key: Key }
  /** HKEYS: `strings`, the fields in order; `wrong_type`. */
  | { kind: "hkeys"; key: Key }
  /** HVALS: `strings`, the values in field order; `wrong_type`. */
  | { kind: "hvals"; key: Key }
  /**
   * LRANGE with Redis's index rules (negative counts from the end, inclusive `stop`;
   * lrangeCommand in redis/src/t_list.c). Result: `strings`, empty when absent; `wrong_type`.
   */
  | { kind: "lrange"; key: Key; start: number; stop: number }
  /** LLEN: `count`, 0 when absent; `wrong_type`. */
  | { kind: "llen"; key: Key }
  | SetQuery
  | ZsetQuery
  /** WATCH: what a key's version is, for an EXEC to compare (transaction_ops.ts). */
  | { kind: "watch"; key: Key }
  /**
   * EXEC of a transaction with no write: its reads answered at one offset, or `aborted` when a
   * watched key changed, as for the `exec` command.
   */
  | { kind: "multi"; queries: readonly StepQuery[]; watched?: readonly WatchedKey[] };

/** A query a transaction step may carry: a Redis read, not a transaction's own. */
export type StepQuery = Exclude<KvQuery, { kind: "multi" | "watch" | "expiredKeys" | "keyCounts" }>;

export type KvErrorCode =
  | "wrong_type"
  | "not_integer"
  | "overflow"
  /** INCRBYFLOAT: "ERR value is not a valid float". */
  | "not_float"
  /** INCRBYFLOAT: "ERR increment would produce NaN or Infinity". */
  | "nan_or_infinity"
  /** HINCRBY: "ERR hash value is not an integer". */
  | "hash_not_integer"
  /** HINCRBYFLOAT: "ERR hash value is not a float". */
  | "hash_not_float"
  /** RENAME and LSET of an absent key: "ERR no such key". */
  | "no_such_key"
  /** LSET past either end of the list: "ERR index out of range". */
  | "index_out_of_range"
  /** COPY onto itself: "ERR source and destination objects are the same". */
  | "same_object"
  /** SETRANGE, APPEND: "ERR string exceeds maximum allowed size (proto-max-bulk-len)". */
  | "string_too_long"
  /** ZADD INCR, ZINCRBY: "ERR resulting score is not a number (NaN)". */
  | "score_nan";

export type KvResult =
  | { kind: "ok" }
  /**
   * SET with a failed NX/XX condition, or a CAS whose compare failed (`current` set); RENAMENX
   * onto an existing key (`current` unset).
   */
  | { kind: "not_applied"; current?: Value | null }
  /** DEL: keys deleted; APPEND, listAppend, SETRANGE, LPUSH: the new length; and others. */
  | { kind: "count"; count: number }
  | { kind: "integer"; value: bigint }
  /** INCRBYFLOAT: the new value as stored and answered. */
  | { kind: "float"; value: string }
  /** SET ... GET, GETDEL, GETEX: the string value before the command (null when absent). */
  | { kind: "old"; value: string | null }
  /** LPOP / RPOP / SPOP: the popped elements; null when the key was absent. */
  | { kind: "popped"; elements: readonly string[] | null }
  /** LMPOP: the key popped from, and its elements in pop order. */
  | { kind: "poppedFrom"; key: Key; elements: readonly string[] }
  /** ZMPOP: the key popped from, and its entries in pop order. */
  | { kind: "zpoppedFrom"; key: Key; entries: readonly ScoredMember[] }
  /** ZADD INCR, ZINCRBY: the new score; null when a condition left the member unchanged. */
  | KvScoreResult
  /** ZPOPMIN / ZPOPMAX: the entries removed. */
  | KvScoredResult
  /** EXEC: each step's result, in order. */
  | KvTransactionResult
  /** EXEC with a watched key that changed: nothing ran. */
  | KvAbortedResult
  | { kind: "error"; code: KvErrorCode };

/**
 * `version` is the offset of the record that wrote the value read (absent when `value` is null),
 * so that a reader, a session or the checker can tell which write it saw.
 */
export type KvValueResult = { kind: "value"; value: Value | null; version?: Offset };
export type KvStringResult = { kind: "string"; value: string | null };
export type KvStringsResult = { kind: "strings"; values: readonly (string | null)[] };
export type KvPairsResult = { kind: "pairs"; pairs: readonly HashField[] };
export type KvCountResult = { kind: "count"; count: number };
export type KvTypeResult = { kind: "type"; type: ValueType | "none" };
export type KvTtlResult = { kind: "ttl"; remainingMs: number; expireAtMs: number };
export type KvKeysResult = { kind: "keys"; keys: readonly Key[] };
export type KvScanResult = { kind: "scan"; cursor: string; keys: readonly Key[] };
/** A member, with its field value (HSCAN) or score (ZSCAN). */
export type ScannedMember = readonly [member: string, value?: string | number];
export type KvMemberScanResult = {
  kind: "memberScan";
  cursor: string;
  items: readonly ScannedMember[];
};
export type KvKeyCountsResult = { kind: "keyCounts"; keys: number; expires: number };
export type KvKeyResult = { kind: "key"; key: Key | null };
export type KvWrongTypeResult = { kind: "error"; code: "wrong_type" };
export type KvCountsResult = { kind: "counts"; counts: readonly number[] };
export type KvSetsResult = { kind: "sets"; sets: readonly (readonly string[])[] };
export type KvScoreResult = { kind: "score"; score: number | null };
export type KvScoresResult = { kind: "scores"; scores: readonly (number | null)[] };
export type KvScoredResult = { kind: "scored"; entries: readonly ScoredMember[] };
export type KvRankResult = { kind: "rank"; rank: number | null; score: number | null };
export type KvTransactionResult = {
  kind: "transaction";
  results: readonly (KvResult | KvQueryResult)[];
};
export type KvAbortedResult = { kind: "aborted" };
export type KvWatchResult = { kind: "watched"; watched: WatchedKey };

/** What each query kind answers. */
export interface KvQueryResults {
  get: KvValueResult;
  mget: KvStringsResult;
  strlen: KvCountResult | KvWrongTypeResult;
  getRange: KvStringResult | KvWrongTypeResult;
  exists: KvCountResult;
  type: KvTypeResult;
  ttl: KvTtlResult;
  keys: KvKeysResult;
  scan: KvScanResult;
  memberScan: KvMemberScanResult | KvWrongTypeResult;
  dbSize: KvCountResult;
  keyCounts: KvKeyCountsResult;
  randomKey: KvKeyResult;
  expiredKeys: KvKeysResult;
  hget: KvStringResult | KvWrongTypeResult;
  hmget: KvStringsResult | KvWrongTypeResult;
  hgetall: KvPairsResult | KvWrongTypeResult;
  hexists: KvCountResult | KvWrongTypeResult;
  hlen: KvCountResult | KvWrongTypeResult;
  hkeys: KvStringsResult | KvWrongTypeResult;
  hvals: KvStringsResult | KvWrongTypeResult;
  lrange: KvStringsResult | KvWrongTypeResult;
  llen: KvCountResult | KvWrongTypeResult;
  smembers: KvStringsResult | KvWrongTypeResult;
  sismember: KvCountResult | KvWrongTypeResult;
  smismember: KvCountsResult | KvWrongTypeResult;
  scard: KvCountResult | KvWrongTypeResult;
  sets: KvSetsResult | KvWrongTypeResult;
  srandmember: KvStringsResult | KvWrongTypeResult;
  zscore: KvScoreResult | KvWrongTypeResult;
  zmscore: KvScoresResult | KvWrongTypeResult;
  zcard: KvCountResult | KvWrongTypeResult;
  zrank: KvRankResult | KvWrongTypeResult;
  zcount: KvCountResult | KvWrongTypeResult;
  zrange: KvScoredResult | KvWrongTypeResult;
  watch: KvWatchResult;
  multi: KvTransactionResult | KvAbortedResult;
}

/** The result of a query of kind `Kind`; `KvQueryResult` is the result of any query. */
export type KvQueryResultOf<Kind extends KvQuery["kind"]> = KvQueryResults[Kind];

export type KvQueryResult = KvQueryResults[KvQuery["kind"]];

/** One live key of a snapshot, with the offset of the record that wrote it. */
export interface KvSnapshotEntry {
  key: Key;
  value: Value;
  version: Offset;
  expireAtMs?: number;
}

/** The kv state as of `offset` (exclusive): every key live there, with its version. */
export interface KvSnapshot {
  offset: Offset;
  entries: KvSnapshotEntry[];
}

/**
 * The contract between a replica and its state machine. Records are applied at append, in offset
 * order, so a replica's local state includes records that are not yet committed; reads choose the
 * offset they see (MVCC), and a truncation rolls the state back exactly.
 */
export interface StateMachine {
  /** Exclusive bound of the applied prefix. */
  readonly appliedOffset: Offset;
  /** Offsets below this may no longer be read at (versions were collected). */
  readonly horizonOffset: Offset;
  /** Keys held: an upper bound of a snapshot's entries, what taking one costs. */
  readonly keyCount: number;
  /**
   * Applies the record at `offset` (must equal `appliedOffset`). `nowMs` is the batch's leader
   * timestamp, so every replica decides expiry the same way.
   */
  apply(offset: Offset, command: KvCommand, nowMs: number): KvResult;
  /** Advances `appliedOffset` over a record that carries no command (a leader's no-op). */
  skip(offset: Offset): void;
  /**
   * Answers `query` as of the state before `atOffset` (exclusive), treating values whose expiry
   * is at or before `nowMs` as absent. Requires horizonOffset <= atOffset <= appliedOffset.
   */
  query<Query extends KvQuery>(
    query: Query,
    atOffset: Offset,
    nowMs: number,
  ): KvQueryResultOf<Query["kind"]>;
  /**
   * Undoes every record at or after `fromOffset`; `appliedOffset` becomes `fromOffset`.
   * Requires horizonOffset <= fromOffset <= appliedOffset.
   */
  truncate(fromOffset: Offset): void;
  /**
   * The state as of `atOffset` (exclusive) — what a snapshot at that offset holds, so that the
   * log below it can be dropped. Requires horizonOffset <= atOffset <= appliedOffset.
   */
  snapshotAt(atOffset: Offset): KvSnapshot;
  /** Replaces the whole state by a snapshot's: applied offset and horizon become its offset. */
  restore(snapshot: KvSnapshot): void;
  /**
   * Forgets versions that no read at or above `belowOffset` can see; raises `horizonOffset` to
   * `belowOffset`. Requires horizonOffset <= belowOffset <= appliedOffset.
   */
  collectGarbage(belowOffset: Offset): void;
}
