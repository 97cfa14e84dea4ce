/**
 * A node's scripts by SHA1, as Redis's script cache (eval.c): EVAL and SCRIPT LOAD add, EVALSHA
 * finds, SCRIPT FLUSH empties. Each node keeps its own, as each Redis server does; clients
 * (ioredis, node-redis) answer NOSCRIPT by sending the script with EVAL.
 */
import { LuaEngine, sha1Hex } from "./lua_engine.js";

export class ScriptCache {
  private readonly sources = new Map<string, Buffer>();
  private lua: LuaEngine | undefined;

  /** The interpreter, made at the first script. */
  engine(version: string): LuaEngine {
    this.lua ??= new LuaEngine(version);
    return this.lua;
  }

  /** Keeps `source`; answers its SHA1. */
  add(source: Buffer): string {
    const sha = sha1Hex(source);
    if (!this.sources.has(sha)) this.sources.set(sha, Buffer.from(source));
    return sha;
  }

  /** The script with this SHA1 (any case), if kept. */
  find(sha: string): Buffer | undefined {
    return this.sources.get(sha.toLowerCase());
  }

  flush(): void {
    this.sources.clear();
  }

  get count(): number {
    return this.sources.size;
  }
}
