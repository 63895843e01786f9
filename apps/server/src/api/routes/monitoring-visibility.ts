import { redactSecrets } from "../../audit/redact.js";
import type { LogLevel, LogRecord } from "../../shared/log-ring.js";
import { LOG_LEVELS } from "../../shared/log-ring.js";

/** Who reads the product's logs: a project, and whether it is the server operator's. */
export interface LogReader {
  projectId: string;
  operator: boolean;
}

/** A line is a project's when it names that project; lines naming none are the operator's. */
export function visibleTo(r: LogRecord, reader: LogReader): boolean {
  return r.projectId === null ? reader.operator : r.projectId === reader.projectId;
}

export interface LogFilter {
  level?: LogLevel | undefined;
  source?: string | undefined;
}

export function matches(r: { level: LogLevel; source: string }, f: LogFilter): boolean {
  if (f.level && LOG_LEVELS[r.level] < LOG_LEVELS[f.level]) return false;
  if (f.source && r.source !== f.source) return false;
  return true;
}

/** A line as served: secret-named fields a component happened to log are redacted. */
export function logEntryOf(r: LogRecord) {
  const fields = redactSecrets(r.fields) as Record<string, unknown>;
  return { id: r.id, timestamp: r.time, level: r.level, source: r.source, message: r.message, fields };
}
