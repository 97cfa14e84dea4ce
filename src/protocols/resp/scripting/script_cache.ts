/**
 * A node's scripts by SHA1 and the interpreter they share, as Redis's script cache (eval.c):
 * EVAL and SCRIPT LOAD add a script that compiles, EVALSHA finds it, SCRIPT FLUSH empties the
 * cache. Each node keeps its own, as each Redis server does; clients (ioredis, node-redis) answer
 * NOSCRIPT by sending the script with EVAL.
 *
 * Scripts only ever sent with EVAL are kept in least-recently-used order and the oldest goes
 * past 500 of them, as Redis 8 does (redis/redis#13108): a client that builds a new script for
 * every call (values inside the text, not in ARGV) would otherwise fill the node's memory. A
 * script loaded with SCRIPT LOAD, or called by EVALSHA, stays until SCRIPT FLUSH.
 */
import { latin1 } from "../../../util/buffer_calls.js";
import type { Reply } from "../reply.js";
import { LuaEngine, sha1Hex } from "./lua_engine.js";

export interface CachedScript {
  readonly source: Buffer;
  readonly sha: string;
}

/** Scripts kept that only EVAL has sent, past which the least recently used goes. */
const evalScriptsMax = 500;

export class ScriptCache {
  private readonly sources = new Map<string, Buffer>();
  /**
   * The SHA1 of each kept script by its text: EVAL sends the whole script every time, and
   * finding its text in a map costs a fraction of hashing it again.
   */
  private readonly shaByText = new Map<string, string>();
  /** The scripts only EVAL has sent, least recently used first. */
  private readonly evalOnly = new Set<string>();
  private lua: LuaEngine | undefined;
  /** Scripts let go for the limit (INFO `evicted_scripts`). */
  evicted = 0;

  /** The interpreter, made at the first script; `version` is what redis.REDIS_VERSION says. */
  engine(version: string): LuaEngine {
    this.lua ??= new LuaEngine(version);
    return this.lua;
  }

  /**
   * Compiles and keeps `source` (`by`: the command that sent it); answers it with its SHA1, or
   * the compile error.
   */
  load(source: Buffer, version: string, by: "eval" | "load"): CachedScript | Reply {
    const sourceText = latin1(source);
    const sha = this.shaByText.get(sourceText) ?? sha1Hex(source);
    const known = this.sources.get(sha);
    if (known !== undefined) {
      // SCRIPT LOAD makes it stay; EVAL of a script only EVAL sent makes it the most recent.
      if (this.evalOnly.delete(sha) && by === "eval") this.evalOnly.add(sha);
      return { source: known, sha };
    }
    const failure = this.engine(version).compileError(source, sha);
    if (failure !== undefined) return failure;
    const kept = Buffer.from(source);
    this.sources.set(sha, kept);
    this.shaByText.set(sourceText, sha);
    if (by === "eval") this.keepForEval(sha);
    return { source: kept, sha };
  }

  /** EVALSHA's script (any case), if kept; from then on it stays, as SCRIPT LOAD's do. */
  take(sha: string): CachedScript | undefined {
    const script = this.find(sha);
    if (script !== undefined) this.evalOnly.delete(script.sha);
    return script;
  }

  /** The script with this SHA1 (any case), if kept. */
  find(sha: string): CachedScript | undefined {
    const lower = sha.toLowerCase();
    const source = this.sources.get(lower);
    return source === undefined ? undefined : { source, sha: lower };
  }

  flush(): void {
    this.sources.clear();
    this.shaByText.clear();
    this.evalOnly.clear();
    this.lua?.forget();
  }

  private keepForEval(sha: string): void {
    this.evalOnly.add(sha);
    for (const oldest of this.evalOnly) {
      if (this.evalOnly.size <= evalScriptsMax) break;
      this.evalOnly.delete(oldest);
      this.shaByText.delete(latin1(this.sources.get(oldest) as Buffer));
      this.sources.delete(oldest);
      this.lua?.forgetOne(oldest);
      this.evicted++;
    }
  }
}
