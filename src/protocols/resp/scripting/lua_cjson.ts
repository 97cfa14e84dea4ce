/**
 * The `cjson` library Redis gives scripts (lua-cjson 2.1 as redis/deps/lua/src/lua_cjson.c
 * builds it, default settings): `cjson.encode`, `cjson.decode` and `cjson.null`.
 *
 * - encode: a table whose keys are all positive integers is an array (holes as null; refused as
 *   "excessively sparse" past index 10 when fewer than half the slots are used), any other table
 *   an object (number keys as text), an empty table `{}`; numbers as `%.14g`; `/` escaped as `\/`
 *   and control bytes as `\u00XX`, other bytes as they are; at most 1000 levels.
 * - decode: JSON text to Lua values, `null` as `cjson.null`, `\u` escapes as UTF-8, integral
 *   numbers as integers (Lua 5.1's `tostring(3.0)` is `3`, which Lua 5.3 says only of an
 *   integer); errors in lua-cjson's words (`Expected value but found invalid token at character 1`).
 */
import fengari, { type LuaState } from "fengari";
import { formatG } from "./c_format.js";
import { pushNumber } from "./lua_values.js";

const { lua, lauxlib, to_luastring } = fengari;

/** `cjson.null`: a light userdata, one value every script compares to. */
const nullSentinel = Object.freeze({ cjsonNull: true });
const depthMax = 1000;
const sparseSafe = 10;
const sparseRatio = 2;

class EncodeError extends Error {}

/** Sets the global `cjson` in `state`. */
export function openCjson(state: LuaState): void {
  lua.lua_createtable(state, 0, 3);
  lua.lua_pushcfunction(state, encodeFunction);
  lua.lua_setfield(state, -2, to_luastring("encode"));
  lua.lua_pushcfunction(state, decodeFunction);
  lua.lua_setfield(state, -2, to_luastring("decode"));
  lua.lua_pushlightuserdata(state, nullSentinel);
  lua.lua_setfield(state, -2, to_luastring("null"));
  lua.lua_setglobal(state, to_luastring("cjson"));
}

/** lua-cjson's refusal of any other number of arguments. */
const oneArgument = (state: LuaState, name: string): never =>
  lauxlib.luaL_error(state, to_luastring(`bad argument #1 to '${name}' (expected 1 argument)`));

function encodeFunction(state: LuaState): number {
  if (lua.lua_gettop(state) !== 1) return oneArgument(state, "encode");
  const parts: string[] = [];
  try {
    encodeValue(state, 1, 0, parts);
  } catch (thrown) {
    if (!(thrown instanceof EncodeError)) throw thrown;
    return lauxlib.luaL_error(state, to_luastring(thrown.message));
  }
  lua.lua_pushstring(state, Buffer.from(parts.join(""), "latin1"));
  return 1;
}

function encodeValue(state: LuaState, index: number, depth: number, parts: string[]): void {
  const type = lua.lua_type(state, index);
  switch (type) {
    case lua.LUA_TSTRING:
      return void parts.push(quoted(Buffer.from(lua.lua_tolstring(state, index))));
    case lua.LUA_TNUMBER:
      return void parts.push(encodedNumber(lua.lua_tonumber(state, index)));
    case lua.LUA_TBOOLEAN:
      return void parts.push(lua.lua_toboolean(state, index) ? "true" : "false");
    case lua.LUA_TNIL:
      return void parts.push("null");
    case lua.LUA_TTABLE:
      return encodeTable(state, index, depth + 1, parts);
    case lua.LUA_TLIGHTUSERDATA:
      if (lua.lua_touserdata(state, index) === nullSentinel) return void parts.push("null");
      break;
  }
  const name = Buffer.from(lauxlib.luaL_typename(state, index)).toString("latin1");
  throw new EncodeError(`Cannot serialise ${name}: type not supported`);
}

function encodedNumber(value: number): string {
  if (!Number.isFinite(value))
    throw new EncodeError("Cannot serialise number: must not be NaN or Inf");
  return formatG(value, 14);
}

function encodeTable(state: LuaState, index: number, depth: number, parts: string[]): void {
  if (depth > depthMax) {
    throw new EncodeError(`Cannot serialise, excessive nesting (${depth})`);
  }
  lauxlib.luaL_checkstack(state, 3, null);
  const table = index < 0 ? lua.lua_gettop(state) + index + 1 : index;
  const length = arrayLength(state, table);
  if (length > 0) {
    parts.push("[");
    for (let position = 1; position <= length; position++) {
      if (position > 1) parts.push(",");
      lua.lua_rawgeti(state, table, position);
      encodeValue(state, -1, depth, parts);
      lua.lua_pop(state, 1);
    }
    parts.push("]");
    return;
  }
  parts.push("{");
  let first = true;
  lua.lua_pushnil(state);
  while (lua.lua_next(state, table) !== 0) {
    if (!first) parts.push(",");
    first = false;
    const keyType = lua.lua_type(state, -2);
    if (keyType === lua.LUA_TSTRING) {
      parts.push(quoted(Buffer.from(lua.lua_tolstring(state, -2))), ":");
    } else if (keyType === lua.LUA_TNUMBER) {
      parts.push(`"${encodedNumber(lua.lua_tonumber(state, -2))}":`);
    } else {
      lua.lua_pop(state, 2);
      throw new EncodeError("Cannot serialise table: table key must be a number or string");
    }
    encodeValue(state, -1, depth, parts);
    lua.lua_pop(state, 1);
  }
  parts.push("}");
}

