/**
 * What each kv query answers: the dispatch to value_queries.ts, set_queries.ts and
 * zset_queries.ts (one key's value) and keyspace_queries.ts (keys, expiry, the whole keyspace). Queries are pure: everything they
 * depend on, the offset, the reader's clock and RANDOMKEY's seed, comes with them.
 */
import { unreachable } from "../../util/assert.js";
import {
  dbSize,
  exists,
  expiredKeys,
  type KeyspaceView,
  keyCounts,
  keys,
  randomKey,
  scan,
  ttl,
  type,
} from "./keyspace_queries.js";
import type { KvQuery, KvQueryResult, KvQueryResultOf } from "./kv_ops.js";
import { memberScan } from "./member_scan.js";
import { scard, sets, sismember, smembers, smismember, srandmember } from "./set_queries.js";
import { watchedKey, watchHolds } from "./transaction_ops.js";
import {
  get,
  getRange,
  hexists,
  hget,
  hgetall,
  hkeys,
  hlen,
  hmget,
  hvals,
  llen,
  lrange,
  mget,
  strlen,
} from "./value_queries.js";
import { zcard, zcount, zmscore, zrange, zrank, zscore } from "./zset_queries.js";

export type { KeyspaceView } from "./keyspace_queries.js";

export function answer(query: KvQuery, view: KeyspaceView): KvQueryResult {
  const liveAt = (key: string) => view.liveAt(key);
  switch (query.kind) {
    case "get":
      return get(query, liveAt);
    case "mget":
      return mget(query, liveAt);
    case "strlen":
      return strlen(query, liveAt);
    case "getRange":
      return getRange(query, liveAt);
    case "hget":
      return hget(query, liveAt);
    case "hmget":
      return hmget(query, liveAt);
    case "hgetall":
      return hgetall(query, liveAt);
    case "hexists":
      return hexists(query, liveAt);
    case "hlen":
      return hlen(query, liveAt);
    case "hkeys":
      return hkeys(query, liveAt);
    case "hvals":
      return hvals(query, liveAt);
    case "lrange":
      return lrange(query, liveAt);
    case "llen":
      return llen(query, liveAt);
    case "smembers":
      return smembers(query, liveAt);
    case "sets":
      return sets(query, liveAt);
    case "sismember":
      return sismember(query, liveAt);
    case "smismember":
      return smismember(query, liveAt);
    case "scard":
      return scard(query, liveAt);
    case "srandmember":
      return srandmember(query, liveAt);
    case "zscore":
      return zscore(query, liveAt);
    case "zmscore":
      return zmscore(query, liveAt);
    case "zcard":
      return zcard(query, liveAt);
    case "zrank":
      return zrank(query, liveAt);
    case "zcount":
      return zcount(query, liveAt);
    case "zrange":
      return zrange(query, liveAt);
    case "exists":
      return exists(query, view);
    case "type":
      return type(query, view);
    case "ttl":
      return ttl(query, view);
    case "keys":
      return keys(query, view);
    case "scan":
      return scan(query, view);
    case "memberScan":
      return memberScan(query, liveAt);
    case "dbSize":
      return dbSize(view);
    case "keyCounts":
      return keyCounts(view);
    case "randomKey":
      return randomKey(query, view);
    case "expiredKeys":
      return expiredKeys(query, view);
    case "watch":
      return {
        kind: "watched",
        watched: watchedKey(query.key, view.versionAt(query.key), view.nowMs),
      };
    case "multi":
      return readTransaction(query, view);
    default:
      return unreachable(query);
  }
}

/** EXEC of a transaction of reads only: each answered over one view, unless WATCH failed. */
function readTransaction(
  query: Extract<KvQuery, { kind: "multi" }>,
  view: KeyspaceView,
): KvQueryResultOf<"multi"> {
  if (!watchHolds(query.watched, (key) => view.versionAt(key), view.nowMs)) {
    return { kind: "aborted" };
  }
  return { kind: "transaction", results: query.queries.map((step) => answer(step, view)) };
}
