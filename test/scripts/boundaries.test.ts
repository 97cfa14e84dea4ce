import assert from "node:assert/strict";
import { test } from "node:test";
import { checkFile } from "../../scripts/boundaries.js";

const root = "/repo";
const check = (file: string, text: string) => checkFile(root, `${root}/${file}`, text);

test("core may import itself and util", () => {
  assert.deepEqual(
    check(
      "src/core/replica/replica.ts",
      'import { x } from "../types.js";\nimport { assert } from "../../util/assert.js";',
    ),
    [],
  );
});

test("core may not import io, node builtins or packages", () => {
  const problems = check(
    "src/core/replica/replica.ts",
    'import { d } from "../../io/driver.js";\nimport fs from "node:fs";\nimport pino from "pino";',
  );
  assert.equal(problems.length, 3);
  assert.match(problems[0] ?? "", /src\/core\/replica\/replica\.ts:1: .*src\/io\/driver\.ts/);
});

test("core may import the pure data-structure packages it names, and no other", () => {
  const problems = check(
    "src/core/state/x.ts",
    [
      'import createTree from "functional-red-black-tree";',
      'import { List } from "immutable";',
      'import lodash from "lodash";',
    ].join("\n"),
  );
  assert.deepEqual(problems, ["src/core/state/x.ts:3: src/core must not import package lodash"]);
});

test("core may not read the clock, draw randomness or await", () => {
  const problems = check(
    "src/core/x.ts",
    "const t = Date.now();\nconst r = Math.random();\nasync function f() {}\nsetTimeout(f, 1);",
  );
  assert.deepEqual(
    problems.map((p) => p.split(": ").pop()),
    [
      "src/core uses Date",
      "src/core uses Math.random",
      "src/core is asynchronous",
      "src/core uses a timer",
    ],
  );
});

test("words in comments and strings do not count", () => {
  assert.deepEqual(
    check("src/core/x.ts", '// Date and async\nconst s = "process";\n/* Promise\n setTimeout */'),
    [],
  );
});

test("protocols import only api and util", () => {
  assert.equal(
    check("src/protocols/resp/codec.ts", 'import { r } from "../../core/types.js";').length,
    1,
  );
  assert.deepEqual(
    check("src/protocols/resp/codec.ts", 'import type { Store } from "../../api/store.js";'),
    [],
  );
});

test("storage may import core/types but not the replica", () => {
  assert.deepEqual(
    check("src/storage/memory.ts", 'import type { Offset } from "../core/types.js";'),
    [],
  );
  assert.equal(
    check("src/storage/memory.ts", 'import { R } from "../core/replica/replica.js";').length,
    1,
  );
});
