import type {
  ActivityItem,
  AutomationMetrics,
  DashboardPeriod,
  DashboardStats,
  IncidentTrend,
  IncidentTrendBucket,
  ResolutionTimes,
  SeverityDistribution,
  TopService,
} from "@aegis/contracts";
import type { Database } from "../store/database.js";
import type { InsightsStore } from "../store/insights-store.js";
import { ratio } from "./ratio.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OPEN = ["detected", "acknowledged", "investigating", "mitigated"];

/** The range and bucket width of a trend period: 24 hourly buckets, or 7 or 30 daily ones, ending now. */
export function periodRange(
  period: DashboardPeriod,
  now: Date,
): { from: Date; to: Date; unit: "hour" | "day"; buckets: number } {
  switch (period) {
    case "24h": {
      const end = Math.floor(now.getTime() / HOUR) * HOUR + HOUR;
      return { from: new Date(end - 24 * HOUR), to: now, unit: "hour", buckets: 24 };
    }
    case "7d":
    case "30d": {
      const days = period === "7d" ? 7 : 30;
      const end = Math.floor(now.getTime() / DAY) * DAY + DAY;
      return { from: new Date(end - days * DAY), to: now, unit: "day", buckets: days };
    }
  }
}

/**
 * Seed 003's dashboard, computed on each request from the project's stored incidents, lifecycle
 * transitions, actions and timelines. Nothing is cached or estimated; a rate with no denominator is null.
 */
