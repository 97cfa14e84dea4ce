/**
 * Every command of docs/commands.md against a fake Store: reply shapes in RESP2 and RESP3, the
 * concern each passes to the Store, and every error code.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type KvResult, nodeId, offset } from "../../../../src/api/index.js";
import { FakeStore } from "./fake_store.js";
import { StateStore } from "./state_store.js";
import { both, context, nowMs, run } from "./support.js";

const none = () => {};
const withValue = (key: string, data: string) => (store: FakeStore) => {
  store.leo = 5;
  store.values.set(key, { value: { type: "string", data }, version: offset(3) });
};
const withList = (key: string, items: string[]) => (store: FakeStore) => {
  store.leo = 5;
  store.values.set(key, { value: { type: "list", items }, version: offset(4) });
};

describe("RESP connection commands", () => {
  it("PING answers PONG or its message", async () => {
    assert.deepEqual(await both(none, "PING"), ["+PONG\r\n", "+PONG\r\n"]);
    assert.deepEqual(await both(none, "ping", "hi"), ["$2\r\nhi\r\n", "$2\r\nhi\r\n"]);
    assert.equal(
      (await both(none, "PING", "a", "b"))[0],
      "-ERR wrong number of arguments for 'ping' command\r\n",
    );
  });

  it("HELLO 3 switches the session and answers the server map", async () => {
    const target = context();
    const reply = await run(target, "HELLO", "3", "AUTH", "default", "pw", "SETNAME", "app");
    assert.equal(target.session.protocol, 3);
    assert.equal(target.session.name, "app");
    assert.ok(reply.startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), reply);
    assert.ok(reply.includes("$5\r\nproto\r\n:3\r\n"), reply);
    assert.ok(reply.includes("$4\r\nrole\r\n$6\r\nmaster\r\n"), reply);
    assert.ok(reply.endsWith("$7\r\nmodules\r\n*0\r\n"), reply);
    const back = await run(target, "HELLO", "2");
    assert.equal(target.session.protocol, 2);
    assert.ok(back.startsWith("*14\r\n"), back);
  });

  it("HELLO refuses other protocol versions", async () => {
    const target = context();
    assert.equal(await run(target, "HELLO", "4"), "-NOPROTO unsupported protocol version\r\n");
    assert.equal(
      await run(target, "HELLO", "x"),
      "-ERR Protocol version is not an integer or out of range\r\n",
    );
    assert.equal(target.session.protocol, 2);
  });

  it("CLIENT, SELECT, COMMAND, QUIT answer what clients expect on connect", async () => {
    const target = context();
    assert.equal(await run(target, "CLIENT", "SETNAME", "worker"), "+OK\r\n");
    assert.equal(await run(target, "CLIENT", "GETNAME"), "$6\r\nworker\r\n");
    assert.equal(await run(target, "CLIENT", "ID"), ":7\r\n");
    assert.equal(await run(target, "CLIENT", "SETINFO", "LIB-NAME", "x"), "+OK\r\n");
    assert.equal(
      await run(target, "CLIENT", "KILL"),
      "-ERR wrong number of arguments for 'client|kill' command\r\n",
    );
    assert.equal(
      await run(target, "CLIENT", "NOPE"),
      "-ERR unknown subcommand 'NOPE'. Try CLIENT HELP.\r\n",
    );
    assert.equal(await run(target, "SELECT", "0"), "+OK\r\n");
    assert.equal(await run(target, "SELECT", "1"), "-ERR DB index is out of range\r\n");
    assert.equal(await run(target, "COMMAND", "DOCS", "nosuch"), "*0\r\n");
    const [docs2, docs3] = await both(none, "COMMAND", "DOCS", "get");
    assert.ok(docs2.startsWith("*2\r\n$3\r\nget\r\n*6\r\n$7\r\nsummary\r\n"), docs2);
    assert.ok(docs3.startsWith("%1\r\n$3\r\nget\r\n%3\r\n"), docs3);
    assert.equal(await run(target, "QUIT"), "+OK\r\n");
    assert.equal(target.session.closeAfterReply, true);
  });

  it("COMMAND's subcommands check their arity, GETKEYS and LIST FILTERBY as Redis", async () => {
    const target = context();
    const arity = (sub: string) =>
      `-ERR wrong number of arguments for 'command|${sub}' command\r\n`;
    assert.equal(await run(target, "COMMAND", "COUNT", "x"), arity("count"));
    assert.equal(await run(target, "COMMAND", "GETKEYS", "get"), arity("getkeys"));
    assert.equal(await run(target, "COMMAND", "HELP", "x"), arity("help"));
    assert.equal(await run(target, "COMMAND", "GETKEYS", "get", "k"), "*1\r\n$1\r\nk\r\n");
    assert.equal(
      await run(target, "COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"),
      "*2\r\n$1\r\na\r\n$1\r\nb\r\n",
    );
    assert.equal(
      await run(target, "COMMAND", "GETKEYS", "nosuch", "k"),
      "-ERR Invalid command specified\r\n",
    );
    assert.equal(
      await run(target, "COMMAND", "GETKEYS", "ping", "x"),
      "-ERR The command has no key arguments\r\n",
    );
    assert.equal(
      await run(target, "COMMAND", "GETKEYS", "get", "k", "x"),
      "-ERR Invalid number of arguments specified for command\r\n",
    );
    assert.equal(
      await run(target, "COMMAND", "LIST", "FILTERBY", "PATTERN", "hinc*"),
      "*2\r\n$7\r\nhincrby\r\n$12\r\nhincrbyfloat\r\n",
    );
    assert.equal(await run(target, "COMMAND", "LIST", "FILTERBY", "MODULE", "x"), "*0\r\n");
    assert.equal(
      await run(target, "COMMAND", "LIST", "FILTERBY", "FOO", "x"),
      "-ERR syntax error\r\n",
    );
    assert.equal(await run(target, "COMMAND", "LIST", "FOO"), "-ERR syntax error\r\n");
  });

  it("CLIENT, CONFIG and COMMAND HELP list their subcommands as Redis's HELP does", async () => {
    const target = context();
    for (const name of ["CLIENT", "CONFIG", "COMMAND"]) {
      const help = await run(target, name, "HELP");
      const lines = help.split("\r\n");
      assert.match(lines[0] as string, /^\*\d+$/);
      assert.equal(lines[1], `+${name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
      assert.deepEqual(lines.slice(-3), ["+HELP", "+    Print this help.", ""]);
      assert.equal(Number((lines[0] as string).slice(1)), lines.length - 2);
      assert.equal(
        await run(target, name, "HELP", "x"),
        `-ERR wrong number of arguments for '${name.toLowerCase()}|help' command\r\n`,
      );
    }
    assert.match(await run(target, "CLIENT", "HELP"), /\+NO-TOUCH \(ON\|OFF\)\r\n/);
  });

  it("unknown commands and wrong arity use Redis's texts", async () => {
    const target = context();
    assert.equal(
      await run(target, "NOPE", "a", "b"),
      "-ERR unknown command 'NOPE', with args beginning with: 'a' 'b' \r\n",
    );
    assert.equal(await run(target, "GET"), "-ERR wrong number of arguments for 'get' command\r\n");
    assert.equal(
      await run(target, "ol.wait", "1"),
      "-ERR wrong number of arguments for 'ol.wait' command\r\n",
    );
  });

  it("INFO has the server, persistence, replication and keyspace sections", async () => {
    const [info] = await both(none, "INFO");
    assert.ok(info.startsWith("$"), info);
    for (const line of ["redis_version:7.4.0", "loading:0", "role:master", "# Keyspace"]) {
      assert.ok(info.includes(line), `${line} missing from ${info}`);
    }
    const replication = await run(context(), "INFO", "replication");
    assert.ok(!replication.includes("redis_version"), replication);
    assert.ok(replication.includes("connected_slaves:1"), replication);
  });
});

describe("RESP string commands at the preset defaults", () => {
  it("SET and GET pass no concern (the preset decides) and round-trip bytes", async () => {
    const store = new FakeStore();
    const target = context(store);
    assert.equal(await run(target, "SET", "k", "v\u00ff"), "+OK\r\n");
    assert.deepEqual(store.writes[0]?.concern, {});
    assert.equal(await run(target, "GET", "k"), "$2\r\nv\u00ff\r\n");
    assert.deepEqual(store.reads[0]?.concern, {});
    assert.deepEqual(await both(none, "GET", "missing"), ["$-1\r\n", "_\r\n"]);
  });

  it("SET NX|XX and EX|PX", async () => {
    const store = new FakeStore();
    const target = context(store);
    assert.equal(await run(target, "SET", "k", "1", "NX", "EX", "10"), "+OK\r\n");
    const first = store.writes[0]?.command;
    assert.equal(first?.kind === "set" && first.expireAtMs, nowMs + 10_000);
    assert.equal(await run(target, "SET", "k", "2", "NX"), "$-1\r\n");
    assert.equal(await run(target, "SET", "k", "2", "XX", "PX", "5"), "+OK\r\n");
    assert.equal(await run(target, "SET", "k", "2", "NX", "XX"), "-ERR syntax error\r\n");
    assert.equal(
      await run(target, "SET", "k", "2", "EX", "0"),
      "-ERR invalid expire time in 'set' command\r\n",
    );
    assert.equal(
      await run(target, "SET", "k", "2", "EX", "x"),
      "-ERR value is not an integer or out of range\r\n",
    );
    assert.equal(await run(target, "SET", "k", "2", "BOGUS"), "-ERR syntax error\r\n");
  });

  it("GETEX looks the key up and checks its type before it reads the expiry", async () => {
    // Redis 7.0 getexCommand: nil for a missing key and WRONGTYPE for a list, whatever the
    // expiry says; only a string's GETEX answers that the expiry is wrong, and writes nothing.
    for (const expiry of [
      ["EX", "0"],
      ["PX", "x"],
    ]) {
      assert.deepEqual(await both(none, "GETEX", "missing", ...expiry), ["$-1\r\n", "_\r\n"]);
      assert.equal(
        (await both(withList("l", ["a"]), "GETEX", "l", ...expiry))[0],
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
      );
    }
    const store = new FakeStore();
    withValue("k", "v")(store);
    const target = context(store);
    assert.equal(
      await run(target, "GETEX", "k", "EX", "0"),
      "-ERR invalid expire time in 'getex' command\r\n",
    );
    assert.equal(
      await run(target, "GETEX", "k", "PX", "x"),
      "-ERR value is not an integer or out of range\r\n",
    );
    assert.equal(await run(target, "GETEX", "k", "EX", "0", "EX", "5"), "-ERR syntax error\r\n");
    assert.equal(store.writes.length, 0);
    await run(target, "GETEX", "k", "EX", "5");
    const written = store.writes[0]?.command;
    assert.equal(written?.kind === "getEx" && written.expireAtMs, nowMs + 5_000);
  });

  it("SETRANGE with nothing to set answers the length before any size check", async () => {
    const target = context(new StateStore());
    const tooBig = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";
    assert.equal(await run(target, "SETRANGE", "k", "9223372036854775807", ""), ":0\r\n");
    assert.equal(await run(target, "EXISTS", "k"), ":0\r\n");
    await run(target, "SET", "k", "abc");
    assert.equal(await run(target, "SETRANGE", "k", "9223372036854775807", ""), ":3\r\n");
    assert.equal(await run(target, "SETRANGE", "k", "536870912", "x"), tooBig);
    await run(target, "RPUSH", "l", "a");
    assert.equal(
      await run(target, "SETRANGE", "l", "9223372036854775807", ""),
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
  });

  it("DEL counts, INCR answers the new value or Redis's errors", async () => {
    assert.deepEqual(await both(withValue("a", "1"), "DEL", "a", "b"), [":1\r\n", ":1\r\n"]);
    assert.deepEqual(await both(withValue("n", "41"), "INCR", "n"), [":42\r\n", ":42\r\n"]);
    assert.equal(
      (await both(withValue("n", "x"), "INCR", "n"))[0],
      "-ERR value is not an integer or out of range\r\n",
    );
    assert.equal(
      (await both(withList("l", ["a"]), "GET", "l"))[0],
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
  });

  it("a write on a follower answers as a Redis replica; a read names the leader", async () => {
    const store = new FakeStore();
    const rejected = { kind: "rejected", reason: "not_leader", leader: nodeId(3) } as const;
    store.nextWrite.push({ ...rejected, leaderAddress: "127.0.0.1:7381" });
    store.nextRead.push({ ...rejected, leaderAddress: "127.0.0.1:7381" });
    const target = context(store);
    assert.equal(
      await run(target, "SET", "k", "v"),
      "-READONLY You can't write against a read only replica.\r\n",
    );
    assert.equal(
      await run(target, "GET", "k"),
      "-NOTLEADER 3 127.0.0.1:7381 this node does not lead the shard\r\n",
    );
  });
});

describe("RESP expiry commands", () => {
  // StateStore applies at nowMs 0, while the face's clock reads `nowMs`.
  it("EXPIRE and PEXPIRE refuse only what overflows Redis's int64 arithmetic", async () => {
    const target = context(new StateStore());
    const invalid = (name: string) => `-ERR invalid expire time in '${name}' command\r\n`;
    assert.equal(await run(target, "PEXPIRE", "missing", "-9223372036854775808"), ":0\r\n");
    await run(target, "SET", "k", "v");
    // Far in the past is just past: the key goes, as in expireGenericCommand.
    assert.equal(await run(target, "PEXPIRE", "k", "-9223372036854775808"), ":1\r\n");
    assert.equal(await run(target, "EXISTS", "k"), ":0\r\n");
    await run(target, "SET", "k", "v");
    assert.equal(await run(target, "EXPIRE", "k", "-9223372036854775"), ":1\r\n");
    assert.equal(await run(target, "EXPIRE", "k", "-9223372036854776"), invalid("expire"));
    assert.equal(await run(target, "EXPIRE", "k", "9223372036854776"), invalid("expire"));
    // LLONG_MAX - basetime: the relative form overflows; the absolute one does not, and onelog
    // holds a time past 2^53 ms (the year 287,396) as 2^53 - 1.
    assert.equal(await run(target, "PEXPIRE", "k", "9223372036854775807"), invalid("pexpire"));
    await run(target, "SET", "k", "v");
    assert.equal(await run(target, "PEXPIREAT", "k", "9223372036854775807"), ":1\r\n");
    assert.equal(await run(target, "PEXPIRETIME", "k"), ":9007199254740991\r\n");
    assert.equal(
      await run(target, "EXPIRE", "k", "x"),
      "-ERR value is not an integer or out of range\r\n",
    );
    assert.equal(await run(target, "SET", "k", "v", "PXAT", "9223372036854775807"), "+OK\r\n");
    assert.equal(await run(target, "SET", "k", "v", "PX", "9223372036854775807"), invalid("set"));
    assert.equal(await run(target, "SET", "k", "v", "EX", "9223372036854776"), invalid("set"));
  });

  it("EXPIRETIME rounds to the nearest second, as TTL does", async () => {
    const target = context(new StateStore());
    await run(target, "SET", "k", "v");
    assert.equal(await run(target, "PEXPIREAT", "k", "1500"), ":1\r\n");
    assert.equal(await run(target, "PEXPIRETIME", "k"), ":1500\r\n");
    assert.equal(await run(target, "EXPIRETIME", "k"), ":2\r\n");
    assert.equal(await run(target, "PEXPIREAT", "k", "1499"), ":1\r\n");
    assert.equal(await run(target, "EXPIRETIME", "k"), ":1\r\n");
  });
});

describe("OL. commands", () => {
  it("OL.SET passes its concern and answers [OK|nil, offset]", async () => {
    const store = new FakeStore();
    const target = context(store);
    assert.equal(
      await run(target, "OL.SET", "k", "v", "W", "majority", "J", "WTIMEOUT", "50", "PX", "100"),
      "*2\r\n+OK\r\n:1\r\n",
    );
    assert.deepEqual(store.writes[0]?.concern, { w: "majority", j: true, timeoutMs: 50 });
    const command = store.writes[0]?.command;
    assert.equal(command?.kind === "set" && command.expireAtMs, nowMs + 100);
    assert.deepEqual(await both(withValue("k", "x"), "OL.SET", "k", "v", "NX", "W", "1"), [
      "*2\r\n$-1\r\n:6\r\n",
      "*2\r\n_\r\n:6\r\n",
    ]);
    assert.equal(await run(target, "OL.SET", "k", "v", "W", "2"), "*2\r\n+OK\r\n:2\r\n");
    assert.deepEqual(store.writes[1]?.concern, { w: 2 });
    assert.equal(
      await run(target, "OL.SET", "k", "v", "W", "some"),
      "-ERR W must be 0, 1, <n>, majority or all\r\n",
    );
    assert.equal(await run(target, "OL.SET", "k", "v", "EX", "1"), "-ERR syntax error\r\n");
  });

  it("OL.GET answers [value, offset, version] with its read concern", async () => {
    const store = new FakeStore();
    withValue("k", "v")(store);
    const target = context(store);
    assert.equal(
      await run(
        target,
        "OL.GET",
        "k",
        "READ",
        "majority",
        "AFTER",
        "2",
        "PREF",
        "secondaryPreferred",
        "MAXSTALENESS",
        "100",
        "TIMEOUT",
        "9",
      ),
      "*3\r\n$1\r\nv\r\n:5\r\n:3\r\n",
    );
    assert.deepEqual(store.reads[0]?.concern, {
      level: "majority",
      afterOffset: 2,
      readPreference: "secondaryPreferred",
      maxStalenessMs: 100,
      timeoutMs: 9,
    });
    assert.deepEqual(await both(none, "OL.GET", "nope"), [
      "*3\r\n$-1\r\n:0\r\n$-1\r\n",
      "*3\r\n_\r\n:0\r\n_\r\n",
    ]);
    assert.equal(
      (await both(withList("l", ["a", "b"]), "OL.GET", "l"))[0],
      "*3\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n:5\r\n:4\r\n",
    );
    assert.equal(
      await run(target, "OL.GET", "k", "READ", "snapshot"),
      "-ERR READ snapshot needs AT offset\r\n",
    );
    assert.equal(await run(target, "OL.GET", "k", "AT", "3"), "-ERR AT needs READ snapshot\r\n");
    assert.equal(
      await run(target, "OL.GET", "k", "READ", "snapshot", "AT", "3"),
      "*3\r\n$1\r\nv\r\n:5\r\n:3\r\n",
    );
    assert.equal(
      await run(target, "OL.GET", "k", "READ", "strong"),
      "-ERR READ must be local, available, majority, linearizable or snapshot\r\n",
    );
    assert.equal(
      await run(target, "OL.GET", "k", "PREF", "any"),
      "-ERR PREF must be primary, primaryPreferred, secondary, secondaryPreferred or nearest\r\n",
    );
    assert.equal(
      await run(target, "OL.GET", "k", "AFTER", "-1"),
      "-ERR AFTER must be an offset (a non-negative integer)\r\n",
    );
    assert.equal(await run(target, "OL.GET", "k", "READ"), "-ERR syntax error\r\n");
  });

  it("OL.CAS answers [swapped, offset, current]", async () => {
    assert.deepEqual(await both(withValue("k", "a"), "OL.CAS", "k", "b", "EXPECT", "a"), [
      "*3\r\n:1\r\n:6\r\n$-1\r\n",
      "*3\r\n:1\r\n:6\r\n_\r\n",
    ]);
    assert.equal(
      (await both(withValue("k", "z"), "OL.CAS", "k", "b", "EXPECT", "a"))[0],
      "*3\r\n:0\r\n:6\r\n$1\r\nz\r\n",
    );
    assert.equal(
      (await both(none, "OL.CAS", "k", "b", "ABSENT", "W", "1"))[0],
      "*3\r\n:1\r\n:1\r\n$-1\r\n",
    );
    assert.equal(
      (await both(none, "OL.CAS", "k", "b"))[0],
      "-ERR OL.CAS needs EXPECT value or ABSENT\r\n",
    );
    assert.equal(
      (await both(none, "OL.CAS", "k", "b", "ABSENT", "EXPECT", "a"))[0],
      "-ERR EXPECT and ABSENT exclude each other\r\n",
    );
  });

  it("OL.APPEND, OL.INCR and OL.DEL answer [result, offset]", async () => {
    assert.equal(
      (await both(withList("l", ["a"]), "OL.APPEND", "l", "b"))[0],
      "*2\r\n:2\r\n:6\r\n",
    );
    assert.equal(
      (await both(withValue("s", "x"), "OL.APPEND", "s", "b"))[0],
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    assert.equal(
      (await both(withValue("n", "1"), "OL.INCR", "n", "BY", "-5"))[0],
      "*2\r\n:-4\r\n:6\r\n",
    );
    assert.equal(
      (await both(none, "OL.INCR", "n", "BY", "9223372036854775808"))[0],
      "-ERR value is not an integer or out of range\r\n",
    );
    const store = new FakeStore();
    withValue("a", "1")(store);
    const target = context(store);
    assert.equal(
      await run(target, "OL.DEL", "a", "b", "W", "all", "WTIMEOUT", "10"),
      "*2\r\n:1\r\n:6\r\n",
    );
    const del = store.writes[0];
    assert.deepEqual(del?.command, { kind: "del", keys: ["a", "b"] });
    assert.deepEqual(del?.concern, { w: "all", timeoutMs: 10 });
  });

  it("OL.WAIT asks the Store; OL.STATUS is a map (flat in RESP2)", async () => {
    const store = new FakeStore();
    const target = context(store);
    assert.equal(await run(target, "OL.WAIT", "12", "3", "100"), ":2\r\n");
    assert.deepEqual(store.waits[0], { shard: 0, offset: 12, replicas: 3, timeoutMs: 100 });
    assert.equal(
      await run(target, "OL.WAIT", "x", "3", "100"),
      "-ERR value is not an integer or out of range\r\n",
    );
    const [resp2, resp3] = await both((s) => (s.leo = 9), "OL.STATUS");
    assert.ok(
      resp2.startsWith("*14\r\n$4\r\nrole\r\n$6\r\nleader\r\n$5\r\nepoch\r\n:4\r\n"),
      resp2,
    );
    assert.ok(resp3.startsWith("%7\r\n$4\r\nrole\r\n$6\r\nleader\r\n"), resp3);
    assert.ok(resp3.includes("$9\r\nfollowers\r\n%1\r\n:2\r\n%3\r\n$3\r\nleo\r\n:1\r\n"), resp3);
    assert.ok(resp3.includes("$3\r\nlag\r\n:8\r\n"), resp3);
  });

  it("maps every rejection and outcome to its error code", async () => {
    const cases: Array<[Parameters<FakeStore["nextWrite"]["push"]>[0], string]> = [
      [
        { kind: "rejected", reason: "not_leader" },
        "-NOTLEADER ? ? this node does not lead the shard\r\n",
      ],
      [
        { kind: "rejected", reason: "unsatisfiable", detail: "w:4 but the shard has 3 replicas" },
        "-UNSATISFIABLE w:4 but the shard has 3 replicas\r\n",
      ],
      [
        { kind: "rejected", reason: "overloaded", detail: "too many writes waiting" },
        "-BUSY too many writes waiting\r\n",
      ],
      [{ kind: "rejected", reason: "invalid", detail: "bad" }, "-ERR bad\r\n"],
      [
        {
          kind: "rejected",
          reason: "too_large",
          detail: "value too large: a record holds at most 8388608 bytes",
        },
        "-ERR value too large: a record holds at most 8388608 bytes\r\n",
      ],
      [
        { kind: "timeout", offset: offset(8), result: { kind: "ok" } },
        "-WTIMEOUT 8 the write concern was not met in time; the write stays and may still commit\r\n",
      ],
      [
        { kind: "unknown", offset: offset(9) },
        "-UNKNOWN 9 leadership was lost after the append; the write may or may not survive\r\n",
      ],
      [
        { kind: "unknown", detail: "the node stopped before answering" },
        "-UNKNOWN ? the node stopped before answering; the write may or may not survive\r\n",
      ],
    ];
    for (const [outcome, expected] of cases) {
      const store = new FakeStore();
      store.nextWrite.push(outcome);
      assert.equal(
        await run(context(store), "OL.SET", "k", "v"),
        expected,
        JSON.stringify(outcome),
      );
    }
    const reads: Array<[Parameters<FakeStore["nextRead"]["push"]>[0], string]> = [
      [{ kind: "rejected", reason: "not_secondary" }, "-NOTSECONDARY not secondary\r\n"],
      [
        { kind: "rejected", reason: "too_stale", detail: "staleness 300 ms exceeds 100 ms" },
        "-STALE staleness 300 ms exceeds 100 ms\r\n",
      ],
      [
        {
          kind: "rejected",
          reason: "snapshot_too_old",
          detail: "offset 1 is below the history horizon 5",
        },
        "-SNAPSHOTTOOOLD offset 1 is below the history horizon 5\r\n",
      ],
      [{ kind: "timeout" }, "-TIMEOUT the read waited longer than its TIMEOUT\r\n"],
    ];
    for (const [outcome, expected] of reads) {
      const store = new FakeStore();
      store.nextRead.push(outcome);
      assert.equal(await run(context(store), "OL.GET", "k"), expected, JSON.stringify(outcome));
    }
  });

  it("a handler that throws answers -ERR and does not crash", async () => {
    const store = new FakeStore();
    store.write = () => {
      throw new Error("boom");
    };
    assert.equal(await run(context(store), "SET", "k", "v"), "-ERR internal error in 'set'\r\n");
    // A throw while the answered write is rendered, inside the store's callback, answers too.
    const odd = new FakeStore();
    odd.nextWrite.push({ kind: "ok", offset: offset(1), result: undefined as unknown as KvResult });
    assert.equal(await run(context(odd), "SET", "k", "v"), "-ERR internal error in 'set'\r\n");
  });
});
