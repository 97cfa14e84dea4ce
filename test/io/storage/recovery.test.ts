/**
 * Recovery on open: a torn or corrupt tail is cut back to the complete prefix with a warning;
 * damage anywhere else refuses to open with a message naming the file, byte and offset.
 */
import assert from "node:assert/strict";
import { readFileSync, renameSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { epoch, nodeId } from "../../../src/core/types.js";
import { DiskStorage } from "../../../src/io/storage/index.js";
import { batchesFrom, openOk, reload, withDirectory } from "./support.js";

const firstSegment = "00000000000000000000.log";

/** Writes `sizes` batches into a fresh log in `directory`; returns them and the frame ends. */
function writeLog(directory: string, sizes: readonly number[], segmentBytesMax?: number) {
  const batches = batchesFrom(0, sizes);
  const storage = openOk(directory, segmentBytesMax === undefined ? {} : { segmentBytesMax });
  const frameEnds: number[] = [];
  for (const batch of batches) {
    storage.append([batch]);
    frameEnds.push(statSync(join(directory, firstSegment)).size);
  }
  storage.close();
  return { batches, frameEnds };
}

function flipByte(path: string, position: number): void {
  const bytes = readFileSync(path);
  bytes[position] = (bytes[position] as number) ^ 0x40;
  writeFileSync(path, bytes);
}

describe("torn tail", () => {
  test("a cut at every byte of the last frame keeps exactly the complete prefix", () => {
    withDirectory((directory) => {
      const { batches, frameEnds } = writeLog(directory, [2, 3, 1]);
      const path = join(directory, firstSegment);
      const original = readFileSync(path);
      const lastStart = frameEnds[1] as number;
      for (let cut = lastStart; cut < original.length; cut++) {
        writeFileSync(path, original.subarray(0, cut));
        const warnings: string[] = [];
        const storage = openOk(directory, { warn: (message) => warnings.push(message) });
        assert.deepEqual(storage.load().batches, batches.slice(0, 2), `cut at ${cut}`);
        assert.equal(statSync(path).size, lastStart, `file cut back to the frame boundary`);
        assert.deepEqual(warnings, cut === lastStart ? [] : ["truncating a torn log tail"]);
        // The recovered log continues where the complete prefix ends.
        storage.append([batches[2]!]);
        storage.close();
        assert.deepEqual(reload(directory).batches, batches);
      }
    });
  });

  test("a flipped byte anywhere in the last frame cuts that frame", () => {
    withDirectory((directory) => {
      const { batches, frameEnds } = writeLog(directory, [2, 3, 1]);
      const path = join(directory, firstSegment);
      const original = readFileSync(path);
      for (let position = frameEnds[1] as number; position < original.length; position++) {
        writeFileSync(path, original);
        flipByte(path, position);
        assert.deepEqual(reload(directory).batches, batches.slice(0, 2), `flip at ${position}`);
      }
    });
  });

  test("a segment left empty by a crash is removed", () => {
    withDirectory((directory) => {
      const { batches } = writeLog(directory, [2]);
      writeFileSync(join(directory, "00000000000000000002.log"), "");
      const warnings: string[] = [];
      const storage = openOk(directory, { warn: (message) => warnings.push(message) });
      assert.deepEqual(storage.load().batches, batches);
      assert.deepEqual(warnings, ["removing an empty segment"]);
      storage.append(batchesFrom(2, [1]));
      storage.close();
    });
  });
});

describe("damage refuses to open", () => {
  test("a flipped byte in a middle frame, naming the file, byte and offset", () => {
    withDirectory((directory) => {
      const { frameEnds } = writeLog(directory, [2, 3, 1]);
      const path = join(directory, firstSegment);
      // In the second frame's header (its base offset), then in its payload.
      for (const delta of [9, 40]) {
        const original = readFileSync(path);
        flipByte(path, (frameEnds[0] as number) + delta);
        const outcome = DiskStorage.open(directory);
        assert.equal(outcome.kind, "corrupt");
        if (outcome.kind !== "corrupt") return;
        assert.equal(outcome.corruption.file, path);
        assert.equal(outcome.corruption.positionBytes, frameEnds[0]);
        assert.equal(outcome.corruption.offset, 2);
        assert.match(
          outcome.corruption.message,
          new RegExp(
            `^${path}` +
              ` is corrupt at byte ${frameEnds[0]} \\(offset 2\\): crc32c .*` +
              `yet a valid frame follows at byte ${frameEnds[1]}; refusing to open`,
          ),
        );
        // Nothing was cut: the damaged file is left for the operator.
        assert.equal(statSync(path).size, frameEnds[2]);
        writeFileSync(path, original);
      }
    });
  });

  test("a damaged length field in a middle frame", () => {
    withDirectory((directory) => {
      const { frameEnds } = writeLog(directory, [2, 3, 1]);
      const path = join(directory, firstSegment);
      flipByte(path, (frameEnds[0] as number) + 3);
      const outcome = DiskStorage.open(directory);
      assert.equal(outcome.kind, "corrupt");
      assert.match(
        outcome.kind === "corrupt" ? outcome.corruption.reason : "",
        /^frame length \d+ out of range, yet a valid frame follows/,
      );
    });
  });

  test("a torn frame in a segment that is not the last", () => {
    withDirectory((directory) => {
      writeLog(directory, [1, 1, 1], 80);
      const path = join(directory, firstSegment);
      truncateSync(path, statSync(path).size - 1);
      const outcome = DiskStorage.open(directory);
      assert.equal(outcome.kind, "corrupt");
      if (outcome.kind !== "corrupt") return;
      assert.equal(outcome.corruption.file, path);
      assert.match(outcome.corruption.reason, /in a segment that is not the last$/);
    });
  });

  test("a gap between segments", () => {
    withDirectory((directory) => {
      writeLog(directory, [1, 1, 1], 80);
      renameSync(
        join(directory, "00000000000000000002.log"),
        join(directory, "00000000000000000005.log"),
      );
      const outcome = DiskStorage.open(directory);
      assert.equal(outcome.kind, "corrupt");
      if (outcome.kind !== "corrupt") return;
      assert.equal(outcome.corruption.file, join(directory, "00000000000000000005.log"));
      assert.equal(
        outcome.corruption.reason,
        "segment starts at offset 5 but the previous one ends at 2",
      );
    });
  });

  test("a damaged hard-state file", () => {
    withDirectory((directory) => {
      const storage = openOk(directory);
      storage.saveHardState({ epoch: epoch(3), vote: nodeId(1) });
      storage.close();
      flipByte(join(directory, "hard_state"), 6);
      const outcome = DiskStorage.open(directory);
      assert.equal(outcome.kind, "corrupt");
      assert.equal(outcome.kind === "corrupt" ? outcome.corruption.reason : "", "crc32c mismatch");
    });
  });
});

test("an unfinished hard-state file from a crash is ignored", () => {
  withDirectory((directory) => {
    const storage = openOk(directory);
    storage.saveHardState({ epoch: epoch(3), vote: nodeId(1) });
    storage.close();
    writeFileSync(join(directory, "hard_state.tmp"), "half");
    assert.deepEqual(reload(directory).hardState, { epoch: 3, vote: 1 });
  });
});
