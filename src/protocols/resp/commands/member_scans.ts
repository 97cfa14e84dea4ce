/**
 * HSCAN, SSCAN and ZSCAN key cursor [MATCH pattern] [COUNT count] (redis/src/db.c
 * scanGenericCommand; the walk is the core's memberScan). As in Redis, the cursor is checked
 * first, then the key (absent: `[0, []]` whatever the options say; another type: WRONGTYPE),
 * then the options. ZSCAN's scores are bulk strings in RESP3 too, as Redis writes them.
 */
import { formatDouble } from "../double_text.js";
import type { Reply } from "../reply.js";
import { array, bulk } from "../reply.js";
import { text } from "./arguments.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { readReply, wrongType } from "./redis_access.js";
import { invalidCursor, scanCursor, scanOptions } from "./scan_arguments.js";

type ScannedType = "hash" | "set" | "zset";

const emptyScan = (): Reply => array([bulk("0"), array([])]);

function memberScan(type: ScannedType) {
  return (args: readonly Buffer[], context: CommandContext): Reply | Promise<Reply> => {
    const key = text(args[1] as Buffer);
    const cursor = scanCursor(args[2] as Buffer);
    if (cursor === undefined) return invalidCursor();
    const options = scanOptions(args, 3, false);
    if ("kind" in options) {
      // Bad options are answered only for a key of the right type.
      const refusal = options;
      return readReply(context, { kind: "type", key }, (result) => {
        if (result.type === "none") return emptyScan();
        return result.type === type ? refusal : wrongType();
      });
    }
    const { count, pattern } = options;
    const query = {
      kind: "memberScan" as const,
      key,
      type,
      cursor,
      count,
      ...(pattern === undefined || pattern === "*" ? {} : { pattern }),
    };
    return readReply(context, query, (result) => {
      const items = result.items.flatMap(([member, value]) =>
        value === undefined
          ? [bulk(member)]
          : [bulk(member), bulk(typeof value === "number" ? formatDouble(value) : value)],
      );
      return array([bulk(result.cursor), array(items)]);
    });
  };
}

const read = "read" as const;

export const memberScanCommands: CommandSpec[] = [
  { name: "hscan", arity: -3, access: read, keys: [1, 1, 1], handler: memberScan("hash") },
  { name: "sscan", arity: -3, access: read, keys: [1, 1, 1], handler: memberScan("set") },
  { name: "zscan", arity: -3, access: read, keys: [1, 1, 1], handler: memberScan("zset") },
];
