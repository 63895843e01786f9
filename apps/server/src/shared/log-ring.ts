/** Log levels by pino's numbers. */
export const LOG_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LogLevel = keyof typeof LOG_LEVELS;

/** One structured log line as the monitoring endpoints serve it. */
export interface LogRecord {
  /** Increasing per process: the SSE event id (`Last-Event-ID` resumes after it). */
  id: number;
  time: string;
  level: LogLevel;
  /** `aegisops` or the component that logged (`monitor`, `security`, …), or `service:<name>` for managed services. */
  source: string;
  message: string;
  /** The project the line is about; lines naming none belong to the server operator. */
  projectId: string | null;
  fields: Record<string, unknown>;
}

export type LogListener = (record: LogRecord) => void;

/**
 * The product's recent log lines in memory: a bounded ring that the monitoring endpoints query and the
 * SSE stream follows. The oldest line is dropped when it is full.
 */
export class LogRing {
  private readonly records: LogRecord[] = [];
  private nextId = 1;
  private readonly listeners = new Set<LogListener>();

  constructor(
    readonly capacity: number,
    private readonly minLevel: LogLevel = "info",
  ) {}

  add(level: LogLevel, fields: Record<string, unknown>, message: string): void {
    if (LOG_LEVELS[level] < LOG_LEVELS[this.minLevel]) return;
    const { component, projectId, project_id, ...rest } = fields;
    const project = typeof projectId === "string" ? projectId : typeof project_id === "string" ? project_id : null;
    const record: LogRecord = {
      id: this.nextId++,
      time: new Date().toISOString(),
      level,
      source: typeof component === "string" ? component : "aegisops",
      message,
      projectId: project,
      fields: plain(rest),
    };
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
    for (const l of this.listeners) {
      try {
        l(record);
      } catch {
        // A listener's failure is its own; logging it here would recurse.
      }
    }
  }

  /** Lines after `afterId`, oldest first (all kept lines for 0). */
  since(afterId: number): LogRecord[] {
    const first = this.records[0];
    if (!first || afterId < first.id) return [...this.records];
    return this.records.slice(afterId - first.id + 1);
  }

  /** The id of the newest line (0 when empty). */
  get lastId(): number {
    return this.nextId - 1;
  }

  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Fields as JSON can carry them: errors as `{type, message, stack}`, nothing unserialisable. */
function plain(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Error) out[k] = { type: v.name, message: v.message, stack: v.stack };
    else if (typeof v === "bigint") out[k] = v.toString();
    else if (typeof v !== "function" && v !== undefined) out[k] = v;
  }
  try {
    return JSON.parse(JSON.stringify(out));
  } catch {
    return { unserialisable: Object.keys(out) };
  }
}
