/**
 * The least RESP parsing a Node.js Redis server can do, shared by the floor servers
 * (node_floor_server.ts, node_floor_replicated.ts): arrays of bulk strings, no inline commands,
 * no limits, no errors. Not product code: it only bounds what the platform allows, so it does
 * what a server tuned for speed would — lengths read digit by digit, arguments kept as offsets
 * into the chunk rather than as Buffer views, a run of `+OK` replies cut from one buffer.
 */

/** One parsed command: where its arguments lie in `input`; one object, reused command to command. */
export class CommandView {
  input: Buffer = Buffer.alloc(0);
  count = 0;
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  /** The command name's first letter, lower-cased: enough to tell SET, GET and PING apart. */
  initial(): number {
    return this.count > 0 ? (this.input[this.starts[0] as number] as number) | 32 : 0;
  }

  text(index: number): string {
    return this.input.toString("latin1", this.starts[index], this.ends[index]);
  }

  length(index: number): number {
    return (this.ends[index] as number) - (this.starts[index] as number);
  }

  /** Copies argument `index` into `target` at `offset`. */
  copy(index: number, target: Buffer, offset: number): void {
    this.input.copy(target, offset, this.starts[index], this.ends[index]);
  }
}

export const letterS = 115;
export const letterG = 103;
export const letterP = 112;

/** The decimal number in `input` from `start` to `end`. */
function digits(input: Buffer, start: number, end: number): number {
  let value = 0;
  for (let position = start; position < end; position++) {
    value = value * 10 + ((input[position] as number) - 48);
  }
  return value;
}

/**
 * Calls `command` with each complete command in `input` (the view is reused); returns where the
 * unparsed rest starts.
 */
export function parseCommands(input: Buffer, command: (view: CommandView) => void): number {
  const view = new CommandView();
  view.input = input;
  let position = 0;
  while (position < input.length) {
    const commandStart = position;
    let lineEnd = input.indexOf(13, position);
    if (lineEnd < 0) return commandStart;
    const count = digits(input, position + 1, lineEnd);
    position = lineEnd + 2;
    for (let index = 0; index < count; index++) {
      lineEnd = input.indexOf(13, position);
      if (lineEnd < 0) return commandStart;
      const length = digits(input, position + 1, lineEnd);
      position = lineEnd + 2;
      if (position + length + 2 > input.length) return commandStart;
      view.starts[index] = position;
      view.ends[index] = position + length;
      position += length + 2;
    }
    view.count = count;
    command(view);
  }
  return position;
}

/** Keeps the unparsed tail of a socket's chunks and hands complete commands to `command`. */
export function commandStream(command: (view: CommandView) => void): (chunk: Buffer) => void {
  let rest: Buffer | undefined;
  return (chunk) => {
    const input = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
    const consumed = parseCommands(input, command);
    rest = consumed < input.length ? input.subarray(consumed) : undefined;
  };
}

/** A chunk's replies: runs of `+OK` cut from one buffer, other replies as given. */
export class ReplyBatch {
  private static readonly oks = Buffer.from("+OK\r\n".repeat(4096));
  private readonly parts: Buffer[] = [];
  private pendingOks = 0;

  ok(): void {
    this.pendingOks++;
    if (this.pendingOks === 4096) this.closeOks();
  }

  push(reply: Buffer): void {
    this.closeOks();
    this.parts.push(reply);
  }

  /** The replies as one buffer, or undefined when there are none; the batch starts empty again. */
  take(): Buffer | undefined {
    this.closeOks();
    const parts = this.parts.splice(0);
    if (parts.length <= 1) return parts[0];
    return Buffer.concat(parts);
  }

  private closeOks(): void {
    if (this.pendingOks === 0) return;
    this.parts.push(ReplyBatch.oks.subarray(0, 5 * this.pendingOks));
    this.pendingOks = 0;
  }
}

export const pong = Buffer.from("+PONG\r\n");
