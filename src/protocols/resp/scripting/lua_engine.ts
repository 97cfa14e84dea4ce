/**
 * The Lua interpreter scripts run in (fengari: Lua 5.3 in JavaScript, byte-exact strings), set
 * up as Redis sets up its own (redis/src/script_lua.c, eval.c): the base, table, string and math
 * libraries without file access or printing; `unpack` as in Lua 5.1; `cjson` and `bit`
 * (lua_cjson.ts, lua_bit.ts); the `redis` library
 * (call, pcall, error_reply, status_reply, sha1hex, log, setresp, set_repl, replicate_commands
 * and their constants); a global table that cannot be changed (`Attempt to modify a readonly
 * table`) and reads of an undefined global refused, as Redis 7 refuses both.
 *
 * Each run gets its own environment holding KEYS and ARGV, on a thread kept from the last run
 * that returned; runs never overlap (script_batches.ts). A run past `timeLimitMs`,
 * killed by SCRIPT KILL, or running while the heap nears V8's limit is stopped (decision 0020: a
 * script writes nothing before it ends, so stopping it loses nothing).
 */
import { createHash } from "node:crypto";
import { getHeapStatistics } from "node:v8";
import fengari, { type LuaState } from "fengari";
import { assert } from "../../../util/assert.js";
import { error, nullReply, type Reply } from "../reply.js";
import { formatG } from "./c_format.js";
import { openBit } from "./lua_bit.js";
import { openCjson } from "./lua_cjson.js";
import { numberArgument, pushReply, replyOf, stringField } from "./lua_values.js";

const { lua, lauxlib, lualib, to_luastring } = fengari;

/** Runs one redis.call: its answer, or a promise of it when the command must wait. */
export type ScriptCall = (args: Buffer[]) => Reply | Promise<Reply>;

const userScript = to_luastring("@user_script");
const errField = to_luastring("err");
const lineInfo = to_luastring("Sl");
/** Instructions between two looks at the clock. */
const hookInstructions = 10_000;
/** Longest a script runs before the node's other work gets a turn. */
const sliceMs = 10;
/**
 * Whether the JavaScript heap is within a quarter of V8's limit, or 128 MiB of it (the young
 * generation's reserve counts in the limit but not in what the old one may hold): a running
 * script is then stopped, not the node. Looked at once a slice, not per instruction.
 */
function heapNearlyFull(): boolean {
  const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
  return limit - used < Math.max(128 * 2 ** 20, limit / 4);
}

const libraryChunk = `
local call, pcall, sha1hex, version, versionNumber, numberText = ...
local redis = {call = call, pcall = pcall}
function redis.error_reply(message)
  if type(message) ~= "string" then error("wrong number or type of arguments", 2) end
  return {err = message}
end
function redis.status_reply(message)
  if type(message) ~= "string" then error("wrong number or type of arguments", 2) end
  return {ok = message}
end
function redis.sha1hex(text)
  if type(text) ~= "string" and type(text) ~= "number" then
    error("wrong number or type of arguments", 2)
  end
  return sha1hex(tostring(text))
end
function redis.log(level, ...) end
function redis.setresp(protocol)
  if protocol ~= 2 then error("onelog: scripts speak RESP2 only (redis.setresp(2))", 2) end
end
function redis.set_repl(flags) end
function redis.replicate_commands() return true end
function redis.breakpoint() return false end
function redis.debug(...) end
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3
redis.REDIS_VERSION, redis.REDIS_VERSION_NUM = version, versionNumber
_G.redis = redis
_G.unpack = table.unpack
-- Lua 5.1 prints every number as %.14g: 3.0 as 3, where 5.3 says 3.0.
local rawtostring = tostring
_G.tostring = function(value)
  if math.type(value) == "float" then return numberText(value) end
  return rawtostring(value)
end
_G.dofile, _G.loadfile, _G.print = nil, nil, nil
setmetatable(_G, {
  __newindex = function() error("Attempt to modify a readonly table", 2) end,
  __index = function(_, name)
    error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
  end,
})
`;

/** The metatable of a run's environment: every name but KEYS and ARGV from the read-only globals. */
const environmentMetatableChunk = `
return {
  __index = _G,
  __newindex = function() error("Attempt to modify a readonly table", 2) end,
}
`;
const keysField = to_luastring("KEYS");
const argvField = to_luastring("ARGV");

export const sha1Hex = (source: Buffer | string): string =>
  createHash("sha1").update(source).digest("hex");

/** A run's reply; `stopped`: it ran past its time limit or was killed, and its writes must not stand. */
export interface ScriptResult {
  readonly reply: Reply;
  readonly stopped: boolean;
}

