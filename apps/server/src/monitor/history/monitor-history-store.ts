import type {
  EnvironmentSnapshot,
  ExportTable,
  HistorySummary,
  ServerHistory,
  StoredAlertEvent,
} from "@aegis/contracts";
import { type AlertLevel, METRIC_FIELDS, type MetricRecord, type ServerStatus, type TimeRange } from "@aegis/contracts";
import { and, asc, eq, gte, lt, lte, sql } from "drizzle-orm";
import type { CopyFrom, Db } from "../../store/database.js";
import { DEFAULT_PROJECT_ID } from "../../store/database.js";
import { rowsOf } from "../../store/rows-of.js";
import { monitorAlertEvents, monitorFleetSnapshots, monitorSamples } from "../../store/schema.js";
import { formatDataTime } from "../engine/data-time.js";
import type { AlertEvent, FleetSummary } from "../monitor-types.js";
import { toCsv } from "./csv.js";
import { SAMPLE_STATUSES, SAMPLE_WIDTH, type SampleBatch, sampleBatchOf } from "./sample-batch.js";
import { encodeSampleCopy, SAMPLE_COLUMN_TYPES, SAMPLE_COPY_SQL } from "./sample-copy.js";
import { dataTimeMs, rangeBounds } from "./time-range.js";

const RAISING = sql.raw(`('raised', 'escalated', 'deescalated')`);
const TREND_THRESHOLD = 5;
const SAMPLE_PAGE = 20_000;
const UNIQUE_VIOLATION = "23505";
const round1 = (n: number) => Math.round(n * 10) / 10;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
/** Data time as seed 004 writes it: UTC without an offset, to the second ("2025-01-15T10:00:00"). */
const iso = (d: Date) => formatDataTime(d.getTime(), true);

/**
 * The predictive monitor's history (seed 004 `/historical/*`) and training set. Bound to one
 * database and project: these writes never join another store's transaction. Every range is
 * relative to a `now` in data time, which the caller passes.
 */
export class MonitorHistoryStore {
  constructor(
    private readonly db: Db,
    private readonly projectId: string = DEFAULT_PROJECT_ID,
    /** Binary COPY into the database (the embedded one has it: `Database.copyFrom`). */
    private readonly copyFrom?: CopyFrom,
  ) {}

  /** Store downsampled records (see `appendSampleBatch`). */
  async appendSamples(records: readonly MetricRecord[]): Promise<void> {
    await this.appendSampleBatch(sampleBatchOf(records));
  }

  /**
   * Store a batch of samples in ONE statement; a (server, timestamp) already stored is skipped. With
   * `copyFrom` (the embedded database) the rows go as binary COPY, which PGlite stores for about half
   * the CPU of the statement below (ADR 0023, ninth round); COPY has no ON CONFLICT, so a batch it
   * refuses for a duplicate key (nothing of it stored) goes through the statement below.
   * Without it (or for values binary COPY would store differently): one array parameter per column
   * through `unnest`, a constant number of parameters however many rows.
   */
  async appendSampleBatch(batch: SampleBatch): Promise<void> {
    if (batch.length === 0) return;
    if (this.copyFrom) {
      const data = encodeSampleCopy(this.projectId, batch);
      if (data) {
        try {
          await this.copyFrom(SAMPLE_COPY_SQL, data);
          return;
        } catch (err) {
          if ((err as { code?: unknown }).code !== UNIQUE_VIOLATION) throw err;
        }
      }
    }
    const rows = Array.from({ length: batch.length }, (_, i) => i);
    const column = (j: number) => {
      const type = sql.raw(`${SAMPLE_COLUMN_TYPES[j]}[]`);
      return sql`${sql.param(rows.map((i) => batch.values[i * SAMPLE_WIDTH + j]))}::${type}`;
    };
    await this.db.execute(sql`
      insert into ${monitorSamples} (project_id, server_name, ts, status, ${sql.raw(METRIC_FIELDS.join(", "))})
      select ${this.projectId}, t.* from unnest(
        ${sql.param([...batch.names])}::text[],
        ${sql.param(rows.map((i) => new Date(batch.ms[i] as number).toISOString()))}::timestamptz[],
        ${sql.param(rows.map((i) => SAMPLE_STATUSES[batch.status[i] as number]))}::text[],
        ${sql.join(
          METRIC_FIELDS.map((_, j) => column(j)),
          sql`, `,
        )}
      ) as t
      on conflict do nothing`);
  }

