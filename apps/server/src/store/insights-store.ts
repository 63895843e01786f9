import { sql } from "drizzle-orm";
import type { Db } from "./database.js";
import { rowsOf } from "./rows-of.js";

/** The service an incident affects: a person names it, a webhook names its container. */
const SERVICE = sql.raw(`coalesce(i.service, i.container_name, 'unknown')`);
/** Severities arrive in several seeds' cases (CRITICAL, critical); absent is `unknown`. */
const SEVERITY = sql.raw(`lower(coalesce(i.severity, 'unknown'))`);
const OPEN_STATES = sql.raw(`('detected','acknowledged','investigating','mitigated')`);

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const dateOrNull = (v: unknown) => (v === null || v === undefined ? null : date(v));

export interface CountBy {
  key: string;
  n: number;
}

export interface Percentiles {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface ResponseTimes {
  incidents: number;
  acknowledge: Percentiles;
  resolve: Percentiles;
}

/** The dashboard's counts over a project's incidents (`dashboardCounts`). */
export interface DashboardCounts {
  /** Incidents per lifecycle state and automation status; a pair may appear twice (opened in the last month or before). */
  states: { lifecycle: string; status: string; n: number }[];
  openedSinceDayAgo: number;
  criticalOpen: number;
  /** Opened in the last month and resolved by the pipeline; and of those, resolved without a person's approval. */
  pipelineResolved: number;
  resolvedWithoutHuman: number;
  /** Of those opened in the last month: how many were acknowledged (resolved), and the mean time to it in seconds. */
  acknowledge: { count: number; mean: number | null };
  resolve: { count: number; mean: number | null };
}

export interface ServiceImpact {
  service: string;
  incidents: number;
  open: number;
  critical: number;
  impactMinutes: number;
  mttrP50Seconds: number | null;
  lastIncidentAt: Date | null;
}

export interface Pattern {
  alertType: string;
  category: string | null;
  occurrences: number;
  services: string[];
  firstSeen: Date;
  lastSeen: Date;
  actions: string[];
  resolvedByAutomation: number;
  meanResolveSeconds: number | null;
}

export interface Responder {
  responder: string;
  acknowledgements: number;
  resolutions: number;
  mttaSeconds: number | null;
}

export interface ActivityRow {
  seq: number;
  incidentId: string;
  number: number;
  title: string;
  ts: Date;
  status: string;
  message: string;
  agent: string | null;
}

export interface AutomationTotals {
  pipelineResolved: number;
  resolvedWithoutHuman: number;
  awaitingApproval: number;
  failed: number;
  rejected: number;
  actions: { kind: string; state: string; n: number }[];
  outcomes: CountBy[];
}

/** Filters of an analytics query; each narrows, absent ones do not. */
export interface InsightFilter {
  services?: readonly string[] | undefined;
  severities?: readonly string[] | undefined;
  states?: readonly string[] | undefined;
}

/**
 * Aggregate reads over stored incidents, lifecycle transitions, actions and timelines for the
 * dashboard and analytics (seed 003). Every figure is a SQL aggregate over a project's rows in a
 * time range served by `incidents_created_idx`.
 */
export class InsightsStore {
  private filterSql(f: InsightFilter | undefined) {
    const parts = [sql``];
    if (f?.services?.length)
      parts.push(
        sql` and ${SERVICE} in (${sql.join(
          f.services.map((s) => sql`${s}`),
          sql`, `,
        )})`,
      );
    if (f?.severities?.length)
      parts.push(
        sql` and ${SEVERITY} in (${sql.join(
          f.severities.map((s) => sql`${s.toLowerCase()}`),
          sql`, `,
        )})`,
      );
    if (f?.states?.length)
      parts.push(
        sql` and i.lifecycle in (${sql.join(
          f.states.map((s) => sql`${s}`),
          sql`, `,
        )})`,
      );
    return sql.join(parts, sql``);
  }