interface Run {
  /** The answer a yielded redis.call waits for. */
  waiting: Promise<Reply> | undefined;
  readonly call: ScriptCall;
  readonly deadlineMs: number;
  /** Why the run was stopped (its thread yielded for good), if it was. */
  stopped: "time limit" | "killed" | "memory" | undefined;
  /** The run yielded at the end of a slice, to be resumed in a later turn. */
  paused: boolean;
  /** SCRIPT KILL asked for it. */
  killed: boolean;
  sliceStartMs: number;
  /** The script returned: its thread may start the next run. */
  finished: boolean;
}

/** A thread for runs, anchored in the registry. */
interface Thread {
  readonly state: LuaState;
  readonly anchor: number;
}

export class LuaEngine {
  private readonly main: LuaState;
  /** The run under way: a node's runs never overlap (script_batches.ts). */
  private current: Run | undefined;
  /** A thread whose last run returned, ready for the next. */
  private idle: Thread | undefined;
  private readonly environmentMetatable: number;
  /** Each script's compiled function in the registry, by SHA1. */
  private readonly compiled = new Map<string, number>();

  constructor(version: string) {
    const state = lauxlib.luaL_newstate();
    this.main = state;
    const libraries = [
      ["_G", lualib.luaopen_base],
      ["table", lualib.luaopen_table],
      ["string", lualib.luaopen_string],
      ["math", lualib.luaopen_math],
    ] as const;
    for (const [name, open] of libraries) {
      lauxlib.luaL_requiref(state, to_luastring(name), open, 1);
      lua.lua_pop(state, 1);
    }
    openCjson(state);
    openBit(state);
    this.check(
      lauxlib.luaL_loadbuffer(
        state,
        to_luastring(environmentMetatableChunk),
        null,
        to_luastring("=env"),
      ),
    );
    this.check(lua.lua_pcall(state, 0, 1, 0));
    this.environmentMetatable = lauxlib.luaL_ref(state, lua.LUA_REGISTRYINDEX);
    this.check(
      lauxlib.luaL_loadbuffer(state, to_luastring(libraryChunk), null, to_luastring("=redis")),
    );
    // JavaScript functions, not Lua wrappers: `return redis.call(...)` keeps the script's frame
    // (and so its line for errors) only when the callee is not a Lua function.
    lua.lua_pushcfunction(state, (thread) => this.call(thread, true));
    lua.lua_pushcfunction(state, (thread) => this.call(thread, false));
    lua.lua_pushcfunction(state, (thread) => {
      lua.lua_pushstring(thread, to_luastring(sha1Hex(Buffer.from(lua.lua_tolstring(thread, 1)))));
      return 1;
    });
    const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
    lua.lua_pushstring(state, to_luastring(version));
    lua.lua_pushinteger(state, (major << 16) | (minor << 8) | patch);
    lua.lua_pushcfunction(state, (thread) => {
      lua.lua_pushstring(thread, to_luastring(formatG(lua.lua_tonumber(thread, 1), 14)));
      return 1;
    });
    this.check(lua.lua_pcall(state, 6, 0, 0));
  }

  /** Undefined when `source` compiles, else Redis's compile error. */
  compileError(source: Buffer, sha: string): Reply | undefined {
    const compiled = this.compile(source, sha);
    return typeof compiled === "number" ? undefined : compiled;
  }

  /**
   * SCRIPT KILL: stops the script under way, if any, at its next look at the clock; it writes
   * nothing, as no script has written before it ends (decision 0020). Answers whether one ran.
   */
  kill(): boolean {
    if (this.current === undefined) return false;
    this.current.killed = true;
    return true;
  }

  /** Drops one compiled script (the cache let it go). */
  forgetOne(sha: string): void {
    const reference = this.compiled.get(sha);
    if (reference === undefined) return;
    lauxlib.luaL_unref(this.main, lua.LUA_REGISTRYINDEX, reference);
    this.compiled.delete(sha);
  }

  /** Drops every compiled script (SCRIPT FLUSH). */
  forget(): void {
    for (const reference of this.compiled.values()) {
      lauxlib.luaL_unref(this.main, lua.LUA_REGISTRYINDEX, reference);
    }
    this.compiled.clear();
  }

  /** The compiled function's registry reference, compiled once per script; or the error. */
  private compile(source: Buffer, sha: string): number | Reply {
    const known = this.compiled.get(sha);
    if (known !== undefined) return known;
    const thread = lua.lua_newthread(this.main);
    let compiled: number | Reply;
    if (lauxlib.luaL_loadbuffer(thread, source, null, userScript) === lua.LUA_OK) {
      lua.lua_xmove(thread, this.main, 1);
      compiled = lauxlib.luaL_ref(this.main, lua.LUA_REGISTRYINDEX);
      this.compiled.set(sha, compiled);
    } else {
      compiled = compileFailure(thread);
    }
    lua.lua_pop(this.main, 1);
    return compiled;
  }