/**
 * The array length of the table at `table` (lua_cjson.c lua_array_length): the largest key when
 * every key is a positive integer, 0 when some key is not (an object) or there are none.
 */
function arrayLength(state: LuaState, table: number): number {
  let largest = 0;
  let items = 0;
  lua.lua_pushnil(state);
  while (lua.lua_next(state, table) !== 0) {
    const key = lua.lua_type(state, -2) === lua.LUA_TNUMBER ? lua.lua_tonumber(state, -2) : 0;
    if (!Number.isInteger(key) || key < 1) {
      lua.lua_pop(state, 2);
      return 0;
    }
    largest = Math.max(largest, key);
    items++;
    lua.lua_pop(state, 1);
  }
  if (largest > sparseSafe && largest > items * sparseRatio) {
    throw new EncodeError("Cannot serialise table: excessively sparse array");
  }
  return largest;
}

const escapes: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" };

/** A JSON string of `bytes` (one char per byte), escaped as lua-cjson escapes. */
function quoted(bytes: Buffer): string {
  let text = '"';
  for (const byte of bytes) {
    if (byte === 0x22) text += '\\"';
    else if (byte === 0x5c) text += "\\\\";
    else if (byte === 0x2f) text += "\\/";
    else if (byte < 0x20 || byte === 0x7f) {
      text += escapes[byte] ?? `\\u${byte.toString(16).padStart(4, "0")}`;
    } else text += String.fromCharCode(byte);
  }
  return `${text}"`;
}

function decodeFunction(state: LuaState): number {
  if (lua.lua_gettop(state) !== 1) return oneArgument(state, "decode");
  const input = Buffer.from(lauxlib.luaL_checklstring(state, 1));
  const parser = new JsonParser(state, input);
  const failure = parser.document();
  if (failure !== undefined) return lauxlib.luaL_error(state, to_luastring(failure));
  return 1;
}

/** Token names as Redis's lua-cjson reports them in its errors (json_token_type_name). */
type Found =
  | "invalid token"
  | "T_OBJ_BEGIN"
  | "T_OBJ_END"
  | "T_ARR_BEGIN"
  | "T_ARR_END"
  | "T_COMMA"
  | "T_COLON"
  | "T_STRING"
  | "T_NUMBER"
  | "T_BOOLEAN"
  | "T_NULL"
  | "T_END";

class DecodeError extends Error {}

/** A recursive-descent JSON reader pushing Lua values as it goes (lua_cjson.c json_process_value). */
class JsonParser {
  private position = 0;
  private depth = 0;

  constructor(
    private readonly state: LuaState,
    private readonly input: Buffer,
  ) {}

  /** Pushes the document's value; answers the error text when the input is not one JSON value. */
  document(): string | undefined {
    try {
      this.value("Expected value");
      this.skipSpace();
      if (this.position < this.input.length) this.fail("Expected the end", this.found());
      return undefined;
    } catch (thrown) {
      if (thrown instanceof DecodeError) return thrown.message;
      throw thrown;
    }
  }

  private value(expected: string): void {
    this.skipSpace();
    const byte = this.input[this.position];
    if (byte === 0x7b) return this.object();
    if (byte === 0x5b) return this.array();
    if (byte === 0x22) return lua.lua_pushstring(this.state, this.string());
    if (byte === 0x2d || (byte !== undefined && byte >= 0x30 && byte <= 0x39))
      return this.number(expected);
    for (const [word, push] of this.literals) {
      if (this.input.toString("latin1", this.position, this.position + word.length) === word) {
        this.position += word.length;
        return push();
      }
    }
    this.fail(expected, this.found());
  }

  private readonly literals: ReadonlyArray<readonly [string, () => void]> = [
    ["true", () => lua.lua_pushboolean(this.state, true)],
    ["false", () => lua.lua_pushboolean(this.state, false)],
    ["null", () => lua.lua_pushlightuserdata(this.state, nullSentinel)],
  ];

  private nest(): void {
    lauxlib.luaL_checkstack(this.state, 3, null);
    this.depth++;
    if (this.depth > depthMax) {
      throw new DecodeError(
        `Found too many nested data structures (${this.depth}) at character ${this.position + 1}`,
      );
    }
  }