  /**
   * Everything the dashboard's stats count over the project's incidents, in ONE scan of them: by lifecycle
   * state and automation status over the whole history, opened in the last day, open criticals, what the
   * pipeline resolved (and without a person) among those opened in the last month, and the month's mean
   * times to acknowledge and resolve (from the moments each incident carries; `responseTimes` has the
   * percentiles).
   */
  async dashboardCounts(db: Db, projectId: string, dayAgo: Date, monthAgo: Date, now: Date): Promise<DashboardCounts> {
    // Grouped by whether the incident opened in the last month too, so the month's figures are plain
    // aggregates of their groups rather than filters evaluated on every row of the history; the times are
    // summed as intervals and turned into seconds once per group.
    const rows = rowsOf(
      await db.execute(sql`select i.lifecycle, i.status, (i.created_at >= ${monthAgo} and i.created_at < ${now}) as in_month,
          count(*) as n,
          count(*) filter (where i.created_at >= ${dayAgo} and i.created_at < ${now}) as opened_day,
          count(*) filter (where i.lifecycle in ${OPEN_STATES} and ${SEVERITY} = 'critical') as critical_open,
          count(*) filter (where i.approved_by is null) as unattended,
          count(i.acknowledged_at) as acked, date_part('epoch', sum(i.acknowledged_at - i.created_at)) as ack_seconds,
          count(i.first_resolved_at) as resolved, date_part('epoch', sum(i.first_resolved_at - i.created_at)) as resolve_seconds
        from incidents i where i.project_id = ${projectId} group by 1, 2, 3`),
    );
    const counts: DashboardCounts = {
      states: [],
      openedSinceDayAgo: 0,
      criticalOpen: 0,
      pipelineResolved: 0,
      resolvedWithoutHuman: 0,
      acknowledge: { count: 0, mean: null },
      resolve: { count: 0, mean: null },
    };
    let ackSeconds = 0;
    let resolveSeconds = 0;
    for (const r of rows) {
      const status = String(r.status);
      counts.states.push({ lifecycle: String(r.lifecycle), status, n: num(r.n) });
      counts.openedSinceDayAgo += num(r.opened_day);
      counts.criticalOpen += num(r.critical_open);
      if (r.in_month !== true) continue;
      counts.acknowledge.count += num(r.acked);
      ackSeconds += num(r.ack_seconds);
      counts.resolve.count += num(r.resolved);
      resolveSeconds += num(r.resolve_seconds);
      if (status !== "RESOLVED") continue;
      counts.pipelineResolved += num(r.n);
      counts.resolvedWithoutHuman += num(r.unattended);
    }
    if (counts.acknowledge.count > 0) counts.acknowledge.mean = round(ackSeconds / counts.acknowledge.count);
    if (counts.resolve.count > 0) counts.resolve.mean = round(resolveSeconds / counts.resolve.count);
    return counts;
  }

  /** Incidents that first reached `state` in the range (a reopened incident resolved twice counts once). */
  async reachedBetween(db: Db, projectId: string, state: string, from: Date, to: Date): Promise<number> {
    const [r] = rowsOf(
      await db.execute(sql`select count(distinct t.incident_id) as n from incident_transitions t
        where t.project_id = ${projectId} and t.to_state = ${state} and t.at >= ${from} and t.at < ${to}`),
    );
    return num(r?.n);
  }

  async severityCounts(db: Db, projectId: string, from: Date | null, to: Date, f?: InsightFilter): Promise<CountBy[]> {
    const since = from ? sql` and i.created_at >= ${from}` : sql``;
    const rows = rowsOf(
      await db.execute(sql`select ${SEVERITY} as key, count(*) as n from incidents i
        where i.project_id = ${projectId}${since} and i.created_at < ${to}${this.filterSql(f)} group by 1 order by 2 desc`),
    );
    return rows.map((r) => ({ key: String(r.key), n: num(r.n) }));
  }

  async countsBy(
    db: Db,
    projectId: string,
    by: "service" | "state" | "status",
    from: Date,
    to: Date,
    f?: InsightFilter,
  ): Promise<CountBy[]> {
    const key = by === "service" ? SERVICE : by === "state" ? sql.raw("i.lifecycle") : sql.raw("i.status");
    const rows = rowsOf(
      await db.execute(sql`select ${key} as key, count(*) as n from incidents i
        where i.project_id = ${projectId} and i.created_at >= ${from} and i.created_at < ${to}${this.filterSql(f)}
        group by 1 order by 2 desc, 1`),
    );
    return rows.map((r) => ({ key: String(r.key), n: num(r.n) }));
  }