export class DashboardService {
  constructor(
    private readonly database: Database,
    private readonly store: InsightsStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async stats(projectId: string): Promise<DashboardStats> {
    const db = this.database.db;
    const now = this.clock();
    const dayAgo = new Date(now.getTime() - DAY);
    const monthAgo = new Date(now.getTime() - 30 * DAY);
    const [counts, resolved] = await Promise.all([
      this.store.dashboardCounts(db, projectId, dayAgo, monthAgo, now),
      this.store.reachedBetween(db, projectId, "resolved", dayAgo, now),
    ]);
    const byState: Record<string, number> = {};
    const byStatus: Record<string, number> = {};
    let total = 0;
    for (const s of counts.states) {
      byState[s.lifecycle] = (byState[s.lifecycle] ?? 0) + s.n;
      byStatus[s.status] = (byStatus[s.status] ?? 0) + s.n;
      total += s.n;
    }
    const notes: string[] = [];
    if (counts.acknowledge.count === 0)
      notes.push("mtta_seconds_30d is null: no incident of the last 30 days was acknowledged");
    if (counts.resolve.count === 0)
      notes.push("mttr_seconds_30d is null: no incident of the last 30 days was resolved");
    if (counts.pipelineResolved === 0)
      notes.push("automation_rate_30d is null: the pipeline resolved no incident in the last 30 days");
    return {
      total_incidents: total,
      active_incidents: OPEN.reduce((s, k) => s + (byState[k] ?? 0), 0),
      by_state: byState,
      by_automation_status: byStatus,
      incidents_last_24h: counts.openedSinceDayAgo,
      resolved_last_24h: resolved,
      critical_open: counts.criticalOpen,
      awaiting_approval: byStatus.AWAITING_APPROVAL ?? 0,
      mtta_seconds_30d: counts.acknowledge.mean,
      mttr_seconds_30d: counts.resolve.mean,
      automation_rate_30d: ratio(counts.resolvedWithoutHuman, counts.pipelineResolved),
      generated_at: now.toISOString(),
      notes,
    };
  }

  async incidentTrend(projectId: string, period: DashboardPeriod): Promise<IncidentTrend> {
    const db = this.database.db;
    const { from, to, unit, buckets: count } = periodRange(period, this.clock());
    const [opened, resolved] = await Promise.all([
      this.store.createdBuckets(db, projectId, unit, from, to),
      this.store.transitionBuckets(db, projectId, "resolved", unit, from, to),
    ]);
    const step = unit === "hour" ? HOUR : DAY;
    const buckets = new Map<number, IncidentTrendBucket>();
    for (let i = 0; i < count; i++) {
      const t = from.getTime() + i * step;
      buckets.set(t, { start: new Date(t).toISOString(), opened: 0, resolved: 0, by_severity: {} });
    }
    for (const o of opened) {
      const b = buckets.get(o.bucket.getTime());
      if (!b) continue;
      b.opened += o.n;
      b.by_severity[o.severity] = (b.by_severity[o.severity] ?? 0) + o.n;
    }
    for (const r of resolved) {
      const b = buckets.get(r.bucket.getTime());
      if (b) b.resolved += r.n;
    }
    const list = [...buckets.values()];
    return {
      period,
      bucket: unit,
      from: from.toISOString(),
      to: to.toISOString(),
      total_opened: list.reduce((s, b) => s + b.opened, 0),
      total_resolved: list.reduce((s, b) => s + b.resolved, 0),
      buckets: list,
    };
  }

  async resolutionTimes(projectId: string, period: DashboardPeriod): Promise<ResolutionTimes> {
    const { from, to } = periodRange(period, this.clock());
    const t = await this.store.responseTimes(this.database.db, projectId, from, to);
    const notes: string[] = [];
    if (t.incidents === 0) notes.push(`no incident was opened in the last ${period}`);
    else {
      if (t.acknowledge.count === 0) notes.push("MTTA is null: none of these incidents was acknowledged");
      if (t.resolve.count === 0) notes.push("MTTR is null: none of these incidents was resolved");
    }
    return {
      period,
      from: from.toISOString(),
      to: to.toISOString(),
      incidents: t.incidents,
      mtta_seconds: t.acknowledge,
      mttr_seconds: t.resolve,
      notes,
    };
  }

  async automation(projectId: string, days = 30): Promise<AutomationMetrics> {
    const now = this.clock();
    const a = await this.store.automation(this.database.db, projectId, new Date(now.getTime() - days * DAY), now);
    const byAction = new Map<string, { action: string; succeeded: number; failed: number; started: number }>();
    for (const x of a.actions) {
      const row = byAction.get(x.kind) ?? { action: x.kind, succeeded: 0, failed: 0, started: 0 };
      if (x.state === "succeeded") row.succeeded += x.n;
      else if (x.state === "failed") row.failed += x.n;
      else row.started += x.n;
      byAction.set(x.kind, row);
    }
    const rows = [...byAction.values()];
    const succeeded = rows.reduce((s, r) => s + r.succeeded, 0);
    const failed = rows.reduce((s, r) => s + r.failed, 0);
    const total = rows.reduce((s, r) => s + r.succeeded + r.failed + r.started, 0);
    const outcomes = Object.fromEntries(a.outcomes.map((o) => [o.key, o.n]));
    const learned = a.outcomes.reduce((s, o) => s + o.n, 0);
    // A rollback is either the action ROLLBACK or a learned fix that had to be rolled back.
    const rollbacks = (byAction.get("ROLLBACK")?.succeeded ?? 0) + (outcomes.ROLLED_BACK ?? 0);
    const notes: string[] = [];
    if (total === 0) notes.push(`no remediation action was executed in the last ${days} days`);
    if (learned === 0) notes.push("reopened_rate is null: no fix was learned in the period");
    return {
      days,
      pipeline_resolved: a.pipelineResolved,
      resolved_without_human: a.resolvedWithoutHuman,
      resolved_without_human_share: ratio(a.resolvedWithoutHuman, a.pipelineResolved),
      awaiting_approval: a.awaitingApproval,
      rejected_by_council: a.rejected,
      failed: a.failed,
      actions_total: total,
      actions_succeeded: succeeded,
      actions_failed: failed,
      action_success_rate: ratio(succeeded, succeeded + failed),
      rollbacks,
      rollback_rate: ratio(rollbacks, total),
      by_action: rows,
      fix_outcomes: outcomes,
      reopened_rate: ratio(outcomes.REOPENED ?? 0, learned),
      notes,
    };
  }

  async activity(projectId: string, limit: number): Promise<ActivityItem[]> {
    const rows = await this.store.activity(this.database.db, projectId, limit);
    return rows.map((r) => ({
      id: r.seq,
      incident_id: r.incidentId,
      reference: `INC-${r.number}`,
      title: r.title,
      timestamp: r.ts.toISOString(),
      status: r.status,
      agent: r.agent,
      message: r.message,
    }));
  }

  async topServices(projectId: string, limit: number, days: number): Promise<TopService[]> {
    const now = this.clock();
    const rows = await this.store.serviceImpacts(
      this.database.db,
      projectId,
      new Date(now.getTime() - days * DAY),
      now,
    );
    return rows
      .filter((r) => r.incidents > 0 || r.open > 0)
      .slice(0, limit)
      .map((r) => ({
        service: r.service,
        incidents: r.incidents,
        open: r.open,
        critical: r.critical,
        impact_minutes: r.impactMinutes,
        last_incident_at: r.lastIncidentAt?.toISOString() ?? null,
      }));
  }

  async severityDistribution(projectId: string, days: number | null): Promise<SeverityDistribution> {
    const now = this.clock();
    const from = days ? new Date(now.getTime() - days * DAY) : null;
    const rows = await this.store.severityCounts(this.database.db, projectId, from, new Date(now.getTime() + 1));
    const total = rows.reduce((s, r) => s + r.n, 0);
    return {
      days,
      total,
      distribution: rows.map((r) => ({
        severity: r.key,
        count: r.n,
        percentage: total ? Math.round((r.n / total) * 10_000) / 100 : 0,
      })),
    };
  }
}
