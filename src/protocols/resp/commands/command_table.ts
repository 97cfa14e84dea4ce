/** Every command the face serves, by lower-case name (the dispatcher's and COMMAND's table). */
import { authCommands } from "./auth.js";
import { clientCommands } from "./client.js";
import { commandInfoCommands } from "./command_info.js";
import { configCommands } from "./config.js";
import { connectionCommands } from "./connection.js";
import type { CommandSpec } from "./context.js";
import { dataCommands } from "./data_commands.js";
import { infoCommands } from "./info.js";
import { olReadCommands } from "./ol_reads.js";
import { olWriteCommands } from "./ol_writes.js";
import { popCommands } from "./pops.js";
import { pubsubCommands } from "./pubsub.js";
import { replicationCommands } from "./replication.js";
import { scriptingCommands } from "./scripting.js";
import { transactionCommands } from "./transactions.js";

let table: Map<string, CommandSpec> | undefined;

/** Built on first use, so that command_info.ts may read it without an import cycle at load. */
export function commandTable(): Map<string, CommandSpec> {
  table ??= new Map(
    [
      ...authCommands,
      ...connectionCommands,
      ...clientCommands,
      ...configCommands,
      ...commandInfoCommands,
      ...infoCommands,
      ...replicationCommands,
      ...dataCommands,
      ...transactionCommands,
      ...scriptingCommands,
      ...pubsubCommands,
      ...popCommands,
      ...olWriteCommands,
      ...olReadCommands,
    ].map((spec) => [spec.name, spec]),
  );
  return table;
}