  /** Incidents opened per UTC bucket (`hour` or `day`), by severity. */
  async createdBuckets(
    db: Db,
    projectId: string,
    unit: "hour" | "day",
    from: Date,
    to: Date,
    f?: InsightFilter,
  ): Promise<{ bucket: Date; severity: string; n: number }[]> {
    const u = sql.raw(`'${unit}'`);
    const rows = rowsOf(
      await db.execute(sql`select extract(epoch from date_trunc(${u}, i.created_at at time zone 'UTC')) as bucket, ${SEVERITY} as severity,
        count(*) as n from incidents i where i.project_id = ${projectId} and i.created_at >= ${from} and i.created_at < ${to}
        ${this.filterSql(f)} group by 1, 2`),
    );
    return rows.map((r) => ({ bucket: new Date(num(r.bucket) * 1000), severity: String(r.severity), n: num(r.n) }));
  }

  /** Transitions into `state` per UTC bucket. */
  async transitionBuckets(
    db: Db,
    projectId: string,
    state: string,
    unit: "hour" | "day" | "week",
    from: Date,
    to: Date,
  ): Promise<{ bucket: Date; n: number }[]> {
    const u = sql.raw(`'${unit}'`);
    const rows = rowsOf(
      await db.execute(sql`select extract(epoch from date_trunc(${u}, t.at at time zone 'UTC')) as bucket, count(*) as n
        from incident_transitions t where t.project_id = ${projectId} and t.to_state = ${state}
        and t.at >= ${from} and t.at < ${to} group by 1`),
    );
    return rows.map((r) => ({ bucket: new Date(num(r.bucket) * 1000), n: num(r.n) }));
  }

  /**
   * Time to acknowledge (first move out of `detected`) and to resolve (first move to `resolved`) of the
   * incidents opened in the range, in seconds: count, mean and percentiles over those that reached it.
   * One range scan of the incidents: each carries both moments (`acknowledged_at`, `first_resolved_at`,
   * kept by a trigger on the transitions), so no month of transitions is joined (ADR 0017, amendment of 2026-12-07).
   */
  async responseTimes(db: Db, projectId: string, from: Date, to: Date, f?: InsightFilter): Promise<ResponseTimes> {
    const pct = (col: string, q: number) =>
      sql.raw(`percentile_cont(${q}) within group (order by date_part('epoch', i.${col} - i.created_at))`);
    const [r] = rowsOf(
      await db.execute(sql`select count(*) as n,
          count(i.acknowledged_at) as an, avg(date_part('epoch', i.acknowledged_at - i.created_at)) as amean,
          ${pct("acknowledged_at", 0.5)} as a50, ${pct("acknowledged_at", 0.9)} as a90, ${pct("acknowledged_at", 0.99)} as a99,
          count(i.first_resolved_at) as rn, avg(date_part('epoch', i.first_resolved_at - i.created_at)) as rmean,
          ${pct("first_resolved_at", 0.5)} as r50, ${pct("first_resolved_at", 0.9)} as r90, ${pct("first_resolved_at", 0.99)} as r99
        from incidents i
        where i.project_id = ${projectId} and i.created_at >= ${from} and i.created_at < ${to}${this.filterSql(f)}`),
    );
    const p = (prefix: "a" | "r"): Percentiles => ({
      count: num(r?.[`${prefix}n`]),
      mean: round(numOrNull(r?.[`${prefix}mean`])),
      p50: round(numOrNull(r?.[`${prefix}50`])),
      p90: round(numOrNull(r?.[`${prefix}90`])),
      p99: round(numOrNull(r?.[`${prefix}99`])),
    });
    return { incidents: num(r?.n), acknowledge: p("a"), resolve: p("r") };
  }

