/** Node configuration: file, environment and flags in that order; errors name the field. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { environmentName, flagName } from "../../src/server/config.js";
import { loadConfig } from "../../src/server/config_load.js";

const folder = mkdtempSync(join(tmpdir(), "onelog-config-"));
const file = join(folder, "node.yaml");
const nodes = `nodes:
  - { id: 1, respPort: 7379, peerPort: 7479, adminPort: 7579 }
  - { id: 2, respPort: 7380, peerPort: 7480, adminPort: 7580 }
`;

describe("node configuration", () => {
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("reads the file, then ONELOG_* variables, then flags, resolving paths from the file", () => {
    writeFileSync(join(folder, "secret"), "a-secret-of-enough-length\n");
    writeFileSync(
      file,
      `nodeId: 1\nclusterSecretFile: secret\ndataDir: data\npreset: mongodb\ntickMs: 5\n${nodes}`,
    );
    const loaded = loadConfig(file, { ONELOG_TICK_MS: "20", ONELOG_NODE_ID: "2" }, { nodeId: "1" });
    assert.ok(loaded.kind === "ok", JSON.stringify(loaded));
    const { config } = loaded;
    assert.equal(config.nodeId, 1);
    assert.equal(config.tickMs, 20);
    assert.equal(config.preset, "mongodb");
    assert.equal(config.clusterSecret, "a-secret-of-enough-length");
    assert.equal(config.dataDir, join(folder, "data"));
    assert.deepEqual(config.fsync, { kind: "group" });
    assert.equal(config.listenHost, "127.0.0.1");
    assert.equal(config.nodes[1]?.host, "127.0.0.1");
  });

  it("names every bad field", () => {
    writeFileSync(
      file,
      `nodeId: 3\nclusterSecret: short\npreset: kafka\ntickMs: fast\nfsync: sometimes\nnodes:\n  - { id: 1, respPort: 70000, peerPort: 7479 }\n`,
    );
    const loaded = loadConfig(file, {}, {});
    assert.ok(loaded.kind === "invalid");
    assert.deepEqual(loaded.errors, [
      "clusterSecret: must be at least 16 characters",
      "dataDir: required",
      'preset: expected raft|mongodb|redis, got "kafka"',
      'fsync: expected always|group|interval|none, got "sometimes"',
      'tickMs: expected an integer in [1, 10000], got "fast"',
      "nodes[0].respPort: expected an integer in [1, 65535], got 70000",
      "nodes[0].adminPort: required",
      "nodes: no entry for this node's id 3",
    ]);
  });

  it("refuses an unreadable file and YAML that is not a mapping", () => {
    const missing = loadConfig(join(folder, "nope.yaml"), {}, {});
    assert.ok(missing.kind === "invalid" && missing.errors[0]?.startsWith("config: cannot read"));
    writeFileSync(file, "- 1\n- 2\n");
    const list = loadConfig(file, {}, {});
    assert.ok(list.kind === "invalid" && /must hold a mapping/.test(list.errors[0] ?? ""));
  });

  it("checks timing against the election timeout and that this node is listed", () => {
    writeFileSync(
      file,
      `nodeId: 9\nclusterSecret: a-secret-of-enough-length\ndataDir: d\nelectionTimeoutMs: 100\nfetchWaitMs: 90\nheartbeatMs: 20\n${nodes}`,
    );
    const loaded = loadConfig(file, {}, {});
    assert.ok(loaded.kind === "invalid");
    assert.deepEqual(loaded.errors, [
      "fetchWaitMs: 90 + heartbeatMs 20 must be below electionTimeoutMs 100",
      "nodes: no entry for this node's id 9",
    ]);
  });

  it("derives variable and flag names from the config keys", () => {
    assert.equal(environmentName("electionTimeoutMs"), "ONELOG_ELECTION_TIMEOUT_MS");
    assert.equal(flagName("clusterSecretFile"), "--cluster-secret-file");
  });
});
