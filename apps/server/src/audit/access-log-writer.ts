import type { AccessLogEntry } from "@aegis/contracts";
import type { Logger } from "../shared/logger.js";
import type { Database } from "../store/database.js";
import { type AccessLogRow, type SecurityScope, SecurityStore } from "../store/security-store.js";

export type AccessRecord = Omit<AccessLogRow, "id">;

export interface AccessLogOptions {
  /** Rows older than this are deleted. */
  retentionDays: number;
  /** How often the buffer is written. */
  flushMs?: number;
  /** A buffer this full is written at once. */
  batchSize?: number;
  /** Beyond this many unwritten rows (database down), the oldest are dropped and counted. */
  maxBuffered?: number;
}

function view(r: AccessLogRow): AccessLogEntry {
  return {
    id: r.id,
    timestamp: r.at.toISOString(),
    principal:
      r.principalKind && r.principalId
        ? { kind: r.principalKind, id: r.principalId, name: r.principalName ?? r.principalId }
        : null,
    method: r.method,
    route: r.route,
    path: r.path,
    status_code: r.status,
    latency_ms: Math.round(r.latencyMs * 100) / 100,
    ip_address: r.ip,
    user_agent: r.userAgent,
    request_id: r.requestId,
  };
}

/**
 * Every API request, written in batches off the hot path: `record` only pushes to a bounded buffer;
 * a timer writes it (one multi-row INSERT) and prunes rows past the retention period once an hour.
 */
export class AccessLogWriter {
  private readonly store = new SecurityStore();
  private buffer: AccessRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private lastPrune = 0;
  /** Rows dropped because the buffer overflowed (shown by the monitoring metrics). */
  dropped = 0;
  written = 0;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly opts: AccessLogOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.opts.flushMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  record(row: AccessRecord): void {
    this.buffer.push(row);
    const max = this.opts.maxBuffered ?? 20_000;
    if (this.buffer.length > max) {
      this.dropped += this.buffer.length - max;
      this.buffer.splice(0, this.buffer.length - max);
    }
    if (this.buffer.length >= (this.opts.batchSize ?? 500)) void this.flush();
  }

  /** Write what is buffered (serialised: one write at a time). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  async list(scope: SecurityScope, limit: number): Promise<AccessLogEntry[]> {
    await this.flush();
    return (await this.store.access(this.database.db, scope, limit)).map(view);
  }

  private async write(): Promise<void> {
    const rows = this.buffer;
    this.buffer = [];
    try {
      for (let i = 0; i < rows.length; i += 500)
        await this.store.insertAccess(this.database.db, rows.slice(i, i + 500));
      this.written += rows.length;
      const now = Date.now();
      if (now - this.lastPrune > 3_600_000) {
        this.lastPrune = now;
        await this.store.pruneAccess(this.database.db, new Date(now - this.opts.retentionDays * 86_400_000));
      }
    } catch (err) {
      this.logger.error({ err, rows: rows.length }, "access log write failed");
      // Keep them for the next attempt, within the bound.
      this.buffer = [...rows, ...this.buffer];
    }
  }
}
