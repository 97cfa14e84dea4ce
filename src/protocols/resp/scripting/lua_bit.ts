/**
 * The `bit` library Redis gives scripts (LuaBitOp 1.0, http://bitop.luajit.org/api.html): every
 * result a signed 32-bit integer. An argument is taken as LuaBitOp's tobit takes it, its fraction
 * rounded half to even and its value modulo 2^32 (JavaScript's ToInt32 after the rounding); shift
 * counts modulo 32. JavaScript functions, as Redis's are C: an error names the script's line.
 */
import fengari, { type LuaFunction, type LuaState } from "fengari";

const { lua, lauxlib, to_luastring } = fengari;

/** A number rounded half to even: how LuaBitOp's 2^52 + 2^51 addition rounds. */
function halfEven(value: number): number {
  const floor = Math.floor(value);
  const rest = value - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Argument `position` of `name` as a 32-bit integer, or a Lua error. */
function argument(state: LuaState, position: number, name: string): number {
  if (!lua.lua_isnumber(state, position)) {
    const got = Buffer.from(lauxlib.luaL_typename(state, position)).toString("latin1");
    return lauxlib.luaL_error(
      state,
      to_luastring(`bad argument #${position} to '${name}' (number expected, got ${got})`),
    );
  }
  return halfEven(lua.lua_tonumber(state, position)) | 0;
}

const unary =
  (name: string, operation: (value: number) => number): LuaFunction =>
  (state) => {
    lua.lua_pushinteger(state, operation(argument(state, 1, name)) | 0);
    return 1;
  };

const shift =
  (name: string, operation: (value: number, count: number) => number): LuaFunction =>
  (state) => {
    const value = argument(state, 1, name);
    lua.lua_pushinteger(state, operation(value, argument(state, 2, name) & 31) | 0);
    return 1;
  };

const fold =
  (name: string, operation: (left: number, right: number) => number): LuaFunction =>
  (state) => {
    let result = argument(state, 1, name);
    for (let position = 2; position <= lua.lua_gettop(state); position++) {
      result = operation(result, argument(state, position, name));
    }
    lua.lua_pushinteger(state, result | 0);
    return 1;
  };

function tohex(state: LuaState): number {
  const value = argument(state, 1, "tohex");
  let digits = lua.lua_isnoneornil(state, 2) ? 8 : argument(state, 2, "tohex");
  const upper = digits < 0;
  digits = Math.min(Math.abs(digits), 8);
  const hex = (value >>> 0)
    .toString(16)
    .padStart(8, "0")
    .slice(8 - digits);
  lua.lua_pushstring(state, to_luastring(upper ? hex.toUpperCase() : hex));
  return 1;
}

const functions: ReadonlyArray<readonly [string, LuaFunction]> = [
  ["tobit", unary("tobit", (value) => value)],
  ["bnot", unary("bnot", (value) => ~value)],
  [
    "bswap",
    unary(
      "bswap",
      (value) =>
        (value << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24),
    ),
  ],
  ["band", fold("band", (left, right) => left & right)],
  ["bor", fold("bor", (left, right) => left | right)],
  ["bxor", fold("bxor", (left, right) => left ^ right)],
  ["lshift", shift("lshift", (value, count) => value << count)],
  ["rshift", shift("rshift", (value, count) => value >>> count)],
  ["arshift", shift("arshift", (value, count) => value >> count)],
  ["rol", shift("rol", (value, count) => (value << count) | (value >>> (32 - count)))],
  ["ror", shift("ror", (value, count) => (value >>> count) | (value << (32 - count)))],
  ["tohex", tohex],
];

/** Sets the global `bit` in `state`. */
export function openBit(state: LuaState): void {
  lua.lua_createtable(state, 0, functions.length);
  for (const [name, fn] of functions) {
    lua.lua_pushcfunction(state, fn);
    lua.lua_setfield(state, -2, to_luastring(name));
  }
  lua.lua_setglobal(state, to_luastring("bit"));
}