  /**
   * Runs `source` with KEYS and ARGV, calling `call` for each redis.call and redis.pcall; answers
   * the script's reply, or its error as Redis words it (`... script: <sha>, on @user_script:N.`).
   */
  async run(
    source: Buffer,
    sha: string,
    keys: readonly Buffer[],
    argv: readonly Buffer[],
    call: ScriptCall,
    timeLimitMs: number,
  ): Promise<ScriptResult> {
    // A compiled script is one function whose environment each run sets: runs must not overlap
    // (script_batches.ts runs a node's scripts one after another).
    assert(this.current === undefined, () => "two scripts running at once");
    const compiled = this.compile(source, sha);
    if (typeof compiled !== "number") return { reply: compiled, stopped: false };
    const thread = this.idle ?? this.newThread();
    this.idle = undefined;
    const startMs = performance.now();
    const run: Run = {
      waiting: undefined,
      call,
      deadlineMs: timeLimitMs > 0 ? startMs + timeLimitMs : Number.POSITIVE_INFINITY,
      stopped: undefined,
      paused: false,
      killed: false,
      sliceStartMs: startMs,
      finished: false,
    };
    this.current = run;
    try {
      lua.lua_settop(thread.state, 0);
      lua.lua_rawgeti(thread.state, lua.LUA_REGISTRYINDEX, compiled);
      this.pushEnvironment(thread.state, keys, argv);
      lua.lua_setupvalue(thread.state, 1, 1);
      const reply = await this.resumeToEnd(thread.state, sha, run);
      if (run.stopped === undefined) return { reply, stopped: false };
      const where = `script: ${sha}, on @user_script:${scriptLine(thread.state)}.`;
      const message = {
        killed: `ERR Script killed by user with SCRIPT KILL... ${where}`,
        "time limit": `ERR onelog: the script ran past ${timeLimitMs} ms (busy-reply-threshold) and was stopped; it wrote nothing`,
        memory: `ERR onelog: the node's memory is nearly full; the script was stopped and wrote nothing ${where}`,
      }[run.stopped];
      return { reply: error(message), stopped: true };
    } catch (thrown) {
      return {
        reply: error(`ERR onelog: the script failed: ${(thrown as Error).message}`),
        stopped: false,
      };
    } finally {
      this.current = undefined;
      // A thread that raised or was stopped cannot run again.
      if (run.finished) this.idle = thread;
      else lauxlib.luaL_unref(this.main, lua.LUA_REGISTRYINDEX, thread.anchor);
    }
  }

  /**
   * A thread whose hook, every slice, yields so that the node serves its peers and clients
   * meanwhile (a leader that stopped answering would lose its lead). Past the run's limit it
   * yields and the thread is never resumed: an error could be caught by the script's own pcall.
   */
  private newThread(): Thread {
    const state = lua.lua_newthread(this.main);
    const anchor = lauxlib.luaL_ref(this.main, lua.LUA_REGISTRYINDEX);
    lua.lua_sethook(
      state,
      (running) => {
        const run = this.current;
        if (run === undefined) return;
        const nowMs = performance.now();
        if (run.killed) run.stopped = "killed";
        else if (nowMs - run.sliceStartMs < sliceMs) return;
        else if (nowMs > run.deadlineMs) run.stopped = "time limit";
        else if (heapNearlyFull()) run.stopped = "memory";
        else run.paused = true;
        lua.lua_yield(running, 0);
      },
      lua.LUA_MASKCOUNT,
      hookInstructions,
    );
    return { state, anchor };
  }

  private async resumeToEnd(thread: LuaState, sha: string, run: Run): Promise<Reply> {
    let argumentCount = 0;
    for (;;) {
      const status = lua.lua_resume(thread, this.main, argumentCount);
      if (status === lua.LUA_OK) {
        run.finished = true;
        return lua.lua_gettop(thread) === 0 ? nullReply : replyOf(thread, 1);
      }
      if (status !== lua.LUA_YIELD) return this.runFailure(thread, sha);
      if (run.stopped !== undefined) return nullReply;
      argumentCount = 0;
      if (run.paused) {
        await new Promise((resolve) => setImmediate(resolve));
        run.paused = false;
        run.sliceStartMs = performance.now();
        continue;
      }
      const answer = await (run.waiting as Promise<Reply>);
      run.waiting = undefined;
      lua.lua_settop(thread, 0);
      pushAnswer(thread, answer);
      argumentCount = 2;
    }
  }