  /** What the automation did with the incidents opened since `from`, and what became of its fixes. */
  async automation(db: Db, projectId: string, from: Date, to: Date): Promise<AutomationTotals> {
    const [inc] = rowsOf(
      await db.execute(sql`select count(*) filter (where i.status = 'RESOLVED') as resolved,
          count(*) filter (where i.status = 'RESOLVED' and i.approved_by is null) as unattended,
          count(*) filter (where i.status = 'AWAITING_APPROVAL') as awaiting,
          count(*) filter (where i.status = 'FAILED') as failed,
          count(*) filter (where i.status = 'REJECTED') as rejected
        from incidents i where i.project_id = ${projectId} and i.created_at >= ${from} and i.created_at < ${to}`),
    );
    const actions = rowsOf(
      await db.execute(sql`select a.kind, a.state, count(*) as n from actions a
        where a.project_id = ${projectId} and a.started_at >= ${from} and a.started_at < ${to} group by 1, 2`),
    );
    const outcomes = rowsOf(
      await db.execute(sql`select k.outcome as key, count(*) as n from knowledge_entries k
        where k.project_id = ${projectId} and k.created_at >= ${from} and k.created_at < ${to} group by 1`),
    );
    return {
      pipelineResolved: num(inc?.resolved),
      resolvedWithoutHuman: num(inc?.unattended),
      awaitingApproval: num(inc?.awaiting),
      failed: num(inc?.failed),
      rejected: num(inc?.rejected),
      actions: actions.map((a) => ({ kind: String(a.kind), state: String(a.state), n: num(a.n) })),
      outcomes: outcomes.map((o) => ({ key: String(o.key), n: num(o.n) })),
    };
  }

  /** The project's latest timeline entries, newest first, with their incident's reference and title. */
  async activity(db: Db, projectId: string, limit: number): Promise<ActivityRow[]> {
    const rows = rowsOf(
      await db.execute(sql`select e.seq, e.incident_id, i.number, coalesce(i.title, i.alert_type) as title, e.ts,
          e.status, e.message, e.agent
        from timeline_entries e join incidents i on i.project_id = e.project_id and i.id = e.incident_id
        where e.project_id = ${projectId} order by e.seq desc limit ${limit}`),
    );
    return rows.map((r) => ({
      seq: num(r.seq),
      incidentId: String(r.incident_id),
      number: num(r.number),
      title: String(r.title),
      ts: date(r.ts),
      status: String(r.status),
      message: String(r.message),
      agent: r.agent === null ? null : String(r.agent),
    }));
  }

  /**
   * Per service in [from, to): incidents, open ones, critical ones, impact minutes (from opening to the
   * first of mitigated/resolved by a person or verified by the pipeline, clipped to the range; an
   * incident still open counts until `to`) and the median time to resolve.
   */
  async serviceImpacts(db: Db, projectId: string, from: Date, to: Date, service?: string): Promise<ServiceImpact[]> {
    const only = service ? sql` and ${SERVICE} = ${service}` : sql``;
    const rows = rowsOf(
      await db.execute(sql`with m as (
          select ${SERVICE} as service, i.created_at, i.lifecycle, ${SEVERITY} as severity, i.resolved_at,
            min(t.at) filter (where t.to_state in ('mitigated','resolved')) as mitigated,
            min(t.at) filter (where t.to_state = 'resolved') as res
          from incidents i left join incident_transitions t on t.project_id = i.project_id and t.incident_id = i.id
          where i.project_id = ${projectId} and i.created_at < ${to}
            and (i.created_at >= ${from} or i.lifecycle in ${OPEN_STATES})${only}
          group by i.id, i.service, i.container_name, i.created_at, i.lifecycle, i.severity, i.resolved_at
        )
        select service, count(*) filter (where created_at >= ${from}) as incidents,
          count(*) filter (where lifecycle in ${OPEN_STATES}) as open,
          count(*) filter (where severity = 'critical' and created_at >= ${from}) as critical,
          coalesce(sum(greatest(0, extract(epoch from (least(coalesce(least(mitigated, resolved_at), ${to}), ${to})
            - greatest(created_at, ${from}))))), 0) / 60.0 as impact,
          percentile_cont(0.5) within group (order by extract(epoch from (res - created_at))) as mttr50,
          max(created_at) as last_at
        from m group by service order by incidents desc, service`),
    );
    return rows.map((r) => ({
      service: String(r.service),
      incidents: num(r.incidents),
      open: num(r.open),
      critical: num(r.critical),
      impactMinutes: round(num(r.impact)) ?? 0,
      mttrP50Seconds: round(numOrNull(r.mttr50)),
      lastIncidentAt: dateOrNull(r.last_at),
    }));
  }

