import { METRIC_FIELDS, type MetricRecord, ServerStatus } from "@aegis/contracts";

import { dataTimeMs } from "../history/time-range.js";

const STATUSES = ServerStatus.options;
const WIDTH = METRIC_FIELDS.length;

/**
 * A page of samples as typed arrays: posted to the training worker with its buffers transferred,
 * not cloned, and held there at ~130 bytes a sample instead of a ~1 KB object each.
 */
export interface SampleChunk {
  /** Server names of this chunk; `server` indexes them. */
  servers: string[];
  server: Uint32Array;
  status: Uint8Array;
  /** Data time, epoch ms. */
  ms: Float64Array;
  /** Row-major, `METRIC_FIELDS` order. */
  values: Float64Array;
}

export function encodeSamples(records: readonly MetricRecord[]): SampleChunk {
  const n = records.length;
  const servers: string[] = [];
  const serverIndex = new Map<string, number>();
  const chunk: SampleChunk = {
    servers,
    server: new Uint32Array(n),
    status: new Uint8Array(n),
    ms: new Float64Array(n),
    values: new Float64Array(n * WIDTH),
  };
  records.forEach((r, i) => {
    let s = serverIndex.get(r.server_name);
    if (s === undefined) {
      s = servers.length;
      servers.push(r.server_name);
      serverIndex.set(r.server_name, s);
    }
    chunk.server[i] = s;
    chunk.status[i] = STATUSES.indexOf(r.status);
    chunk.ms[i] = dataTimeMs(r.timestamp);
    METRIC_FIELDS.forEach((f, j) => {
      chunk.values[i * WIDTH + j] = r[f];
    });
  });
  return chunk;
}

/** The buffers of a chunk, for `postMessage`'s transfer list. */
export function chunkBuffers(c: SampleChunk): ArrayBuffer[] {
  return [c.server.buffer, c.status.buffer, c.ms.buffer, c.values.buffer] as ArrayBuffer[];
}

/**
 * The training history inside the worker. Iterable any number of times (one pass per epoch),
 * each pass decoding records afresh, so only the compact columns stay in memory.
 */
export class SampleHistory implements Iterable<MetricRecord> {
  private readonly chunks: SampleChunk[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(chunk: SampleChunk): void {
    this.chunks.push(chunk);
    this.count += chunk.ms.length;
  }

  *[Symbol.iterator](): Iterator<MetricRecord> {
    for (const c of this.chunks) {
      for (let i = 0; i < c.ms.length; i++) {
        const r: Record<string, unknown> = {
          timestamp: new Date(c.ms[i] as number).toISOString(),
          server_name: c.servers[c.server[i] as number],
          status: STATUSES[c.status[i] as number],
        };
        METRIC_FIELDS.forEach((f, j) => {
          r[f] = c.values[i * WIDTH + j];
        });
        yield r as MetricRecord;
      }
    }
  }
}
