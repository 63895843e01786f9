import { Session } from "node:inspector";

export interface CollectedHeap {
  /** The thread's used heap (bytes) before and after the collection. */
  heapUsedBefore: number;
  heapUsedAfter: number;
}

/**
 * One full, memory-reducing garbage collection of the calling thread's V8 heap (the inspector's
 * `HeapProfiler.collectGarbage`, V8's low-memory notification: no `--expose-gc` needed), then the
 * freed pages go back to the system. Start-up leaves ~35 MB of garbage (compiled modules, schemas
 * built once, migrations) that V8's memory reducer would only return after ~20 s of idling
 * (ADR 0025, eighth round). Works in a worker thread too (each thread has its own heap).
 */
export function collectGarbage(): Promise<CollectedHeap> {
  const heapUsedBefore = process.memoryUsage().heapUsed;
  return new Promise((resolve, reject) => {
    const session = new Session();
    session.connect();
    session.post("HeapProfiler.collectGarbage", (err) => {
      // Disconnecting inside the callback never returns (the session is still dispatching): defer it.
      setImmediate(() => {
        session.disconnect();
        if (err) reject(err);
        else resolve({ heapUsedBefore, heapUsedAfter: process.memoryUsage().heapUsed });
      });
    });
  });
}