  /**
   * Recurring signatures (alert type and diagnosed category) seen at least `min` times in the range. A plain
   * hash aggregate by (signature, service, proposed action) first, then the few groups per signature: no
   * distinct aggregate sorts every incident of the range (230 → ~120 ms at 70,000 in the range on PGlite).
   */
  async patterns(db: Db, projectId: string, from: Date, to: Date, min: number, limit: number): Promise<Pattern[]> {
    const rows = rowsOf(
      await db.execute(sql`with g as (
          select i.alert_type, i.category, ${SERVICE} as service, i.analysis->>'action' as action, count(*) as n,
            min(i.created_at) as first_seen, max(i.created_at) as last_seen,
            count(*) filter (where i.status = 'RESOLVED') as automated,
            sum(i.resolved_at - i.created_at) as resolve_sum, count(i.resolved_at) as resolved
          from incidents i where i.project_id = ${projectId} and i.created_at >= ${from} and i.created_at < ${to}
          group by 1, 2, 3, 4
        )
        select g.alert_type, g.category, sum(g.n) as n, array_agg(distinct g.service order by g.service) as services,
          min(g.first_seen) as first_seen, max(g.last_seen) as last_seen,
          array_agg(distinct g.action order by g.action) filter (where g.action is not null) as actions,
          sum(g.automated) as automated,
          date_part('epoch', sum(g.resolve_sum)) / nullif(sum(g.resolved), 0) as mean_resolve
        from g group by g.alert_type, g.category having sum(g.n) >= ${min} order by n desc, g.alert_type limit ${limit}`),
    );
    return rows.map((r) => ({
      alertType: String(r.alert_type),
      category: r.category === null ? null : String(r.category),
      occurrences: num(r.n),
      services: arrayOf(r.services),
      firstSeen: date(r.first_seen),
      lastSeen: date(r.last_seen),
      actions: arrayOf(r.actions),
      resolvedByAutomation: num(r.automated),
      meanResolveSeconds: round(numOrNull(r.mean_resolve)),
    }));
  }

  /**
   * Per responder since `from`: acknowledgements (moves out of `detected`) and resolutions, named by the
   * `?user=` of seed 003's actions when one was given, else by the credential that moved the state.
   */
  async responders(db: Db, projectId: string, from: Date, to: Date): Promise<Responder[]> {
    const rows = rowsOf(
      await db.execute(sql`with t as (
          select t.incident_id, t.from_state, t.to_state, t.at, i.created_at,
            coalesce((select r.responder from incident_responses r where r.project_id = t.project_id
               and r.incident_id = t.incident_id and r.action = case when t.to_state = 'resolved' then 'resolve' else 'acknowledge' end
               and abs(extract(epoch from (r.at - t.at))) < 5 order by r.id desc limit 1), t.principal_id) as who
          from incident_transitions t join incidents i on i.project_id = t.project_id and i.id = t.incident_id
          where t.project_id = ${projectId} and t.at >= ${from} and t.at < ${to}
        )
        select who, count(*) filter (where from_state = 'detected') as acks, count(*) filter (where to_state = 'resolved') as res,
          avg(extract(epoch from (at - created_at))) filter (where from_state = 'detected') as mtta
        from t group by who order by acks desc, res desc, who`),
    );
    return rows.map((r) => ({
      responder: String(r.who),
      acknowledgements: num(r.acks),
      resolutions: num(r.res),
      mttaSeconds: round(numOrNull(r.mtta)),
    }));
  }

  /**
   * Page records on incident timelines (entries whose status or agent names a page) since `from`; out of
   * hours is before 09:00, from 18:00 UTC, or a weekend.
   */
  async pages(
    db: Db,
    projectId: string,
    from: Date,
    to: Date,
  ): Promise<{ total: number; outOfHours: number; byAgent: CountBy[] }> {
    const rows = rowsOf(
      await db.execute(sql`select coalesce(e.agent, 'unknown') as key, count(*) as n,
          count(*) filter (where extract(hour from e.ts at time zone 'UTC') < 9 or extract(hour from e.ts at time zone 'UTC') >= 18
            or extract(isodow from e.ts at time zone 'UTC') >= 6) as ooh
        from timeline_entries e where e.project_id = ${projectId} and e.ts >= ${from} and e.ts < ${to}
          and (e.status ilike 'PAGE%' or e.agent ilike '%PAGE%') group by 1`),
    );
    return {
      total: rows.reduce((s, r) => s + num(r.n), 0),
      outOfHours: rows.reduce((s, r) => s + num(r.ooh), 0),
      byAgent: rows.map((r) => ({ key: String(r.key), n: num(r.n) })),
    };
  }