  /** Pushes a run's environment: KEYS and ARGV, the rest through the shared metatable. */
  private pushEnvironment(
    thread: LuaState,
    keys: readonly Buffer[],
    argv: readonly Buffer[],
  ): void {
    lua.lua_createtable(thread, 0, 2);
    for (const [field, list] of [
      [keysField, keys],
      [argvField, argv],
    ] as const) {
      lua.lua_createtable(thread, list.length, 0);
      list.forEach((item, index) => {
        lua.lua_pushstring(thread, item);
        lua.lua_rawseti(thread, -2, index + 1);
      });
      lua.lua_setfield(thread, -2, field);
    }
    lua.lua_rawgeti(thread, lua.LUA_REGISTRYINDEX, this.environmentMetatable);
    lua.lua_setmetatable(thread, -2);
  }

  /**
   * redis.call (`raise`: an error answer is raised) and redis.pcall (it is returned as a table):
   * answers at once, or yields until the command's answer comes (resumeToEnd pushes it).
   */
  private call(thread: LuaState, raise: boolean): number {
    const run = this.current;
    const answerWith = (answer: Reply): number => {
      pushAnswer(thread, answer);
      return finishCall(thread, raise);
    };
    if (run === undefined) return answerWith(error("ERR redis.call outside a script"));
    const count = lua.lua_gettop(thread);
    if (count === 0) {
      return answerWith(error("ERR Please specify at least one argument for this redis lib call"));
    }
    const args: Buffer[] = [];
    for (let index = 1; index <= count; index++) {
      const type = lua.lua_type(thread, index);
      if (type === lua.LUA_TSTRING) args.push(Buffer.from(lua.lua_tolstring(thread, index)));
      else if (type === lua.LUA_TNUMBER) {
        args.push(Buffer.from(numberArgument(lua.lua_tonumber(thread, index)), "latin1"));
      } else {
        return answerWith(error("ERR Lua redis lib command arguments must be strings or integers"));
      }
    }
    let answer: Reply | Promise<Reply>;
    try {
      answer = run.call(args);
    } catch (thrown) {
      answer = error(`ERR onelog: ${(thrown as Error).message}`);
    }
    if (!(answer instanceof Promise)) return answerWith(answer);
    run.waiting = answer;
    return lua.lua_yieldk(thread, 0, 0, (resumed) => finishCall(resumed, raise));
  }

  /**
   * A failed run's error as Redis words it (script_lua.c luaErrorInformationDiscard and eval.c):
   * an error table's `err` as it is, any other error as `ERR <text>`, then where the script was.
   * The error value is read on the main thread: a dead thread's stack has no room left.
   */
  private runFailure(thread: LuaState, sha: string): Reply {
    const line = scriptLine(thread);
    lua.lua_xmove(thread, this.main, 1);
    const type = lua.lua_type(this.main, -1);
    const raised = type === lua.LUA_TTABLE ? stringField(this.main, -1, errField) : undefined;
    const textual = type === lua.LUA_TSTRING || type === lua.LUA_TNUMBER;
    const message =
      raised ??
      (textual
        ? `ERR ${Buffer.from(lua.lua_tolstring(this.main, -1)).toString("latin1")}`
        : "ERR unknown error");
    lua.lua_pop(this.main, 1);
    return error(`${message} script: ${sha}, on @user_script:${line}.`);
  }

  private check(status: number): void {
    if (status === lua.LUA_OK) return;
    throw new Error(`the script library failed to load: ${lua.lua_tojsstring(this.main, -1)}`);
  }
}

/** Pushes `ok, value` for a command's answer: an error answer is not ok. */
function pushAnswer(thread: LuaState, answer: Reply): void {
  lua.lua_pushboolean(thread, answer.kind !== "error");
  pushReply(thread, answer);
}

/** Ends a call with `ok, value` on the stack: answers the value, or raises it. */
function finishCall(thread: LuaState, raise: boolean): number {
  if (raise && !lua.lua_toboolean(thread, -2)) return lua.lua_error(thread);
  return 1;
}

function compileFailure(thread: LuaState): Reply {
  const message = Buffer.from(lua.lua_tolstring(thread, -1)).toString("latin1");
  return error(`ERR Error compiling script (new function): ${message}`);
}

/** The line the script was at: its innermost frame on the (unwound, not cleared) stack. */
function scriptLine(thread: LuaState): string {
  const debug = new lua.lua_Debug();
  for (let level = 0; lua.lua_getstack(thread, level, debug) === 1; level++) {
    lua.lua_getinfo(thread, lineInfo, debug);
    if (debug.source !== null && Buffer.from(debug.source).equals(userScript)) {
      return String(debug.currentline);
    }
  }
  return "?";
}
