/**
 * The least RESP parsing a Node.js Redis server can do, shared by the floor servers
 * (node_floor_server.ts, node_floor_replicated.ts): arrays of bulk strings, no inline commands,
 * no limits, no errors. Not product code: it only bounds what the platform allows.
 */

/**
 * Calls `command` with the arguments of each complete command in `input`; returns where the
 * unparsed rest starts.
 */
export function parseCommands(input: Buffer, command: (args: Buffer[]) => void): number {
  let position = 0;
  while (position < input.length) {
    const commandStart = position;
    let lineEnd = input.indexOf(10, position);
    if (lineEnd < 0) return commandStart;
    const count = Number(input.toString("latin1", position + 1, lineEnd - 1));
    position = lineEnd + 1;
    const args: Buffer[] = [];
    for (let index = 0; index < count; index++) {
      lineEnd = input.indexOf(10, position);
      if (lineEnd < 0) return commandStart;
      const length = Number(input.toString("latin1", position + 1, lineEnd - 1));
      position = lineEnd + 1;
      if (position + length + 2 > input.length) return commandStart;
      args.push(input.subarray(position, position + length));
      position += length + 2;
    }
    command(args);
  }
  return position;
}

/** Keeps the unparsed tail of a socket's chunks and hands complete commands to `command`. */
export function commandStream(command: (args: Buffer[]) => void): (chunk: Buffer) => void {
  let rest: Buffer | undefined;
  return (chunk) => {
    const input = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
    const consumed = parseCommands(input, command);
    rest = consumed < input.length ? input.subarray(consumed) : undefined;
  };
}

export const ok = Buffer.from("+OK\r\n");
export const pong = Buffer.from("+PONG\r\n");
