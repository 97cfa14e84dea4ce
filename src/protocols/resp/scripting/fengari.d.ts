/**
 * Types for the part of fengari (https://github.com/fengari-lua/fengari, Lua 5.3 in JavaScript)
 * that the script engine uses: the Lua C API as fengari spells it. Lua strings are byte arrays
 * (Uint8Array), so values cross without any text decoding.
 */
declare module "fengari" {
  /** A Lua thread (lua_State). */
  export interface LuaState {
    readonly __luaState: never;
  }
  export type LuaFunction = (state: LuaState) => number;
  export interface LuaDebug {
    currentline: number;
    source: Uint8Array | null;
  }

  interface Lua {
    readonly LUA_OK: number;
    readonly LUA_YIELD: number;
    readonly LUA_TNIL: number;
    readonly LUA_TBOOLEAN: number;
    readonly LUA_TNUMBER: number;
    readonly LUA_TSTRING: number;
    readonly LUA_TTABLE: number;
    readonly LUA_TLIGHTUSERDATA: number;
    readonly LUA_REGISTRYINDEX: number;
    readonly LUA_MASKCOUNT: number;
    readonly lua_Debug: new () => LuaDebug;
    lua_newthread(state: LuaState): LuaState;
    lua_resume(thread: LuaState, from: LuaState | null, argumentCount: number): number;
    lua_yield(state: LuaState, resultCount: number): number;
    lua_yieldk(
      state: LuaState,
      resultCount: number,
      context: number,
      continuation: (state: LuaState, status: number, context: number) => number,
    ): number;
    lua_error(state: LuaState): never;
    lua_call(state: LuaState, argumentCount: number, resultCount: number): void;
    lua_pcall(state: LuaState, argumentCount: number, resultCount: number, handler: number): number;
    lua_tojsstring(state: LuaState, index: number): string;
    lua_gettop(state: LuaState): number;
    lua_settop(state: LuaState, index: number): void;
    lua_pop(state: LuaState, count: number): void;
    lua_pushvalue(state: LuaState, index: number): void;
    lua_xmove(from: LuaState, to: LuaState, count: number): void;
    lua_type(state: LuaState, index: number): number;
    lua_isinteger(state: LuaState, index: number): boolean;
    lua_isnumber(state: LuaState, index: number): boolean;
    lua_isnoneornil(state: LuaState, index: number): boolean;
    lua_tonumber(state: LuaState, index: number): number;
    lua_tointeger(state: LuaState, index: number): number;
    lua_toboolean(state: LuaState, index: number): boolean;
    lua_tolstring(state: LuaState, index: number): Uint8Array;
    lua_pushnil(state: LuaState): void;
    lua_pushboolean(state: LuaState, value: boolean): void;
    lua_pushinteger(state: LuaState, value: number): void;
    lua_pushnumber(state: LuaState, value: number): void;
    lua_pushstring(state: LuaState, value: Uint8Array): void;
    lua_pushcfunction(state: LuaState, fn: LuaFunction): void;
    lua_pushlightuserdata(state: LuaState, value: object): void;
    lua_touserdata(state: LuaState, index: number): unknown;
    lua_next(state: LuaState, table: number): number;
    lua_rawset(state: LuaState, table: number): void;
    lua_createtable(state: LuaState, arrayCount: number, fieldCount: number): void;
    lua_rawseti(state: LuaState, table: number, index: number): void;
    lua_rawgeti(state: LuaState, table: number, index: number): number;
    lua_getfield(state: LuaState, table: number, key: Uint8Array): number;
    lua_setfield(state: LuaState, table: number, key: Uint8Array): void;
    lua_setglobal(state: LuaState, name: Uint8Array): void;
    lua_getglobal(state: LuaState, name: Uint8Array): number;
    lua_setmetatable(state: LuaState, index: number): void;
    lua_setupvalue(state: LuaState, fn: number, upvalue: number): Uint8Array | null;
    lua_getstack(state: LuaState, level: number, debug: LuaDebug): number;
    lua_getinfo(state: LuaState, what: Uint8Array, debug: LuaDebug): number;
    lua_sethook(
      state: LuaState,
      hook: ((state: LuaState, debug: LuaDebug) => void) | null,
      mask: number,
      count: number,
    ): void;
  }

  interface LauxLib {
    luaL_newstate(): LuaState;
    luaL_loadbuffer(
      state: LuaState,
      chunk: Uint8Array,
      size: number | null,
      name: Uint8Array,
    ): number;
    luaL_requiref(state: LuaState, name: Uint8Array, open: LuaFunction, global: number): void;
    luaL_ref(state: LuaState, table: number): number;
    luaL_error(state: LuaState, message: Uint8Array): never;
    luaL_typename(state: LuaState, index: number): Uint8Array;
    luaL_checklstring(state: LuaState, index: number): Uint8Array;
    luaL_checkstack(state: LuaState, room: number, message: Uint8Array | null): void;
    luaL_unref(state: LuaState, table: number, reference: number): void;
  }

  interface LuaLib {
    luaopen_base: LuaFunction;
    luaopen_table: LuaFunction;
    luaopen_string: LuaFunction;
    luaopen_math: LuaFunction;
  }

  const fengari: {
    lua: Lua;
    lauxlib: LauxLib;
    lualib: LuaLib;
    to_luastring(text: string): Uint8Array;
  };
  export default fengari;
}
