/**
 * The data commands, by family (strings, counters, keyspace, expiry, hashes, lists, sets and
 * their algebra, sorted sets).
 */
import type { CommandSpec } from "./context.js";
import { counterCommands } from "./counters.js";
import { expiryCommands } from "./expiry.js";
import { hashCommands } from "./hashes.js";
import { introspectionCommands } from "./introspection.js";
import { keyspaceCommands } from "./keyspace.js";
import { listCommands } from "./lists.js";
import { memberScanCommands } from "./member_scans.js";
import { setAlgebraCommands } from "./set_algebra.js";
import { setCommands } from "./sets.js";
import { sortedSetCommands } from "./sorted_sets.js";
import { stringCommands } from "./strings.js";

export const dataCommands: CommandSpec[] = [
  ...stringCommands,
  ...counterCommands,
  ...keyspaceCommands,
  ...expiryCommands,
  ...hashCommands,
  ...listCommands,
  ...setCommands,
  ...setAlgebraCommands,
  ...sortedSetCommands,
  ...memberScanCommands,
  ...introspectionCommands,
];