  /**
   * Store level changes in order, then close episodes: every still-open non-resolved event of a
   * server gets the time of the first later `resolved` event of that server as `resolved_at`,
   * and the minutes from its own time to it as `resolution_duration_minutes`.
   */
  async appendAlertEvents(events: AlertEvent[]): Promise<void> {
    if (events.length === 0) return;
    const col = <K extends keyof AlertEvent>(k: K) => sql.param(events.map((e) => e[k]));
    const resolvedServers = [...new Set(events.filter((e) => e.event_type === "resolved").map((e) => e.server_name))];
    await this.db.transaction(async (tx) => {
      // `with ordinality` keeps the batch order in the serial ids, which break ties of equal timestamps.
      await tx.execute(sql`
        insert into ${monitorAlertEvents} (project_id, ts, server_name, profile, event_type, previous_level, new_level, risk_score, message)
        select ${this.projectId}, ts, server_name, profile, event_type, previous_level, new_level, risk_score, message
        from unnest(
          ${sql.param(events.map((e) => new Date(dataTimeMs(e.timestamp)).toISOString()))}::timestamptz[],
          ${col("server_name")}::text[], ${col("profile")}::text[], ${col("event_type")}::text[],
          ${col("previous_level")}::text[], ${col("new_level")}::text[], ${col("risk_score")}::float8[],
          ${col("message")}::text[]
        ) with ordinality as t(ts, server_name, profile, event_type, previous_level, new_level, risk_score, message, n)
        order by n`);
      if (resolvedServers.length === 0) return;
      await tx.execute(sql`
        update ${monitorAlertEvents} e
        set (resolved_at, resolution_duration_minutes) = (
          select r.ts, round((extract(epoch from (r.ts - e.ts)) / 60)::numeric, 1)::float8
          from ${monitorAlertEvents} r
          where r.project_id = e.project_id and r.server_name = e.server_name and r.event_type = 'resolved'
            and r.ts >= e.ts and r.id > e.id
          order by r.ts, r.id limit 1)
        where e.project_id = ${this.projectId} and e.server_name = any(${sql.param(resolvedServers)}::text[])
          and e.resolved_at is null and e.event_type in ${RAISING}
          and exists (
            select 1 from ${monitorAlertEvents} r
            where r.project_id = e.project_id and r.server_name = e.server_name and r.event_type = 'resolved'
              and r.ts >= e.ts and r.id > e.id)`);
    });
  }

  async appendSnapshot(summary: FleetSummary, at: string): Promise<void> {
    await this.db.insert(monitorFleetSnapshots).values({
      projectId: this.projectId,
      ts: new Date(dataTimeMs(at)),
      totalServers: summary.total_servers,
      criticalCount: summary.critical,
      warningCount: summary.warning,
      degradedCount: summary.degraded,
      healthyCount: summary.healthy,
      fleetHealth: summary.fleet_health,
      prob30m: summary.prob_30m,
      prob8h: summary.prob_8h,
    });
  }

