import { detectInjection, firstMarker } from "./detect-injection.js";

export interface InjectionScan {
  /** The line with everything from the first instruction marker onward removed. */
  clean: string;
  /** Whether the line carried instruction-like text. */
  injected: boolean;
}

/**
 * A log line made safe to analyse: cut from the first strip-level marker. A directive visible only once
 * decoded (escaped, percent-encoded, base64, invisible characters) has no position in the raw line, so
 * the whole line goes: the analyst loses one line, never reads the directive.
 */
export function stripInjection(line: string): InjectionScan {
  const cut = firstMarker(line, "strip");
  if (cut >= 0) return { clean: line.slice(0, cut), injected: true };
  if (detectInjection(line, "strip").length > 0) return { clean: "", injected: true };
  return { clean: line, injected: false };
}
