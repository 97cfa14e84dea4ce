/**
 * A node's scripts by SHA1 and the interpreter they share, as Redis's script cache (eval.c):
 * EVAL and SCRIPT LOAD add a script that compiles, EVALSHA finds it, SCRIPT FLUSH empties the
 * cache. Each node keeps its own, as each Redis server does; clients (ioredis, node-redis) answer
 * NOSCRIPT by sending the script with EVAL.
 */
import type { Reply } from "../reply.js";
import { LuaEngine, sha1Hex } from "./lua_engine.js";

export interface CachedScript {
  readonly source: Buffer;
  readonly sha: string;
}

export class ScriptCache {
  private readonly sources = new Map<string, Buffer>();
  private lua: LuaEngine | undefined;

  /** The interpreter, made at the first script; `version` is what redis.REDIS_VERSION says. */
  engine(version: string): LuaEngine {
    this.lua ??= new LuaEngine(version);
    return this.lua;
  }

  /** Compiles and keeps `source`; answers it with its SHA1, or the compile error. */
  load(source: Buffer, version: string): CachedScript | Reply {
    const sha = sha1Hex(source);
    const known = this.sources.get(sha);
    if (known !== undefined) return { source: known, sha };
    const failure = this.engine(version).compileError(source, sha);
    if (failure !== undefined) return failure;
    const kept = Buffer.from(source);
    this.sources.set(sha, kept);
    return { source: kept, sha };
  }

  /** The script with this SHA1 (any case), if kept. */
  find(sha: string): CachedScript | undefined {
    const lower = sha.toLowerCase();
    const source = this.sources.get(lower);
    return source === undefined ? undefined : { source, sha: lower };
  }

  flush(): void {
    this.sources.clear();
    this.lua?.forget();
  }
}
