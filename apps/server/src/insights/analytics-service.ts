import type { CostRateInput, DurationPercentiles, IncidentAnalyticsInput, SloInput, SloView } from "@aegis/contracts";
import { NotFoundError } from "../shared/errors.js";
import type { Database } from "../store/database.js";
import type { InsightSettingsStore, SloRow } from "../store/insight-settings-store.js";
import type { InsightFilter, InsightsStore, ServiceImpact } from "../store/insights-store.js";
import { ratio } from "./ratio.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Availability of a service over a window from its impact minutes, in percent. */
const availabilityOf = (impactMinutes: number, windowMinutes: number) =>
  Math.round(Math.max(0, 100 * (1 - impactMinutes / windowMinutes)) * 1000) / 1000;

export interface IncidentAnalytics {
  start_time: string;
  end_time: string;
  filters: { services: string[]; severities: string[]; states: string[] };
  total_incidents: number;
  by_service: Record<string, number>;
  by_severity: Record<string, number>;
  by_state: Record<string, number>;
  by_automation_status: Record<string, number>;
  trend: { bucket: "hour" | "day"; points: { start: string; count: number }[] };
  mtta_seconds: DurationPercentiles;
  mttr_seconds: DurationPercentiles;
}

const toRecord = (rows: { key: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.key, r.n]));
const sloView = (s: SloRow): SloView => ({
  service: s.service,
  objective_pct: s.objectivePct,
  window_days: s.windowDays,
  description: s.description,
  created_at: s.createdAt.toISOString(),
  updated_at: s.updatedAt.toISOString(),
});

/**
 * Seed 003 analytics over stored incidents and lifecycle transitions: ranges, service health, recurring
 * patterns, SLO compliance and cost from declared SLOs and cost rates, team performance. Where the
 * operator declared nothing (an SLO, a cost rate) the answer says so instead of assuming a figure.
 */