  async summary(range: TimeRange, now: Date): Promise<HistorySummary> {
    const { from, to } = rangeBounds(range, now);
    const e = monitorAlertEvents;
    const inRange = sql`${e.projectId} = ${this.projectId} and ${e.ts} >= ${from} and ${e.ts} <= ${to}`;
    const [alerts] = rowsOf(
      await this.db.execute(sql`
        select count(*) filter (where ${e.newLevel} = 'critical') as critical,
               count(*) filter (where ${e.newLevel} = 'warning') as warning,
               count(*) filter (where ${e.newLevel} = 'degraded') as degraded,
               avg(${e.resolutionDurationMinutes}) filter (where ${e.eventType} = 'raised') as avg_resolution,
               count(*) filter (where ${e.eventType} = 'raised' and ${e.resolvedAt} is not null and not exists (
                 select 1 from ${e} c
                 where c.project_id = ${e.projectId} and c.server_name = ${e.serverName} and c.new_level = 'critical'
                   and c.ts >= ${e.ts} and c.ts <= ${e.resolvedAt})) as prevented
        from ${e} where ${inRange} and ${e.eventType} in ${RAISING}`),
    );
    const s = monitorFleetSnapshots;
    const [fleet] = rowsOf(
      await this.db.execute(sql`
        select avg(${s.fleetHealth}) as avg from ${s}
        where ${s.projectId} = ${this.projectId} and ${s.ts} >= ${from} and ${s.ts} <= ${to}`),
    );
    const critical = num(alerts?.critical);
    const warning = num(alerts?.warning);
    const degraded = num(alerts?.degraded);
    return {
      total_alerts: critical + warning + degraded,
      alerts_by_level: { critical, warning, degraded },
      avg_resolution_time_minutes: alerts?.avg_resolution == null ? null : round1(Number(alerts.avg_resolution)),
      incidents_prevented: num(alerts?.prevented),
      fleet_health_avg: fleet?.avg == null ? null : round1(Number(fleet.avg)),
    };
  }

  /** Events of the range, oldest first, optionally of one server. */
  async alerts(range: TimeRange, now: Date, serverName?: string): Promise<StoredAlertEvent[]> {
    const { from, to } = rangeBounds(range, now);
    const e = monitorAlertEvents;
    const rows = await this.db
      .select()
      .from(e)
      .where(
        and(
          eq(e.projectId, this.projectId),
          gte(e.ts, from),
          lte(e.ts, to),
          serverName === undefined ? undefined : eq(e.serverName, serverName),
        ),
      )
      .orderBy(asc(e.ts), asc(e.id));
    return rows.map((r) => ({
      timestamp: iso(r.ts),
      server_name: r.serverName,
      profile: r.profile,
      event_type: r.eventType as AlertEvent["event_type"],
      previous_level: r.previousLevel as AlertLevel,
      new_level: r.newLevel as AlertLevel,
      risk_score: r.riskScore,
      message: r.message,
      resolved_at: r.resolvedAt ? iso(r.resolvedAt) : null,
      resolution_duration_minutes: r.resolutionDurationMinutes,
    }));
  }

  /**
   * One server over the range, from its level timeline: the level and risk in force at the
   * start (its last earlier event; healthy with risk 0 if none) and each change in the range hold
   * until the next. The window starts when the server was first seen (first sample or event) if
   * that is later than the range start, so a server tracked for an hour is not 95% "healthy" over a day.
   */
  async server(serverName: string, range: TimeRange, now: Date): Promise<ServerHistory> {
    const { from, to } = rangeBounds(range, now);
    const e = monitorAlertEvents;
    const [before] = await this.db
      .select({ level: e.newLevel, risk: e.riskScore })
      .from(e)
      .where(and(eq(e.projectId, this.projectId), eq(e.serverName, serverName), lt(e.ts, from)))
      .orderBy(sql`${e.ts} desc, ${e.id} desc`)
      .limit(1);
    const events = await this.alerts(range, now, serverName);
    const end = to.getTime();
    let start = from.getTime();
    if (!before) {
      const [first] = rowsOf(
        await this.db.execute(sql`
          select (extract(epoch from min(${monitorSamples.ts})) * 1000)::float8 as ms from ${monitorSamples}
          where ${monitorSamples.projectId} = ${this.projectId} and ${monitorSamples.serverName} = ${serverName}
            and ${monitorSamples.ts} >= ${from} and ${monitorSamples.ts} <= ${to}`),
      );
      const seen = [first?.ms == null ? Number.POSITIVE_INFINITY : Number(first.ms)];
      if (events[0]) seen.push(dataTimeMs(events[0].timestamp));
      start = Math.max(start, Math.min(end, ...seen));
    }
    const segments = levelSegments(
      { level: (before?.level as AlertLevel | undefined) ?? "healthy", risk: before?.risk ?? 0 },
      events.map((x) => ({ at: dataTimeMs(x.timestamp), level: x.new_level, risk: x.risk_score })),
      start,
      end,
    );
    const span = end - start;
    const timeIn = (level: AlertLevel) =>
      span > 0 ? segments.filter((s) => s.level === level).reduce((sum, s) => sum + (s.to - s.from), 0) / span : 0;
    const mid = start + span / 2;
    const first = weightedRisk(segments, start, mid);
    const second = weightedRisk(segments, mid, end);
    const alerts = events.filter((x) => x.event_type !== "resolved");
    const risks = [...alerts.map((x) => x.risk_score), ...(before && span > 0 ? [before.risk] : [])];
    return {
      server_name: serverName,
      alert_count: alerts.length,
      avg_risk_score: round1(weightedRisk(segments, start, end)),
      max_risk_score: risks.length > 0 ? Math.max(...risks) : 0,
      time_in_warning_pct: round1(timeIn("warning") * 100),
      time_in_critical_pct: round1(timeIn("critical") * 100),
      risk_trend:
        second - first > TREND_THRESHOLD ? "degrading" : first - second > TREND_THRESHOLD ? "improving" : "stable",
    };
  }

