import { pino } from "pino";

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
