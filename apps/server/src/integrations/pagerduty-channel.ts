import type { KindConfig } from "@aegis/contracts";
import type { PageMessage } from "../ports/notifier.js";
import { postJson, type SendOutcome } from "./channel-outcome.js";
import { headline } from "./page-text.js";

/** PagerDuty's four severities. */
const SEVERITY = { critical: "critical", high: "error", medium: "warning", low: "info" } as const;

/** The Events API v2 event of a page: trigger (with payload), acknowledge or resolve (dedup key only). */
export function pagerDutyEvent(routingKey: string, m: PageMessage, source: string): Record<string, unknown> {
  const dedupKey = m.dedupKey ?? m.incidentId;
  if (m.kind === "acknowledge" || m.kind === "resolve") {
    return { routing_key: routingKey, event_action: m.kind, ...(dedupKey ? { dedup_key: dedupKey } : {}) };
  }
  return {
    routing_key: routingKey,
    event_action: "trigger",
    ...(dedupKey ? { dedup_key: dedupKey } : {}),
    payload: {
      summary: headline(m).slice(0, 1024), // the Events API's limit
      source,
      severity: SEVERITY[m.severity ?? "high"],
      ...(m.incidentId ? { component: m.incidentId } : {}),
      custom_details: {
        body: m.body,
        kind: m.kind,
        ...(m.approval ? { approval: m.approval } : {}),
        ...(m.level ? { escalation_level: m.level } : {}),
      },
    },
    client: "AegisOps",
    ...(m.url ? { client_url: m.url, links: [{ href: m.url, text: "AegisOps incident" }] } : {}),
  };
}

/**
 * `POST /v2/enqueue`. 202 `{status: "success", dedup_key}` is accepted; 400 is an invalid event (not
 * retried); 429 (too many events for this routing key) and 5xx are retried later.
 */
export function sendPagerDuty(
  c: KindConfig<"pagerduty">,
  m: PageMessage,
  opts: { timeoutMs: number; source: string },
): Promise<SendOutcome> {
  return postJson(`${c.events_url.replace(/\/+$/, "")}/v2/enqueue`, pagerDutyEvent(c.routing_key, m, opts.source), {
    timeoutMs: opts.timeoutMs,
    judge: (status, text) => {
      if (status === 202) return null;
      let reason = text.slice(0, 300);
      try {
        const j = JSON.parse(text) as { message?: string; errors?: string[] };
        reason = [j.message, ...(j.errors ?? [])].filter(Boolean).join(": ");
      } catch {
        // not JSON: the text is the reason
      }
      return `HTTP ${status}${reason ? `: ${reason}` : ""}`;
    },
  });
}