  /** Fleet snapshots of the range, oldest first. */
  async environment(range: TimeRange, now: Date): Promise<EnvironmentSnapshot[]> {
    const { from, to } = rangeBounds(range, now);
    const s = monitorFleetSnapshots;
    const rows = await this.db
      .select()
      .from(s)
      .where(and(eq(s.projectId, this.projectId), gte(s.ts, from), lte(s.ts, to)))
      .orderBy(asc(s.ts), asc(s.id));
    return rows.map((r) => ({
      timestamp: iso(r.ts),
      total_servers: r.totalServers,
      critical_count: r.criticalCount,
      warning_count: r.warningCount,
      degraded_count: r.degradedCount,
      healthy_count: r.healthyCount,
      fleet_health: r.fleetHealth,
      prob_30m: r.prob30m,
      prob_8h: r.prob8h,
    }));
  }

  /** The range as CSV (RFC 4180) and the seed's file name, stamped with `now` in UTC. */
  async exportCsv(table: ExportTable, range: TimeRange, now: Date): Promise<{ csv_data: string; filename: string }> {
    const rows: readonly object[] =
      table === "alerts" ? await this.alerts(range, now) : await this.environment(range, now);
    const header =
      table === "alerts"
        ? [
            "timestamp",
            "server_name",
            "profile",
            "event_type",
            "previous_level",
            "new_level",
            "risk_score",
            "message",
            "resolved_at",
            "resolution_duration_minutes",
          ]
        : [
            "timestamp",
            "total_servers",
            "critical_count",
            "warning_count",
            "degraded_count",
            "healthy_count",
            "fleet_health",
            "prob_30m",
            "prob_8h",
          ];
    const stamp = now
      .toISOString()
      .replace(/\.\d+Z$/, "")
      .replace(/[-:]/g, "")
      .replace("T", "_");
    return { csv_data: toCsv(header, rows), filename: `argus_${table}_${range}_${stamp}.csv` };
  }

