/**
 * Text in logs that addresses the agent or council instead of describing the system. Logs are data:
 * such text is cut away before any recogniser sees it, so it can never steer a diagnosis.
 */
const MARKERS: RegExp[] = [
  /\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|the|your|my|of)\s+)*(?:previous|prior|above|earlier|existing|system|safety)?\s*(?:instructions?|prompts?|rules|guidelines|context|directives|policies)/i,
  /\b(?:assistant|ai|agent|model|llm|council|auditor)\s*[,:]\s*(?:ignore|disregard|you|please|now|from now)/i,
  /\byou\s+are\s+(?:now\s+)?(?:the|an?)\s+[\w\s-]{0,40}?(?:agent|assistant|model|ai|sre|operator)\b/i,
  /(?:^|[\s"'\\n{:])(?:SYSTEM|ASSISTANT|DEVELOPER)\s*:/,
  /<\|?(?:system|im_start|assistant)\|?>|\[\/?INST\]|###\s*(?:instruction|system)/i,
  /\bcouncil(?:_decision)?\b[^\n]{0,80}\b(?:vote|verdict|approved?)\b/i,
  /\bfinal_verdict\b/i,
  /\b(?:respond|reply|answer)\s+(?:only\s+)?with\b/i,
  /\b(?:skip|bypass)\s+(?:the\s+)?(?:review|council|approval|checks?)\b/i,
  /\bpre-?authori[sz]ed\b|\bauthori[sz]ed\s+(?:load\s+)?test\b/i,
  /\\?"?(?:action|replica_count|target_version)\\?"?\s*[:=]\s*\\?"?(?:RESTART|SCALE_UP|SCALE_DOWN|ROLLBACK|NOOP|\d{2,})/i,
  /\b(?:action|replica_count)\s*[:=]?\s*(?:SCALE_UP|SCALE_DOWN|RESTART|ROLLBACK|NOOP)\b/i,
  /\b(?:diagnosis|root cause)\s*:\s*[^\n]{0,60}\b(?:action|respond|restart|scale|rollback)\b/i,
  /\brm\s+-rf\b|\|\s*(?:ba)?sh\b|\bcurl\s+[^\n]*\|\s*\w+/i,
  /\b(?:you\s+must|please)\s+(?:now\s+)?(?:restart|scale|roll\s*back|rollback|approve|execute|run)\b/i,
  /\b(?:scale|set)\s+[\w-]*\s*(?:up|down)?\s*to\s+(?:\d{3,}|0)\s+replicas\b/i,
];

export interface InjectionScan {
  /** The line with everything from the first instruction marker onward removed. */
  clean: string;
  /** Whether the line carried instruction-like text. */
  injected: boolean;
}

export function scanForInjection(line: string): InjectionScan {
  let cut = -1;
  for (const re of MARKERS) {
    const m = re.exec(line);
    if (m && (cut < 0 || m.index < cut)) cut = m.index;
  }
  if (cut < 0) return { clean: line, injected: false };
  return { clean: line.slice(0, cut), injected: true };
}
