import { randomUUID } from "node:crypto";
import type { IncidentV1, ReportType, ReportView, TimelineEntry } from "@aegis/contracts";
import { InputError, NotFoundError } from "../shared/errors.js";
import type { Database } from "../store/database.js";
import type { InsightSettingsStore, ReportRow } from "../store/insight-settings-store.js";
import type { AnalyticsService } from "./analytics-service.js";
import type { DashboardService } from "./dashboard-service.js";
import { escapeHtml as h } from "./html-escape.js";
import type { PdfRenderer } from "./pdf-renderer.js";

const DAY = 86_400_000;
/** Seed 003: export URLs are valid for 24 hours. */
const LINK_VALID_MS = DAY;

/** The incident a post-mortem is about, with its timeline (read by the caller through the incident resource). */
export interface PostmortemSubject {
  incident: IncidentV1;
  timeline: TimelineEntry[];
}

type Section = { heading: string; body: string };

const table = (head: string[], rows: (string | number | null)[][]) =>
  rows.length === 0
    ? '<p class="empty">Nothing recorded in this period.</p>'
    : `<table><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join("")}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${h(c ?? "—")}</td>`).join("")}</tr>`)
        .join("")}</tbody></table>`;
const secs = (s: number | null) => (s === null ? "—" : s < 120 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);
const pct = (r: number | null) => (r === null ? "—" : `${Math.round(r * 1000) / 10} %`);

/**
 * Seed 003 reports: executive (30 days), weekly (7 days) and post-mortem (one incident). The HTML is
 * built from the same services as the dashboard and analytics, rendered to PDF by Chromium, and both
 * are stored so the download links keep answering the same document.
 */
