import { open, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { LogLevel } from "../shared/log-ring.js";

/** One line of a managed service's output (the local executor writes `<dataDir>/logs/<name>.log`). */
export interface ServiceLogLine {
  source: string;
  /** 1-based line number within the tail read (the file has no timestamps of its own). */
  line: number;
  level: LogLevel;
  message: string;
}

/** Read at most this much from the end of a file. */
const TAIL_BYTES = 512 * 1024;
const NUMERIC: Record<number, LogLevel> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};

/** A line's level: the `level` of a JSON line, else the first level word in it, else info. */
export function levelOfLine(text: string): LogLevel {
  if (text.startsWith("{")) {
    try {
      const level = (JSON.parse(text) as { level?: unknown }).level;
      if (typeof level === "number" && NUMERIC[level]) return NUMERIC[level];
      if (typeof level === "string") {
        const l = level.toLowerCase();
        if (l === "warning") return "warn";
        if (l === "critical") return "fatal";
        if (["trace", "debug", "info", "warn", "error", "fatal"].includes(l)) return l as LogLevel;
      }
    } catch {
      // not JSON after all: read it as text
    }
  }
  if (/\b(FATAL|CRITICAL|PANIC)\b/i.test(text)) return "fatal";
  if (/\b(ERROR|ERR|EXCEPTION|Traceback)\b/.test(text) || /\berror\b/.test(text.slice(0, 40))) return "error";
  if (/\bWARN(ING)?\b/i.test(text.slice(0, 60))) return "warn";
  if (/\bDEBUG\b/.test(text.slice(0, 60))) return "debug";
  return "info";
}

/** The logs of the services the local executor supervises, from their files in the data dir. */
export class ServiceLogs {
  constructor(private readonly dir: string | null) {}

  /** `service:<name>` of every service with a log file. */
  async sources(): Promise<string[]> {
    if (!this.dir) return [];
    const files = await readdir(this.dir).catch(() => [] as string[]);
    return files
      .filter((f) => f.endsWith(".log"))
      .map((f) => `service:${f.slice(0, -4)}`)
      .sort();
  }

  /** The last lines of one service's log (or of every service's), oldest first. */
  async tail(name: string | null, limit: number): Promise<ServiceLogLine[]> {
    const sources = name ? [`service:${name}`] : await this.sources();
    const out: ServiceLogLine[] = [];
    for (const source of sources) {
      const file = join(this.dir ?? "", `${source.slice("service:".length)}.log`);
      if (!this.dir || source.includes("/") || source.includes("..")) continue;
      const text = await readTail(file);
      const lines = text.split("\n").filter((l) => l.length > 0);
      const kept = lines.slice(-limit);
      kept.forEach((message, i) => {
        out.push({
          source,
          line: lines.length - kept.length + i + 1,
          level: levelOfLine(message),
          message: message.slice(0, 8192),
        });
      });
    }
    return out;
  }
}

async function readTail(file: string): Promise<string> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return "";
  const handle = await open(file, "r");
  try {
    const length = Math.min(info.size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, info.size - length);
    const text = buffer.toString("utf8");
    // A cut first line is partial: drop it unless the whole file was read.
    return length < info.size ? text.slice(text.indexOf("\n") + 1) : text;
  } finally {
    await handle.close();
  }
}
