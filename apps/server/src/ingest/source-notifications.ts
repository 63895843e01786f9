import type { AlertmanagerPayload, GrafanaPayload, PagerDutyWebhook, SourceAlert } from "@aegis/contracts";
import { contentId, labelsFingerprint, sourceFingerprint } from "./alert-fingerprint.js";
import type { AlertIncident, AlertRecord } from "./alert-item.js";

/** What one delivery of a source asks for, independent of its wire format. */
export interface SourceNotification {
  /** An incident to open, or to attach to the open one with its fingerprint; null when nothing fires. */
  incident: AlertIncident | null;
  /** Fingerprint of a group the source says is over: its open incident is resolved. */
  resolve: string | null;
  /** Fingerprint of a group a person acknowledged at the source (PagerDuty). */
  acknowledge: string | null;
  /** Alerts not carried by `incident` (resolved notifications, PagerDuty status events), recorded as is. */
  records: AlertRecord[];
  /** Who the source says acted (PagerDuty's agent), for attributed lifecycle moves. */
  actor: string | null;
}

/** Alertmanager leaves `endsAt` at Go's zero time while an alert fires. */
const ZERO_TIME = /^0001-01-01/;

const SEVERITY: Record<string, string> = {
  critical: "CRITICAL",
  page: "CRITICAL",
  error: "CRITICAL",
  high: "CRITICAL",
  warning: "WARNING",
  warn: "WARNING",
  low: "WARNING",
  info: "INFO",
  none: "INFO",
};

export function severityOf(raw: string | undefined | null): string | null {
  if (!raw) return null;
  return SEVERITY[raw.toLowerCase()] ?? raw.toUpperCase().slice(0, 40);
}

/** The service an alert is about: the usual label names, most specific first. */
export function serviceOf(labels: Record<string, string>): string | null {
  return labels.service ?? labels.container ?? labels.app ?? labels.job ?? null;
}

/**
 * An Alertmanager (v4) or Grafana notification: one incident per alert group (the operator's
 * `group_by`), so a group's later notifications attach to the incident its first one opened; a
 * notification whose status is `resolved` (every alert of the group resolved) resolves it.
 */
export function groupNotification(
  projectId: string,
  source: "alertmanager" | "grafana",
  p: AlertmanagerPayload | GrafanaPayload,
): SourceNotification {
  const fingerprint = sourceFingerprint(source, `${p.receiver}\u0000${p.groupKey}`);
  const records = p.alerts.map((a) => recordOf(source, p.groupKey, fingerprint, a));
  const none = { resolve: null, acknowledge: null, actor: null };
  if (p.status === "resolved") return { ...none, incident: null, resolve: fingerprint, records };
  const firing = p.alerts.filter((a) => a.status === "firing");
  const first = firing[0] ?? p.alerts[0];
  const common = p.commonLabels;
  const alertname = common.alertname ?? p.groupLabels.alertname ?? first?.labels.alertname ?? p.receiver;
  const service = serviceOf(common) ?? (first ? serviceOf(first.labels) : null);
  const starts = firing.map((a) => a.startsAt).sort();
  const incident: AlertIncident = {
    projectId,
    // One delivery, one id: Alertmanager's retries of a notification are recognised, not attached twice.
    id: contentId(source === "alertmanager" ? "am" : "grafana", [
      p.groupKey,
      ...firing.map((a) => `${a.fingerprint ?? labelsFingerprint(a.labels)}@${a.startsAt}`).sort(),
    ]),
    alertType: alertname,
    logs: firing.map((a) => lineOf(a)).join("\n"),
    // The alert's own service, never the executor's default target: an unmanaged name fails safe.
    containerName: common.container ?? service,
    severity: severityOf(common.severity ?? first?.labels.severity),
    alertTimestamp: starts[0] ?? null,
    context: {
      ...(service ? { service } : {}),
      alert_source: source,
      group_key: p.groupKey,
      receiver: p.receiver,
      external_url: p.externalURL,
      common_labels: common,
      firing_alerts: firing.length,
    },
    dryRun: false,
    service,
    fingerprint,
    alerts: records,
  };
  return { ...none, incident, records: [] };
}

