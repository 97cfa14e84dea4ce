/**
 * CONFIG SET's value checks against what redis-server 7 answers for the same values (captured
 * from Debian's redis-server): integer bounds, memory units, yes/no, enums and `save`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Checked,
  checkValue,
  parameters,
} from "../../../../src/protocols/resp/commands/config_parameters.js";

const ok = (value: string): Checked => ({ kind: "ok", value });
const invalid = (reason: string): Checked => ({ kind: "invalid", reason });
const notInteger = invalid("argument couldn't be parsed into an integer");
const notMemory = invalid("argument must be a memory value");

const cases: Array<[name: string, value: string, expected: Checked]> = [
  ["min-replicas-to-write", "3", ok("3")],
  ["min-replicas-to-write", "-1", invalid("argument must be between 0 and 2147483647 inclusive")],
  [
    "min-replicas-to-write",
    "2147483648",
    invalid("argument must be between 0 and 2147483647 inclusive"),
  ],
  ["min-replicas-to-write", "+5", notInteger],
  ["min-replicas-to-write", "007", notInteger],
  ["min-replicas-to-write", "1.5", notInteger],
  ["maxclients", "0", invalid("argument must be between 1 and 4294967295 inclusive")],
  [
    "slowlog-log-slower-than",
    "-2",
    invalid("argument must be between -1 and 9223372036854775807 inclusive"),
  ],
  ["slowlog-log-slower-than", "-1", ok("-1")],
  ["maxmemory", "100mb", ok("104857600")],
  ["maxmemory", "1GB", ok("1073741824")],
  ["maxmemory", "1k", ok("1000")],
  ["maxmemory", "10b", ok("10")],
  ["maxmemory", "0", ok("0")],
  ["maxmemory", "1.5gb", notMemory],
  ["maxmemory", "-1", notMemory],
  ["maxmemory", "1tb", notMemory],
  ["maxmemory", "+1", notMemory],
  ["latency-tracking", "YES", ok("yes")],
  ["latency-tracking", "maybe", invalid("argument must be 'yes' or 'no'")],
  ["maxmemory-policy", "ALLKEYS-LRU", ok("allkeys-lru")],
  [
    "maxmemory-policy",
    "lru",
    invalid(
      "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction",
    ),
  ],
  ["save", "", ok("")],
  ["save", "3600 1 300 100", ok("3600 1 300 100")],
  ["save", "900", invalid("Invalid save parameters")],
  ["save", "0 1", invalid("Invalid save parameters")],
  ["save", "900 x", invalid("Invalid save parameters")],
  ["requirepass", "any thing", ok("any thing")],
];

test("CONFIG SET accepts, normalises and refuses values as Redis does", () => {
  for (const [name, value, expected] of cases) {
    const parameter = parameters[name];
    assert.ok(parameter, name);
    assert.deepEqual(checkValue(parameter, value), expected, `${name} ${value}`);
  }
});

test("every default passes its own check unchanged", () => {
  for (const [name, parameter] of Object.entries(parameters)) {
    assert.deepEqual(checkValue(parameter, parameter.default), ok(parameter.default), name);
  }
});