  private object(): void {
    this.container(0x7d, "Expected comma or object end", () => {
      this.skipSpace();
      if (this.input[this.position] !== 0x22) this.fail("Expected object key string", this.found());
      lua.lua_pushstring(this.state, this.string());
      this.skipSpace();
      if (this.input[this.position] !== 0x3a) this.fail("Expected colon", this.found());
      this.position++;
      this.value("Expected value");
      lua.lua_rawset(this.state, -3);
    });
  }

  private array(): void {
    this.container(0x5d, "Expected comma or array end", (index) => {
      this.value("Expected value");
      lua.lua_rawseti(this.state, -2, index);
    });
  }

  /** An object or an array as a table: its items (`item`) separated by commas, up to `close`. */
  private container(close: number, expectedEnd: string, item: (index: number) => void): void {
    this.nest();
    this.position++;
    lua.lua_createtable(this.state, 0, 0);
    this.skipSpace();
    if (this.input[this.position] !== close) {
      for (let index = 1; ; index++) {
        item(index);
        this.skipSpace();
        const next = this.input[this.position];
        if (next === close) break;
        if (next !== 0x2c) this.fail(expectedEnd, this.found());
        this.position++;
      }
    }
    this.position++;
    this.depth--;
  }

  /** The string at the position (past its quotes), `\u` escapes as UTF-8. */
  private string(): Buffer {
    const start = this.position;
    this.position++;
    const bytes: number[] = [];
    for (;;) {
      const byte = this.input[this.position];
      if (byte === undefined) this.failAt(start, "Expected value", "invalid token");
      this.position++;
      if (byte === 0x22) return Buffer.from(bytes);
      if (byte !== 0x5c) {
        bytes.push(byte as number);
        continue;
      }
      const escaped = this.input[this.position];
      this.position++;
      const simple: Record<number, number> = {
        34: 0x22,
        92: 0x5c,
        47: 0x2f,
        98: 8,
        102: 12,
        110: 10,
        114: 13,
        116: 9,
      };
      if (escaped !== undefined && simple[escaped] !== undefined) {
        bytes.push(simple[escaped] as number);
      } else if (escaped === 0x75) {
        bytes.push(...Buffer.from(String.fromCodePoint(this.codePoint(start)), "utf8"));
      } else {
        this.failAt(start, "Expected value", "invalid token");
      }
    }
  }

  /** A `\uXXXX` escape (a surrogate pair taken whole) after its `\u`. */
  private codePoint(start: number): number {
    const unit = this.hex4(start);
    if (
      unit >= 0xd800 &&
      unit < 0xdc00 &&
      this.input.toString("latin1", this.position, this.position + 2) === "\\u"
    ) {
      this.position += 2;
      const low = this.hex4(start);
      if (low >= 0xdc00 && low < 0xe000) return 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
      this.failAt(start, "Expected value", "invalid token");
    }
    if (unit >= 0xd800 && unit < 0xe000) this.failAt(start, "Expected value", "invalid token");
    return unit;
  }

  private hex4(start: number): number {
    const digits = this.input.toString("latin1", this.position, this.position + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.failAt(start, "Expected value", "invalid token");
    this.position += 4;
    return Number.parseInt(digits, 16);
  }

  private number(expected: string): void {
    const rest = this.input.toString(
      "latin1",
      this.position,
      Math.min(this.input.length, this.position + 400),
    );
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(rest);
    if (match === null) return this.fail(expected, "invalid token");
    this.position += match[0].length;
    const value = Number(match[0]);
    pushNumber(this.state, value);
  }

  private skipSpace(): void {
    for (;;) {
      const byte = this.input[this.position];
      if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return;
      this.position++;
    }
  }

  /** What lua-cjson's tokenizer would call the token at the position. */
  private found(): Found {
    const byte = this.input[this.position];
    if (byte === undefined) return "T_END";
    const punctuation: Record<number, Found> = {
      123: "T_OBJ_BEGIN",
      125: "T_OBJ_END",
      91: "T_ARR_BEGIN",
      93: "T_ARR_END",
      44: "T_COMMA",
      58: "T_COLON",
    };
    const named = punctuation[byte];
    if (named !== undefined) return named;
    if (byte === 0x22) return "T_STRING";
    if (byte === 0x2d || (byte >= 0x30 && byte <= 0x39)) return "T_NUMBER";
    const ahead = this.input.toString("latin1", this.position, this.position + 5);
    if (ahead.startsWith("true") || ahead.startsWith("false")) return "T_BOOLEAN";
    if (ahead.startsWith("null")) return "T_NULL";
    return "invalid token";
  }

  private fail(expected: string, found: Found): never {
    this.failAt(this.position, expected, found);
  }

  private failAt(position: number, expected: string, found: Found): never {
    throw new DecodeError(`${expected} but found ${found} at character ${position + 1}`);
  }
}
