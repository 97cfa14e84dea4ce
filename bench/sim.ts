/**
 * Simulator throughput: 3-node seeds of 1,000 client operations each, under the seed's faults.
 * Prints seeds per wall second and simulated client operations per wall second.
 *
 *     npm run bench:sim [-- --seeds 100]
 */
import { runSeed } from "../src/sim/run.js";

const seedsArgument = process.argv.indexOf("--seeds");
const seeds = seedsArgument > 0 ? Number(process.argv[seedsArgument + 1]) : 100;

// Warm up the JIT so the figure describes steady state.
for (let seed = 1; seed <= 5; seed++) runSeed(100_000 + seed, { nodeCount: 3 });

let operations = 0;
let virtualMs = 0;
let messages = 0;
let failed = 0;
const started = performance.now();
for (let seed = 1; seed <= seeds; seed++) {
  const result = runSeed(seed, { nodeCount: 3, operationCount: 1000 });
  operations += result.operations;
  virtualMs += result.virtualMs;
  messages += result.messages;
  if (!result.ok) failed++;
}
const wallSeconds = (performance.now() - started) / 1000;

console.log(`3-node seeds of 1,000 client operations: ${seeds} seeds, ${failed} failed`);
console.log(`wall time                ${wallSeconds.toFixed(2)} s`);
console.log(`seeds per second         ${(seeds / wallSeconds).toFixed(1)}`);
console.log(`operations per second    ${(operations / wallSeconds).toFixed(0)}`);
console.log(`peer messages per second ${(messages / wallSeconds).toFixed(0)}`);
console.log(`virtual/wall time ratio  ${(virtualMs / 1000 / wallSeconds).toFixed(0)}x`);
