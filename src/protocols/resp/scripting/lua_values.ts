/**
 * Values between Redis replies and Lua, by Redis's rules for scripts in RESP2 (redis/src/
 * script_lua.c: redisProtocolToLuaType and luaReplyToRedisReply; https://redis.io/docs/latest/
 * develop/interact/programmability/lua-api/#data-type-conversion):
 *
 * - to Lua: an integer is a number, a bulk string a string, a nil reply `false`, an array a table
 *   (RESP3-only replies as RESP2 renders them: a map flattened, a double as its text, a boolean
 *   as 1 or 0), a status `{ok = text}`, an error `{err = text}`;
 * - from Lua: a string is a bulk string, a number an integer (truncated), `true` the integer 1,
 *   `false` and nil a nil reply, a table with `err` an error, with `ok` a status, any other table
 *   an array of its items 1, 2, ... up to the first nil.
 */
import fengari, { type LuaState } from "fengari";
import { formatDouble } from "../double_text.js";
import { array, bulk, error, integer, nullReply, type Reply, simple } from "../reply.js";
import { formatG } from "./c_format.js";

const { lua, to_luastring } = fengari;

const okField = to_luastring("ok");
const errField = to_luastring("err");

/** How deep a returned table may nest (Redis's Lua stack guard). */
const nestingMax = 100;

const bytes = (text: string | Buffer): Uint8Array =>
  typeof text === "string" ? Buffer.from(text, "latin1") : text;

/** Pushes `reply` as Lua sees a command's answer. */
export function pushReply(state: LuaState, reply: Reply): void {
  switch (reply.kind) {
    case "simple":
      return pushField(state, okField, reply.value);
    case "error":
      return pushField(state, errField, reply.message);
    case "integer":
      return pushNumber(state, Number(reply.value));
    case "bulk":
      if (reply.value === null) return lua.lua_pushboolean(state, false);
      return lua.lua_pushstring(state, bytes(reply.value));
    case "verbatim":
      return lua.lua_pushstring(state, bytes(reply.value));
    case "double":
      return lua.lua_pushstring(state, bytes(formatDouble(reply.value)));
    case "bigNumber":
      return lua.lua_pushstring(state, bytes(reply.value.toString()));
    case "boolean":
      return lua.lua_pushinteger(state, reply.value ? 1 : 0);
    case "array":
      if (reply.items === null) return lua.lua_pushboolean(state, false);
      return pushItems(state, reply.items);
    case "set":
    case "push":
      return pushItems(state, reply.items);
    case "map":
      return pushItems(state, reply.entries.flat());
    case "attribute":
      return pushReply(state, reply.reply);
    case "null":
    case "sequence":
      return lua.lua_pushboolean(state, false);
  }
}

/**
 * Pushes a number, as an integer when it is one that fengari's 32-bit integers hold (Lua 5.1's
 * `tostring` shows an integral number without a fraction, which 5.3 does only for integers).
 */
export function pushNumber(state: LuaState, value: number): void {
  if (Number.isInteger(value) && value === (value | 0) && !Object.is(value, -0)) {
    lua.lua_pushinteger(state, value);
  } else lua.lua_pushnumber(state, value);
}

function pushItems(state: LuaState, items: readonly Reply[]): void {
  lua.lua_createtable(state, items.length, 0);
  items.forEach((item, index) => {
    pushReply(state, item);
    lua.lua_rawseti(state, -2, index + 1);
  });
}

/** Pushes `{[field] = text}`: a status or an error as a table. */
function pushField(state: LuaState, field: Uint8Array, text: string): void {
  lua.lua_createtable(state, 0, 1);
  lua.lua_pushstring(state, bytes(text));
  lua.lua_setfield(state, -2, field);
}

/** The reply a script's returned value (at `index`) stands for. */
export function replyOf(state: LuaState, index: number, depth = 0): Reply {
  switch (lua.lua_type(state, index)) {
    case lua.LUA_TSTRING:
      return bulk(Buffer.from(lua.lua_tolstring(state, index)));
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(state, index) ? integer(1) : nullReply;
    case lua.LUA_TNUMBER:
      return integer(truncated(lua.lua_tonumber(state, index)));
    case lua.LUA_TTABLE:
      return tableReply(state, index, depth);
    default:
      return nullReply;
  }
}

function tableReply(state: LuaState, index: number, depth: number): Reply {
  if (depth >= nestingMax) return error("ERR reached lua stack limit");
  const table = index < 0 ? lua.lua_gettop(state) + index + 1 : index;
  const err = stringField(state, table, errField);
  if (err !== undefined) return error(err);
  const status = stringField(state, table, okField);
  if (status !== undefined) return simple(status);
  const items: Reply[] = [];
  for (let position = 1; lua.lua_rawgeti(state, table, position) !== lua.LUA_TNIL; position++) {
    items.push(replyOf(state, -1, depth + 1));
    lua.lua_pop(state, 1);
  }
  lua.lua_pop(state, 1);
  return array(items);
}

/** The string at `table[field]`, if it is one. */
export function stringField(state: LuaState, table: number, field: Uint8Array): string | undefined {
  const type = lua.lua_getfield(state, table, field);
  const value =
    type === lua.LUA_TSTRING
      ? Buffer.from(lua.lua_tolstring(state, -1)).toString("latin1")
      : undefined;
  lua.lua_pop(state, 1);
  return value;
}

/** A Lua number as Redis's `(long long)` cast takes it (x86). */
function truncated(value: number): number | bigint {
  // x86's conversion answers LLONG_MIN for NaN, infinities and anything out of range.
  if (!(Math.abs(value) < 2 ** 63)) return -(2n ** 63n);
  const whole = Math.trunc(value);
  return Number.isSafeInteger(whole) ? whole : BigInt(whole);
}

/**
 * A number given to redis.call as the text Redis makes of it: C's `%.17g` (fpconv_dtoa), so
 * 3.0 is `3`, 0.1 is `0.10000000000000001` and 1e20 is `1e+20`.
 */
export const numberArgument = (value: number): string => formatG(value, 17);