function lineOf(a: SourceAlert): string {
  const labels = Object.entries(a.labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(", ");
  const text = [a.annotations.summary, a.annotations.description].filter(Boolean).join(" — ");
  return `[${a.status}] {${labels}}${text ? ` ${text}` : ""} (since ${a.startsAt})`;
}

function recordOf(source: string, groupKey: string, fingerprint: string, a: SourceAlert): AlertRecord {
  const own = a.fingerprint ?? labelsFingerprint(a.labels);
  return {
    id: contentId("alert", [source, groupKey, own, a.startsAt, a.status]),
    source,
    status: a.status,
    alertname: a.labels.alertname ?? "alert",
    severity: a.labels.severity ?? null,
    service: serviceOf(a.labels),
    description: a.annotations.description ?? a.annotations.summary ?? null,
    labels: a.labels,
    annotations: a.annotations,
    fingerprint,
    startsAt: a.startsAt,
    endsAt: a.endsAt && !ZERO_TIME.test(a.endsAt) ? a.endsAt : null,
    generatorUrl: a.generatorURL || null,
  };
}

/**
 * A PagerDuty v3 event: `incident.triggered` (and `.reopened`) opens or attaches, `.acknowledged`
 * acknowledges, `.resolved` resolves; every other event is recorded only.
 */
export function pagerDutyNotification(projectId: string, w: PagerDutyWebhook): SourceNotification {
  const e = w.event;
  const d = e.data;
  const fingerprint = sourceFingerprint("pagerduty", d.id);
  const service = d.service?.summary ?? null;
  const title = d.title ?? `PagerDuty ${d.type ?? "incident"} ${d.id}`;
  const labels: Record<string, string> = {
    alertname: title,
    pagerduty_incident: d.id,
    event_type: e.event_type,
    ...(service ? { service } : {}),
    ...(d.urgency ? { urgency: d.urgency } : {}),
  };
  const record: AlertRecord = {
    id: `pd-${e.id}`,
    source: "pagerduty",
    status: e.event_type === "incident.resolved" ? "resolved" : "firing",
    alertname: title,
    severity: d.urgency ?? null,
    service,
    description: `${e.event_type}${d.html_url ? ` ${d.html_url}` : ""}`,
    labels,
    annotations: d.html_url ? { url: d.html_url } : {},
    fingerprint,
    startsAt: e.occurred_at,
    endsAt: e.event_type === "incident.resolved" ? e.occurred_at : null,
    generatorUrl: d.html_url ?? null,
  };
  const actor = e.agent?.summary ?? null;
  const base = { resolve: null, acknowledge: null, actor };
  switch (e.event_type) {
    case "incident.triggered":
    case "incident.reopened": {
      const incident: AlertIncident = {
        projectId,
        id: `pd-${e.id}`,
        alertType: title,
        logs: [
          `PagerDuty ${e.event_type}: ${title}`,
          d.html_url ? `url: ${d.html_url}` : "",
          d.incident_key ? `incident_key: ${d.incident_key}` : "",
        ]
          .filter(Boolean)
          .join("\n"),
        // PagerDuty's service, never the executor's default target: an unmanaged name fails safe.
        containerName: service,
        severity: severityOf(d.urgency),
        alertTimestamp: e.occurred_at,
        context: { ...(service ? { service } : {}), alert_source: "pagerduty", pagerduty_incident: d.id },
        dryRun: false,
        service,
        fingerprint,
        alerts: [record],
      };
      return { ...base, incident, records: [] };
    }
    case "incident.resolved":
      return { ...base, incident: null, resolve: fingerprint, records: [record] };
    case "incident.acknowledged":
      return { ...base, incident: null, acknowledge: fingerprint, records: [record] };
    default:
      return { ...base, incident: null, records: [record] };
  }
}
