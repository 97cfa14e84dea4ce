/** The three readers: what they accept (tab and space variants too) and the errors they give. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { detectFormat, type History, parseHistory } from "../../src/checker/index.js";

function parsed(text: string, format: "jsonl" | "edn" | "jepsen-log"): History {
  const result = parseHistory(text, format);
  assert.equal(result.kind, "ok", result.kind === "error" ? result.error.message : "");
  return (result as { kind: "ok"; value: History }).value;
}

function failure(
  text: string,
  format: "jsonl" | "edn" | "jepsen-log",
): { line: number; message: string } {
  const result = parseHistory(text, format);
  assert.equal(result.kind, "error");
  return (result as { kind: "error"; error: { line: number; message: string } }).error;
}

test("jsonl: onelog fields are read onto the operation", () => {
  const history = parsed(
    [
      '{"process":0,"type":"invoke","f":"write","key":"k","value":"v","time":1,"concern":{"write":"majority"}}',
      "",
      '{"process":0,"type":"ok","f":"write","key":"k","value":"v","time":2,"offset":8,"node":2,"epoch":3,"session":"s"}',
      '{"process":1,"type":"invoke","f":"read","key":"k","value":null,"time":3}',
      '{"process":1,"type":"ok","f":"read","key":"k","value":"v","time":4,"offset":8,"version":8,"final":true}',
    ].join("\n"),
    "jsonl",
  );
  const [write, read] = history.operations;
  assert.deepEqual(
    [
      write?.offset,
      write?.node,
      write?.epoch,
      write?.session,
      write?.concern?.write,
      write?.callLine,
      write?.returnLine,
    ],
    [8, 2, 3, "s", "majority", 1, 3],
  );
  assert.deepEqual(
    [read?.output, read?.version, read?.final, read?.callTimeMs, read?.returnTimeMs],
    ["v", 8, true, 3, 4],
  );
});

test("jsonl: malformed lines name the line and what was expected", () => {
  assert.deepEqual(
    failure('{"process":0,"type":"invoke","f":"read"}\n{"process":0,', "jsonl").line,
    2,
  );
  assert.match(
    failure('{"process":"x","type":"invoke","f":"read"}', "jsonl").message,
    /"process" to be an integer/,
  );
  assert.match(
    failure('{"process":0,"type":"invoke","f":"read","offset":-1}', "jsonl").message,
    /"offset" to be a non-negative integer/,
  );
  assert.match(failure("[1,2]", "jsonl").message, /JSON object/);
  const orphan = failure('{"process":0,"type":"ok","f":"read","value":1}', "jsonl");
  assert.match(orphan.message, /no open invocation/);
  const twice = failure(
    '{"process":0,"type":"invoke","f":"read"}\n{"process":0,"type":"invoke","f":"read"}',
    "jsonl",
  );
  assert.deepEqual([twice.line, /still open/.test(twice.message)], [2, true]);
});

test("edn: one map per line, a vector of maps, and maps over several lines", () => {
  const perLine = parsed(
    "{:process 0, :type :invoke, :f :cas, :value [1 4], :time 2000000, :index 0}\n" +
      "{:process 0, :type :ok, :f :cas, :value [1 4], :time 5000000, :index 1}\n" +
      '{:process :nemesis, :type :info, :f :start, :value "partition"}\n',
    "edn",
  );
  assert.deepEqual(perLine.operations[0]?.input, [1, 4]);
  assert.deepEqual([perLine.operations[0]?.callTimeMs, perLine.nemesisEventCount], [2, 1]);
  const vector = parsed(
    "[{:process 0 :type :invoke :f :txn :value [[:read :x nil] [:write :y 2]]}\n" +
      " {:process 0\n  :type :ok\n  :f :txn\n  :value [[:read :x 1] [:write :y 2]]}]\n",
    "edn",
  );
  assert.deepEqual(vector.operations[0]?.output, [
    ["read", "x", 1],
    ["write", "y", 2],
  ]);
  assert.equal(vector.operations[0]?.returnLine, 2);
  const info = parsed(
    "{:process 3 :type :invoke :f :write :value 2}\n{:process 3 :type :info :f :write :value :timed-out}",
    "edn",
  );
  assert.equal(info.operations[0]?.status, "info");
});

test("edn: malformed input names the line", () => {
  const unclosed = failure(
    "{:process 0 :type :invoke :f :read :value nil}\n{:process 0 :type :ok :f :read",
    "edn",
  );
  assert.deepEqual([unclosed.line, /closed/.test(unclosed.message)], [2, true]);
  assert.match(failure("{:process 0 :type :begin :f :read}", "edn").message, /:type to be one of/);
  assert.match(failure("42", "edn").message, /expected a map/);
  assert.equal(failure("{:process 0 :type :invoke :f :read}\n{:type :ok :f :read}", "edn").line, 2);
});

test("jepsen log: tabs or spaces, nil, vectors and keywords as values, other lines skipped", () => {
  const tabs =
    "INFO  jepsen.util - 0\t:invoke\t:cas\t[1 4]\nINFO  jepsen.util - 0\t:ok\t:cas\t[1 4]\n";
  const spaces =
    "2017-03-01 12:00:00,000{GMT}\tINFO\t[jepsen worker 0] jepsen.util: 0 :invoke :cas [1 4]\n" +
    "INFO jepsen.core - Running test\n" +
    "INFO  jepsen.util -   0   :ok   :cas   [1 4]\n";
  for (const text of [tabs, spaces]) {
    const history = parsed(text, "jepsen-log");
    assert.deepEqual(
      history.operations.map((operation) => [operation.f, operation.input, operation.status]),
      [["cas", [1, 4], "ok"]],
    );
  }
  const keyword = parsed(
    "INFO  jepsen.util - 4\t:invoke\t:write\t3\nINFO  jepsen.util - 4\t:info\t:write\t:timed-out\nINFO  jepsen.util - :nemesis\t:info\t:start\tnil\n",
    "jepsen-log",
  );
  assert.deepEqual(
    [keyword.operations[0]?.status, keyword.operations[0]?.input, keyword.nemesisEventCount],
    ["info", 3, 1],
  );
});

test("jepsen log: malformed operation lines name the line", () => {
  const badType = failure(
    "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:done\t:read\t3\n",
    "jepsen-log",
  );
  assert.deepEqual([badType.line, /:invoke, :ok, :fail or :info/.test(badType.message)], [2, true]);
  const badValue = failure("INFO  jepsen.util - 0\t:invoke\t:cas\t[1 4\n", "jepsen-log");
  assert.deepEqual([badValue.line, /EDN value/.test(badValue.message)], [1, true]);
  assert.match(failure("hello\nworld\n", "jepsen-log").message, /found none/);
});

test("the format is guessed from the first line", () => {
  assert.equal(detectFormat('{"process":0}'), "jsonl");
  assert.equal(detectFormat("\n{:process 0}"), "edn");
  assert.equal(detectFormat("[{:process 0}]"), "edn");
  assert.equal(detectFormat("INFO  jepsen.util - 0\t:invoke\t:read\tnil"), "jepsen-log");
});
