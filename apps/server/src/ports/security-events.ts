/**
 * Port: security-relevant events, emitted where they happen (sign-in, token refresh, API keys,
 * the council's injection screen, rate limits, authorization) and read by the security endpoints.
 */

export const SECURITY_EVENT_TYPES = [
  "login_failed",
  "login_throttled",
  "refresh_token_reuse",
  "api_key_new_address",
  "prompt_injection",
  "rate_limited",
  "authz_denied",
  "auth_failed",
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface SecurityEvent {
  type: SecurityEventType;
  severity: Severity;
  /** The projects concerned; empty when none can be named (an unknown email), which operators see. */
  projectIds: readonly string[];
  message: string;
  principal?: string | null | undefined;
  ip?: string | null | undefined;
  details?: Record<string, unknown> | undefined;
}

export interface SecurityEvents {
  /** Fire and forget: never fails or slows the caller (a failure to store is logged by the implementation). */
  emit(event: SecurityEvent): void;
}

/** For wiring where nothing listens (tests of other parts). */
export const NO_SECURITY_EVENTS: SecurityEvents = { emit: () => undefined };
