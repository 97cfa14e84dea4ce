import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { isUpToDate, voteResult } from "../../../src/core/policy/index.js";
import { epoch, type NodeId, nodeId, offset } from "../../../src/core/types.js";

test("up-to-date: a later last epoch wins, then a longer log (Raft §5.4.1)", () => {
  const at = (e: number, leo: number) => ({ lastEpoch: epoch(e), leo: offset(leo) });
  assert.equal(isUpToDate(at(3, 1), at(2, 100)), true);
  assert.equal(isUpToDate(at(2, 100), at(3, 1)), false);
  assert.equal(isUpToDate(at(2, 5), at(2, 5)), true);
  assert.equal(isUpToDate(at(2, 4), at(2, 5)), false);
  fc.assert(
    fc.property(fc.nat(5), fc.nat(9), fc.nat(5), fc.nat(9), (e1, l1, e2, l2) => {
      // A total preorder: of any two logs, at least one is as up to date as the other.
      assert.ok(isUpToDate(at(e1, l1), at(e2, l2)) || isUpToDate(at(e2, l2), at(e1, l1)));
    }),
  );
});

test("vote result: won with a majority, lost when a majority is out of reach", () => {
  const members = [1, 2, 3, 4, 5].map(nodeId);
  const votes = (entries: Array<[number, boolean]>) =>
    new Map<NodeId, boolean>(entries.map(([n, v]) => [nodeId(n), v]));
  assert.equal(
    voteResult(
      members,
      votes([
        [1, true],
        [2, true],
      ]),
    ),
    "pending",
  );
  assert.equal(
    voteResult(
      members,
      votes([
        [1, true],
        [2, true],
        [3, true],
      ]),
    ),
    "won",
  );
  assert.equal(
    voteResult(
      members,
      votes([
        [1, true],
        [2, false],
        [3, false],
      ]),
    ),
    "pending",
  );
  assert.equal(
    voteResult(
      members,
      votes([
        [1, true],
        [2, false],
        [3, false],
        [4, false],
      ]),
    ),
    "lost",
  );
  assert.equal(voteResult([nodeId(1)], votes([[1, true]])), "won");
  fc.assert(
    fc.property(fc.array(fc.option(fc.boolean()), { minLength: 1, maxLength: 7 }), (raw) => {
      const ids = raw.map((_, index) => nodeId(index + 1));
      const map = new Map<NodeId, boolean>();
      raw.forEach((vote, index) => {
        if (vote !== null) map.set(nodeId(index + 1), vote);
      });
      const granted = raw.filter((v) => v === true).length;
      const rejected = raw.filter((v) => v === false).length;
      const quorum = Math.floor(raw.length / 2) + 1;
      const expected =
        granted >= quorum ? "won" : raw.length - rejected < quorum ? "lost" : "pending";
      assert.equal(voteResult(ids, map), expected);
    }),
  );
});
