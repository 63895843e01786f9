import { Worker } from "node:worker_threads";

// A cap so a script hammering /trigger_cpu cannot fork-bomb the host.
const MAX_THREADS = 8;

// Endless bigint factorial: pins one core in its own thread, the HTTP loop stays responsive.
const BURN = `
let n = 0n;
for (;;) {
  let f = 1n;
  for (let i = 2n; i <= 2000n; i++) f *= i;
  n += f & 1n;
}
`;

const workers: Worker[] = [];

/** Starts one more busy thread (up to the cap); returns how many are running. */
export function startCpuBurner(): number {
  if (workers.length < MAX_THREADS) {
    const worker = new Worker(BURN, { eval: true });
    worker.unref();
    workers.push(worker);
  }
  return workers.length;
}
