/**
 * Decoder throughput for pipelined SET/GET, as redis-benchmark `-P 16` sends them: 200,000
 * commands (`SET key:<n> <16-byte value>` and `GET key:<n>` alternating) cut into 16 KB chunks
 * (Redis's PROTO_IOBUF_LEN read size), written and drained. Prints decoded commands per second,
 * best and median of the runs, for onelog's RespRequestDecoder and, on the same bytes, for
 * node-redis's RESP decoder (@redis/client, a reply decoder: a request is an array of bulks).
 * Run: npm run bench:resp-codec
 */
import { createRequire } from "node:module";
import { RespRequestDecoder } from "../src/protocols/resp/index.js";

const commandCount = 200_000;
const chunkBytes = 16 * 1024;
const runs = 7;

function bulk(text: string): string {
  return `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
}

function stream(): Buffer[] {
  const parts: string[] = [];
  for (let index = 0; index < commandCount; index++) {
    const key = `key:${index % 10_000}`;
    parts.push(
      index % 2 === 0
        ? `*3\r\n${bulk("SET")}${bulk(key)}${bulk("v".repeat(16))}`
        : `*2\r\n${bulk("GET")}${bulk(key)}`,
    );
  }
  const bytes = Buffer.from(parts.join(""));
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkBytes) {
    chunks.push(bytes.subarray(start, start + chunkBytes));
  }
  return chunks;
}

function onelog(chunks: Buffer[]): number {
  const decoder = new RespRequestDecoder();
  let decoded = 0;
  for (const chunk of chunks) {
    decoder.write(chunk);
    for (let out = decoder.next(); out !== undefined; out = decoder.next()) decoded++;
  }
  return decoded;
}

type Decode = (chunks: Buffer[]) => number;

/** node-redis's decoder, if it can be loaded; it is a transitive dev dependency. */
function nodeRedis(): Decode | undefined {
  try {
    const require = createRequire(import.meta.url);
    const { Decoder } = require("@redis/client/dist/lib/RESP/decoder.js") as {
      Decoder: new (options: object) => { write(chunk: Buffer): void };
    };
    return (chunks) => {
      let decoded = 0;
      const decoder = new Decoder({
        onReply: () => decoded++,
        onErrorReply: () => {},
        onPush: () => {},
        getTypeMapping: () => ({}),
      });
      for (const chunk of chunks) decoder.write(chunk);
      return decoded;
    };
  } catch {
    return undefined;
  }
}

function measure(name: string, decode: Decode, chunks: Buffer[]): void {
  const rates: number[] = [];
  for (let run = 0; run < runs; run++) {
    const startNs = process.hrtime.bigint();
    const decoded = decode(chunks);
    const elapsedNs = Number(process.hrtime.bigint() - startNs);
    if (decoded !== commandCount) throw new Error(`${name} decoded ${decoded} of ${commandCount}`);
    rates.push((decoded / elapsedNs) * 1e9);
  }
  rates.sort((a, b) => b - a);
  const format = (rate: number): string => `${(rate / 1e6).toFixed(2)} M/s`;
  console.log(
    `${name.padEnd(28)} best ${format(rates[0]!)}  median ${format(rates[Math.floor(runs / 2)]!)}`,
  );
}

const chunks = stream();
const totalBytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
console.log(
  `pipelined SET/GET: ${commandCount} commands, ${(totalBytes / 1e6).toFixed(1)} MB in ${chunkBytes}-byte chunks, ${runs} runs`,
);
measure("onelog RespRequestDecoder", onelog, chunks);
const other = nodeRedis();
if (other === undefined) console.log("@redis/client decoder: not installed, skipped");
else measure("@redis/client Decoder", other, chunks);
