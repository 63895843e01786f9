const CHUNK_MB = 10;
const MB = 1024 * 1024;

// Deliberately never released: this is the leak the demo remediates with a restart.
const retained: Buffer[] = [];

/** Allocates and holds 10 MB. The fill writes every page, so the memory is really resident (RSS grows). */
export function leakMemory(): void {
  retained.push(Buffer.alloc(CHUNK_MB * MB, "leak"));
}

export function retainedMb(): number {
  return retained.length * CHUNK_MB;
}

export function rssMb(): number {
  return round1(process.memoryUsage().rss / MB);
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