  /**
   * Stored samples in data-time order, a page at a time (pages, not single records: iterating
   * hundreds of thousands of promises would cost more than the query). `since` keeps samples at
   * or after it; `limit` keeps the newest `limit` of those.
   */
  async *loadSamples(opts: { since?: Date; limit?: number } = {}): AsyncGenerator<MetricRecord[]> {
    const s = monitorSamples;
    const scope = sql`${s.projectId} = ${this.projectId}${opts.since ? sql` and ${s.ts} >= ${opts.since}` : sql``}`;
    let after: { ms: number; server: string } | null = null;
    let inclusive = false;
    if (opts.limit !== undefined) {
      if (opts.limit <= 0) return;
      const [cut] = rowsOf(
        await this.db.execute(sql`
          select (extract(epoch from ${s.ts}) * 1000)::float8 as ms, ${s.serverName} as server from ${s}
          where ${scope} order by ${s.ts} desc, ${s.serverName} desc offset ${opts.limit - 1} limit 1`),
      );
      if (cut) {
        after = { ms: Number(cut.ms), server: String(cut.server) };
        inclusive = true;
      }
    }
    for (;;) {
      const key = after
        ? sql` and (${s.ts}, ${s.serverName}) ${sql.raw(inclusive ? ">=" : ">")} (${new Date(after.ms).toISOString()}::timestamptz, ${after.server})`
        : sql``;
      const rows = rowsOf(
        await this.db.execute(sql`
          select ${s.serverName} as server_name, (extract(epoch from ${s.ts}) * 1000)::float8 as ms, ${s.status} as status,
            ${sql.join(
              METRIC_FIELDS.map((f) => sql.raw(`${f}::text as ${f}`)),
              sql`, `,
            )}
          from ${s} where ${scope}${key}
          order by ${s.ts}, ${s.serverName} limit ${SAMPLE_PAGE}`),
      );
      if (rows.length === 0) return;
      yield rows.map(toRecord);
      const last = rows[rows.length - 1] as Record<string, unknown>;
      after = { ms: Number(last.ms), server: String(last.server_name) };
      inclusive = false;
      if (rows.length < SAMPLE_PAGE) return;
    }
  }

  /** Delete samples, events and snapshots older than `olderThan` (data time); returns how many of each. */
  async prune(olderThan: Date): Promise<{ samples: number; alertEvents: number; snapshots: number }> {
    const count = async (table: typeof monitorSamples | typeof monitorAlertEvents | typeof monitorFleetSnapshots) =>
      rowsOf(
        await this.db.execute(sql`
          with gone as (delete from ${table} where project_id = ${this.projectId} and ts < ${olderThan} returning 1)
          select count(*) as n from gone`),
      )[0]?.n;
    return {
      samples: num(await count(monitorSamples)),
      alertEvents: num(await count(monitorAlertEvents)),
      snapshots: num(await count(monitorFleetSnapshots)),
    };
  }
}

interface Segment {
  from: number;
  to: number;
  level: AlertLevel;
  risk: number;
}

/** The piecewise-constant level/risk timeline over `[start, end]`. */
function levelSegments(
  initial: { level: AlertLevel; risk: number },
  changes: { at: number; level: AlertLevel; risk: number }[],
  start: number,
  end: number,
): Segment[] {
  const out: Segment[] = [];
  let current = { from: start, ...initial };
  for (const c of changes) {
    const at = Math.min(Math.max(c.at, start), end);
    if (at > current.from) out.push({ ...current, to: at });
    current = { from: at, level: c.level, risk: c.risk };
  }
  if (end > current.from) out.push({ ...current, to: end });
  return out;
}

/** Time-weighted mean risk of the segments over `[from, to]`; 0 for an empty window. */
function weightedRisk(segments: Segment[], from: number, to: number): number {
  if (to <= from) return 0;
  let sum = 0;
  for (const s of segments) {
    const overlap = Math.min(s.to, to) - Math.max(s.from, from);
    if (overlap > 0) sum += overlap * s.risk;
  }
  return sum / (to - from);
}

function toRecord(r: Record<string, unknown>): MetricRecord {
  const record: Record<string, unknown> = {
    timestamp: formatDataTime(Number(r.ms), true),
    server_name: String(r.server_name),
    status: String(r.status) as ServerStatus,
  };
  // Read as text: PostgreSQL prints a real as the shortest decimal that round-trips (25.3), where
  // a float8 cast would show the float4 approximation (25.299999237060547).
  for (const f of METRIC_FIELDS) record[f] = Number(r[f]);
  return record as MetricRecord;
}
