/**
 * Port between who is paged (on-call schedules and escalation policies) and how a page travels
 * (notification channels: Slack, Microsoft Teams, email, PagerDuty Events v2, signed webhooks).
 * Escalation decides *whom* and *when*; a `Notifier` decides *how* and records each delivery.
 */

/** What a page is about; channels map it to their own wire (PagerDuty trigger/acknowledge/resolve…). */
export type PageKind = "trigger" | "acknowledge" | "resolve" | "approval_request" | "info";

export interface PageMessage {
  kind: PageKind;
  /** The product's incident id, when the page is about an incident. */
  incidentId?: string | undefined;
  title: string;
  body: string;
  severity?: "critical" | "high" | "medium" | "low" | undefined;
  /** Groups pages about one thing on the receiver's side (PagerDuty dedup_key); defaults to the incident id. */
  dedupKey?: string | undefined;
  /** A link a person can open (the cockpit's incident page). */
  url?: string | undefined;
  /** Set on `approval_request`: the action awaiting a decision, so chat channels can offer buttons. */
  approval?: { action: string; target: string; reason: string } | undefined;
  /** Escalation level that sent it (1-based), for the record. */
  level?: number | undefined;
}

/** Who a page goes to: a user (through their contact methods) or a configured channel by id/name. */
export type PageTarget = { kind: "user"; userId: string } | { kind: "channel"; channel: string };

/** One attempt to deliver one page to one target, as recorded in the delivery log. */
export interface PageDelivery {
  id: string;
  target: PageTarget;
  /** The channel type that carried it (`slack`, `teams`, `email`, `pagerduty`, `webhook`). */
  channel: string;
  status: "sent" | "failed" | "retrying" | "suppressed";
  attempts: number;
  error?: string | undefined;
  at: string;
}

/** Port: delivers pages within one project. Implementations retry with backoff and log every delivery. */
export interface Notifier {
  notify(projectId: string, targets: PageTarget[], message: PageMessage): Promise<PageDelivery[]>;
}