export class ReportService {
  constructor(
    private readonly database: Database,
    private readonly settings: InsightSettingsStore,
    private readonly dashboard: DashboardService,
    private readonly analytics: AnalyticsService,
    private readonly pdf: PdfRenderer,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async generate(
    projectId: string,
    type: ReportType,
    opts: { days?: number | undefined; subject?: PostmortemSubject | undefined },
  ): Promise<ReportView> {
    const now = this.clock();
    const days = opts.days ?? (type === "weekly" ? 7 : 30);
    let title: string;
    let sections: Section[];
    let from = new Date(now.getTime() - days * DAY);
    switch (type) {
      case "executive":
        title = `Executive report — last ${days} days`;
        sections = await this.executive(projectId, days);
        break;
      case "weekly":
        title = `Weekly operations report — last ${days} days`;
        sections = await this.weekly(projectId, days);
        break;
      case "postmortem": {
        const s = opts.subject;
        if (!s) throw new InputError("a postmortem report needs incident_id", "bad_request", { field: "incident_id" });
        title = `Post-mortem — ${s.incident.reference}: ${s.incident.title}`;
        sections = this.postmortem(s);
        from = new Date(s.incident.created_at);
        break;
      }
    }
    const html = page(title, now, sections);
    let pdfBase64: string | null = null;
    let pdfError: string | null = null;
    try {
      pdfBase64 = (await this.pdf.render(html)).toString("base64");
    } catch (err) {
      pdfError = err instanceof Error ? err.message : String(err);
    }
    const row = await this.settings.addReport(this.database.db, {
      id: randomUUID(),
      projectId,
      reportType: type,
      title,
      html,
      pdfBase64,
      pdfError,
      periodFrom: from,
      periodTo: now,
    });
    return viewOf(row);
  }

  async get(projectId: string, id: string): Promise<ReportView> {
    return viewOf(await this.mustGet(projectId, id));
  }

  async html(projectId: string, id: string): Promise<string> {
    return (await this.download(projectId, id)).html;
  }

  async pdfOf(projectId: string, id: string): Promise<Buffer> {
    const r = await this.download(projectId, id);
    if (!r.pdfBase64) throw new NotFoundError(`report ${id} has no PDF: ${r.pdfError ?? "not rendered"}`);
    return Buffer.from(r.pdfBase64, "base64");
  }

  /** A report's files, while its links are valid (seed 003: 24 hours). */
  private async download(projectId: string, id: string): Promise<ReportRow> {
    const r = await this.mustGet(projectId, id);
    if (this.clock().getTime() > r.createdAt.getTime() + LINK_VALID_MS) {
      throw new NotFoundError(`report ${id} expired: its links were valid for 24 hours; generate it again`);
    }
    return r;
  }

  private async mustGet(projectId: string, id: string): Promise<ReportRow> {
    const r = await this.settings.report(this.database.db, projectId, id);
    if (!r) throw new NotFoundError(`report ${id} not found`);
    return r;
  }

  private async executive(projectId: string, days: number): Promise<Section[]> {
    const [stats, automation, health, patterns, cost] = await Promise.all([
      this.dashboard.stats(projectId),
      this.dashboard.automation(projectId, days),
      this.analytics.servicesHealth(projectId, days),
      this.analytics.patterns(projectId, days, 2, 10),
      this.analytics.costImpact(projectId, days),
    ]);
    return [
      {
        heading: "Summary",
        body: table(
          ["Figure", "Value"],
          [
            ["Incidents (all time)", stats.total_incidents],
            ["Open incidents", stats.active_incidents],
            ["Open critical incidents", stats.critical_open],
            ["Mean time to acknowledge (30 d)", secs(stats.mtta_seconds_30d)],
            ["Mean time to resolve (30 d)", secs(stats.mttr_seconds_30d)],
            ["Resolved without a human", pct(automation.resolved_without_human_share)],
            ["Action success rate", pct(automation.action_success_rate)],
          ],
        ),
      },
      {
        heading: "Service health",
        body: table(
          ["Service", "Status", "Incidents", "Impact (min)", "Availability %"],
          health.services.map((s) => [s.service, s.status, s.incidents, s.impact_minutes, s.availability_pct]),
        ),
      },
      {
        heading: "Recurring patterns",
        body: table(
          ["Signature", "Occurrences", "Services"],
          patterns.patterns.map((p) => [p.signature, p.occurrences, p.services.join(", ")]),
        ),
      },
      {
        heading: "Cost impact",
        body:
          table(
            ["Service", "Impact (min)", "Cost"],
            cost.services.map((s) => [
              s.service,
              s.impact_minutes,
              s.estimated_cost === null ? "not configured" : `${s.estimated_cost} ${s.currency}`,
            ]),
          ) + cost.notes.map((n) => `<p class="note">${h(n)}</p>`).join(""),
      },
    ];
  }

  private async weekly(projectId: string, days: number): Promise<Section[]> {
    const period = days <= 1 ? "24h" : days <= 7 ? "7d" : "30d";
    const [trend, times, top, team] = await Promise.all([
      this.dashboard.incidentTrend(projectId, period),
      this.dashboard.resolutionTimes(projectId, period),
      this.dashboard.topServices(projectId, 10, days),
      this.analytics.teamPerformance(projectId, days),
    ]);
    return [
      {
        heading: "Incidents per day",
        body: table(
          ["Day", "Opened", "Resolved"],
          trend.buckets.map((b) => [b.start.slice(0, 10), b.opened, b.resolved]),
        ),
      },
      {
        heading: "Response times",
        body: table(
          ["Measure", "Count", "p50", "p90", "p99"],
          [
            [
              "Time to acknowledge",
              times.mtta_seconds.count,
              secs(times.mtta_seconds.p50),
              secs(times.mtta_seconds.p90),
              secs(times.mtta_seconds.p99),
            ],
            [
              "Time to resolve",
              times.mttr_seconds.count,
              secs(times.mttr_seconds.p50),
              secs(times.mttr_seconds.p90),
              secs(times.mttr_seconds.p99),
            ],
          ],
        ),
      },
      {
        heading: "Most affected services",
        body: table(
          ["Service", "Incidents", "Open", "Impact (min)"],
          top.map((s) => [s.service, s.incidents, s.open, s.impact_minutes]),
        ),
      },
      {
        heading: "Responders",
        body: table(
          ["Responder", "Acknowledged", "Resolved", "MTTA"],
          team.responders.map((r) => [r.responder, r.acknowledgements, r.resolutions, secs(r.mtta_seconds)]),
        ),
      },
    ];
  }

  private postmortem(s: PostmortemSubject): Section[] {
    const i = s.incident;
    return [
      {
        heading: "Incident",
        body: table(
          ["Field", "Value"],
          [
            ["Reference", i.reference],
            ["Title", i.title],
            ["Service", i.service_name],
            ["Severity", i.severity],
            ["State", i.state],
            ["Automation", i.automation_status],
            ["Detected", i.detected_at],
            ["Acknowledged", i.acknowledged_at],
            ["Resolved", i.resolved_at],
            ["Root cause", i.automation.root_cause],
            ["Action", i.automation.action],
          ],
        ),
      },
      {
        heading: "Timeline",
        body: table(
          ["Time", "Status", "Agent", "Message"],
          s.timeline.map((e) => [e.ts, e.status, e.agent, e.message]),
        ),
      },
    ];
  }
}

function viewOf(r: ReportRow): ReportView {
  const base = `/api/v1/analytics/reports/${r.id}`;
  return {
    id: r.id,
    report_type: r.reportType as ReportType,
    title: r.title,
    period_from: r.periodFrom.toISOString(),
    period_to: r.periodTo.toISOString(),
    created_at: r.createdAt.toISOString(),
    html_url: `${base}/html`,
    pdf_url: r.pdfBase64 ? `${base}/pdf` : null,
    pdf_error: r.pdfError,
    expires_at: new Date(r.createdAt.getTime() + LINK_VALID_MS).toISOString(),
  };
}

function page(title: string, at: Date, sections: Section[]): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${h(title)}</title><style>
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:11px;color:#1b1f24}
h1{font-size:20px;margin:0 0 4px}h2{font-size:14px;margin:18px 0 6px;border-bottom:1px solid #ccd}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eef}.meta,.note,.empty{color:#556}
</style></head><body><h1>${h(title)}</h1><p class="meta">AegisOps · generated ${h(at.toISOString())} · every figure computed from stored incidents</p>
${sections.map((s) => `<h2>${h(s.heading)}</h2>${s.body}`).join("\n")}</body></html>`;
}
