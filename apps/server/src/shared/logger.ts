import { pino } from "pino";
import type { LogLevel, LogRing } from "./log-ring.js";

/** The structured logger every component receives (pino-compatible subset). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** JSON lines on stdout. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "aegis" } }) as unknown as Logger;
}

/** `logger`, with every line also kept in `ring` (the monitoring endpoints' view of the product's logs). */
export function teeLogger(logger: Logger, ring: LogRing, bindings: Record<string, unknown> = {}): Logger {
  const line =
    (level: LogLevel, write: (obj: object, msg?: string) => void) =>
    (obj: object, msg?: string): void => {
      write(obj, msg);
      ring.add(level, { ...bindings, ...(obj as Record<string, unknown>) }, msg ?? "");
    };
  return {
    info: line("info", (o, m) => logger.info(o, m)),
    warn: line("warn", (o, m) => logger.warn(o, m)),
    error: line("error", (o, m) => logger.error(o, m)),
    debug: line("debug", (o, m) => logger.debug(o, m)),
    child: (b) => teeLogger(logger.child(b), ring, { ...bindings, ...b }),
  };
}