export class AnalyticsService {
  constructor(
    private readonly database: Database,
    private readonly store: InsightsStore,
    private readonly settings: InsightSettingsStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async incidents(projectId: string, q: IncidentAnalyticsInput): Promise<IncidentAnalytics> {
    const db = this.database.db;
    const to = q.end_time ? new Date(q.end_time) : this.clock();
    const from = q.start_time ? new Date(q.start_time) : new Date(to.getTime() - 7 * DAY);
    const f: InsightFilter = { services: q.services, severities: q.severities, states: q.states };
    const unit = q.group_by ?? (to.getTime() - from.getTime() <= 2 * DAY ? "hour" : "day");
    const [services, severities, states, statuses, buckets, times] = await Promise.all([
      this.store.countsBy(db, projectId, "service", from, to, f),
      this.store.severityCounts(db, projectId, from, to, f),
      this.store.countsBy(db, projectId, "state", from, to, f),
      this.store.countsBy(db, projectId, "status", from, to, f),
      this.store.createdBuckets(db, projectId, unit, from, to, f),
      this.store.responseTimes(db, projectId, from, to, f),
    ]);
    const points = new Map<number, number>();
    for (const b of buckets) points.set(b.bucket.getTime(), (points.get(b.bucket.getTime()) ?? 0) + b.n);
    return {
      start_time: from.toISOString(),
      end_time: to.toISOString(),
      filters: {
        services: [...(q.services ?? [])],
        severities: [...(q.severities ?? [])],
        states: [...(q.states ?? [])],
      },
      total_incidents: services.reduce((s, r) => s + r.n, 0),
      by_service: toRecord(services),
      by_severity: toRecord(severities),
      by_state: toRecord(states),
      by_automation_status: toRecord(statuses),
      trend: {
        bucket: unit,
        points: [...points.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([t, n]) => ({ start: new Date(t).toISOString(), count: n })),
      },
      mtta_seconds: times.acknowledge,
      mttr_seconds: times.resolve,
    };
  }

  /**
   * Per service over the last `days`: incidents, open ones, impact minutes and the availability they
   * leave. Status: `unhealthy` with an open critical incident or availability under 99 %, `degraded`
   * with any open incident or under 99.9 %, else `healthy`.
   */
  async servicesHealth(projectId: string, days: number) {
    const now = this.clock();
    const rows = await this.store.serviceImpacts(
      this.database.db,
      projectId,
      new Date(now.getTime() - days * DAY),
      now,
    );
    const windowMinutes = days * 1440;
    return {
      days,
      services: rows.map((r) => {
        const availability = availabilityOf(r.impactMinutes, windowMinutes);
        const status = availability < 99 ? "unhealthy" : r.open > 0 || availability < 99.9 ? "degraded" : "healthy";
        return {
          service: r.service,
          status,
          incidents: r.incidents,
          open_incidents: r.open,
          critical_incidents: r.critical,
          impact_minutes: r.impactMinutes,
          availability_pct: availability,
          mttr_p50_seconds: r.mttrP50Seconds,
          last_incident_at: r.lastIncidentAt?.toISOString() ?? null,
        };
      }),
    };
  }

  async patterns(projectId: string, days: number, minOccurrences: number, limit: number) {
    const now = this.clock();
    const rows = await this.store.patterns(
      this.database.db,
      projectId,
      new Date(now.getTime() - days * DAY),
      now,
      minOccurrences,
      limit,
    );
    return {
      days,
      min_occurrences: minOccurrences,
      patterns: rows.map((p) => ({
        signature: `${p.alertType}${p.category ? ` / ${p.category}` : ""}`,
        alert_type: p.alertType,
        category: p.category,
        occurrences: p.occurrences,
        services: p.services,
        first_seen: p.firstSeen.toISOString(),
        last_seen: p.lastSeen.toISOString(),
        frequency_per_day: round2(p.occurrences / days),
        proposed_actions: p.actions,
        resolved_by_automation: p.resolvedByAutomation,
        mean_automation_resolve_seconds: p.meanResolveSeconds,
      })),
    };
  }

  listSlos(projectId: string): Promise<SloView[]> {
    return this.settings.slos(this.database.db, projectId).then((rows) => rows.map(sloView));
  }

  async putSlo(projectId: string, service: string, input: SloInput): Promise<SloView> {
    return sloView(await this.settings.putSlo(this.database.db, projectId, service, input));
  }

  async deleteSlo(projectId: string, service: string): Promise<void> {
    if (!(await this.settings.deleteSlo(this.database.db, projectId, service))) {
      throw new NotFoundError(`no SLO is declared for service ${service}`);
    }
  }

  /**
   * Compliance of declared SLOs: the error budget of the window is (1 − objective) of its minutes; the
   * incidents' impact minutes spend it. A service without a declared SLO is reported as `not_declared`.
   */
  async sloCompliance(projectId: string, service?: string) {
    const db = this.database.db;
    const slos = (await this.settings.slos(db, projectId)).filter((s) => !service || s.service === service);
    const now = this.clock();
    const results = await Promise.all(
      slos.map(async (s) => {
        const from = new Date(now.getTime() - s.windowDays * DAY);
        const [impact] = await this.store.serviceImpacts(db, projectId, from, now, s.service);
        return this.compliance(s, impact, from, now);
      }),
    );
    const notDeclared: { service: string; status: "not_declared"; message: string }[] = [];
    if (service && slos.length === 0) {
      notDeclared.push({
        service,
        status: "not_declared",
        message: `no SLO is declared for ${service}: declare one with PUT /api/v1/analytics/slos/${service}`,
      });
    }
    if (!service) {
      const declared = new Set(slos.map((s) => s.service));
      const seen = await this.store.serviceImpacts(db, projectId, new Date(now.getTime() - 30 * DAY), now);
      for (const r of seen) {
        if (!declared.has(r.service)) {
          notDeclared.push({
            service: r.service,
            status: "not_declared",
            message: `no SLO is declared for ${r.service}`,
          });
        }
      }
    }
    return { slos: results, not_declared: notDeclared };
  }

  private compliance(s: SloRow, impact: ServiceImpact | undefined, from: Date, to: Date) {
    const windowMinutes = s.windowDays * 1440;
    const budget = round2(windowMinutes * (1 - s.objectivePct / 100));
    const spent = impact?.impactMinutes ?? 0;
    const availability = availabilityOf(spent, windowMinutes);
    return {
      service: s.service,
      status: availability >= s.objectivePct ? "compliant" : "breached",
      objective_pct: s.objectivePct,
      window_days: s.windowDays,
      window_start: from.toISOString(),
      window_end: to.toISOString(),
      availability_pct: availability,
      incidents: impact?.incidents ?? 0,
      impact_minutes: spent,
      error_budget_minutes: budget,
      error_budget_consumed_minutes: spent,
      error_budget_remaining_minutes: round2(budget - spent),
      error_budget_consumed_pct: budget > 0 ? round2((100 * spent) / budget) : null,
    };
  }

  listCostRates(projectId: string) {
    return this.settings.costRates(this.database.db, projectId).then((rows) =>
      rows.map((r) => ({
        service: r.service,
        cost_per_minute: r.costPerMinute,
        currency: r.currency,
        updated_at: r.updatedAt.toISOString(),
      })),
    );
  }

  async putCostRate(projectId: string, service: string, input: CostRateInput) {
    const r = await this.settings.putCostRate(this.database.db, projectId, service, input);
    return {
      service: r.service,
      cost_per_minute: r.costPerMinute,
      currency: r.currency,
      updated_at: r.updatedAt.toISOString(),
    };
  }

  async deleteCostRate(projectId: string, service: string): Promise<void> {
    if (!(await this.settings.deleteCostRate(this.database.db, projectId, service))) {
      throw new NotFoundError(`no cost rate is configured for service ${service}`);
    }
  }

  /** Impact minutes × the configured cost per minute, per service; a service without a rate is `unconfigured`. */
  async costImpact(projectId: string, days: number) {
    const db = this.database.db;
    const now = this.clock();
    const [impacts, rates] = await Promise.all([
      this.store.serviceImpacts(db, projectId, new Date(now.getTime() - days * DAY), now),
      this.settings.costRates(db, projectId),
    ]);
    const rateOf = new Map(rates.map((r) => [r.service, r]));
    const totals: Record<string, number> = {};
    const services = impacts.map((i) => {
      const rate = rateOf.get(i.service);
      if (!rate) {
        return {
          service: i.service,
          status: "unconfigured" as const,
          incidents: i.incidents,
          impact_minutes: i.impactMinutes,
          cost_per_minute: null,
          currency: null,
          estimated_cost: null,
          message: `no cost per minute is configured for ${i.service}: PUT /api/v1/analytics/cost-rates/${i.service}`,
        };
      }
      const cost = round2(i.impactMinutes * rate.costPerMinute);
      totals[rate.currency] = round2((totals[rate.currency] ?? 0) + cost);
      return {
        service: i.service,
        status: "configured" as const,
        incidents: i.incidents,
        impact_minutes: i.impactMinutes,
        cost_per_minute: rate.costPerMinute,
        currency: rate.currency,
        estimated_cost: cost,
        message: null,
      };
    });
    const unconfigured = services.filter((s) => s.status === "unconfigured").length;
    return {
      days,
      total_cost_by_currency: totals,
      total_impact_minutes: round2(impacts.reduce((s, i) => s + i.impactMinutes, 0)),
      services,
      notes: [
        ...(rates.length === 0 ? ["no cost per minute is configured for any service: costs are not estimated"] : []),
        ...(unconfigured > 0 && rates.length > 0
          ? [`${unconfigured} service(s) have no configured cost per minute`]
          : []),
      ],
    };
  }

  /** Per responder: acknowledgements, MTTA and resolutions; pages from the incident timelines. */
  async teamPerformance(projectId: string, days: number) {
    const db = this.database.db;
    const now = this.clock();
    const from = new Date(now.getTime() - days * DAY);
    const [responders, pages] = await Promise.all([
      this.store.responders(db, projectId, from, now),
      this.store.pages(db, projectId, from, now),
    ]);
    const acks = responders.reduce((s, r) => s + r.acknowledgements, 0);
    return {
      days,
      responders: responders.map((r) => ({
        responder: r.responder,
        acknowledgements: r.acknowledgements,
        resolutions: r.resolutions,
        mtta_seconds: r.mttaSeconds,
        share_of_acknowledgements: ratio(r.acknowledgements, acks),
      })),
      pages: {
        total: pages.total,
        out_of_hours: pages.outOfHours,
        out_of_hours_share: ratio(pages.outOfHours, pages.total),
        by_source: Object.fromEntries(pages.byAgent.map((p) => [p.key, p.n])),
      },
      notes:
        pages.total === 0
          ? ["no page is recorded on the incident timelines in the period: pages and out-of-hours pages are 0"]
          : ["out of hours: before 09:00 or from 18:00 UTC, or on a weekend"],
    };
  }
}