  /** Model calls per provider since `from`: volume, failures, latency, the latest error. */
  async providerHealth(
    db: Db,
    projectId: string,
    from: Date,
  ): Promise<
    {
      provider: string;
      calls: number;
      failures: number;
      meanLatencyMs: number | null;
      lastAt: Date;
      lastError: string | null;
      lastOk: boolean;
    }[]
  > {
    const rows = rowsOf(
      await db.execute(sql`select c.provider, count(*) as calls, count(*) filter (where not c.ok) as failures,
          avg(c.latency_ms) filter (where not c.cache_hit) as latency, max(c.created_at) as last_at,
          (select l.error from llm_calls l where l.project_id = c.project_id and l.provider = c.provider and not l.ok
             and l.created_at >= ${from} order by l.created_at desc limit 1) as last_error,
          (select l.ok from llm_calls l where l.project_id = c.project_id and l.provider = c.provider
             order by l.created_at desc, l.id desc limit 1) as last_ok
        from llm_calls c where c.project_id = ${projectId} and c.created_at >= ${from}
        group by c.project_id, c.provider order by c.provider`),
    );
    return rows.map((r) => ({
      provider: String(r.provider),
      calls: num(r.calls),
      failures: num(r.failures),
      meanLatencyMs: round(numOrNull(r.latency)),
      lastAt: date(r.last_at),
      lastError: r.last_error === null ? null : String(r.last_error),
      lastOk: r.last_ok === true || r.last_ok === "t",
    }));
  }

  /** The latest council decisions of the project, newest first. */
  async lastDecisions(
    db: Db,
    projectId: string,
    limit: number,
  ): Promise<
    {
      id: string;
      number: number;
      alertType: string;
      status: string;
      action: string | null;
      verdict: string | null;
      summary: string | null;
      provider: string | null;
      at: Date;
    }[]
  > {
    const rows = rowsOf(
      await db.execute(sql`select i.id, i.number, i.alert_type, i.status, i.analysis->>'action' as action,
          i.council_decision->>'final_verdict' as verdict, i.council_decision->>'summary' as summary, i.provider, i.updated_at
        from incidents i where i.project_id = ${projectId} and i.council_decision is not null
        order by i.updated_at desc limit ${limit}`),
    );
    return rows.map((r) => ({
      id: String(r.id),
      number: num(r.number),
      alertType: String(r.alert_type),
      status: String(r.status),
      action: r.action === null ? null : String(r.action),
      verdict: r.verdict === null ? null : String(r.verdict),
      summary: r.summary === null ? null : String(r.summary),
      provider: r.provider === null ? null : String(r.provider),
      at: date(r.updated_at),
    }));
  }

  /** Learned fixes by outcome, and runbook documents, of the project. */
  async knowledgeCounts(db: Db, projectId: string): Promise<{ outcomes: CountBy[]; runbooks: number }> {
    const outcomes = rowsOf(
      await db.execute(
        sql`select outcome as key, count(*) as n from knowledge_entries where project_id = ${projectId} group by 1 order by 1`,
      ),
    );
    const [rb] = rowsOf(await db.execute(sql`select count(*) as n from runbooks where project_id = ${projectId}`));
    return { outcomes: outcomes.map((o) => ({ key: String(o.key), n: num(o.n) })), runbooks: num(rb?.n) };
  }

  /** Pipeline jobs by state: the queue the workers drain. */
  async jobStates(db: Db): Promise<CountBy[]> {
    const rows = rowsOf(
      await db.execute(sql`select state as key, count(*) as n from jobs where state <> 'done' group by 1`),
    );
    return rows.map((r) => ({ key: String(r.key), n: num(r.n) }));
  }
}

function arrayOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(String);
  if (typeof v === "string" && v.startsWith("{")) {
    return v
      .slice(1, -1)
      .split(",")
      .filter((s) => s && s !== "NULL")
      .map((s) => s.replace(/^"|"$/g, ""));
  }
  return [];
}

function round(v: number | null): number | null {
  return v === null || !Number.isFinite(v) ? null : Math.round(v * 100) / 100;
}
