import type { Matcher } from "@aegis/contracts";
import { and, desc, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "./database.js";
import type { IncidentRow, NewIncident } from "./incident-store.js";
import { rowsOf } from "./rows-of.js";
import { incidents, timelineEntries } from "./schema.js";
import { alertFollowers, alertGroups, alertSources, receivedAlerts, silences } from "./schema-alerts.js";
import { textArray } from "./text-array.js";

export type SilenceRow = typeof silences.$inferSelect;
export type ReceivedAlertRow = typeof receivedAlerts.$inferSelect;
export type NewReceivedAlert = typeof receivedAlerts.$inferInsert;
export type AlertSourceRow = typeof alertSources.$inferSelect;

/** A group that may take alerts, with its leader's state (openness is decided by the caller). */
export interface GroupState {
  projectId: string;
  leaderId: string;
  fingerprint: string;
  alertCount: number;
  lastSeenAt: Date;
  leaderStatus: string;
  leaderLifecycle: string;
  leaderDryRun: boolean;
}

/** An incident joining a group: stored without a pipeline job, with its entry and one on its leader. */
export interface Follower {
  item: NewIncident;
  leaderId: string;
  /** Timeline entry on the follower (which incident it joined). */
  ownMessage: string;
  /** Timeline entry on the leader (which alert attached, the count). */
  leaderMessage: string;
}

export interface AlertFilter {
  status?: "firing" | "resolved" | undefined;
  source?: string | undefined;
  service?: string | undefined;
  severity?: string | undefined;
  alertname?: string | undefined;
}

const key = (projectId: string, id: string) => `${projectId}\u0000${id}`;

/** Alert groups, followers, received alerts, silences and alert sources. */
export class AlertStore {
  /** Serialise grouping decisions per fingerprint across nodes (transaction-scoped advisory locks). */
  async lockFingerprints(tx: Db, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(k)) from (select distinct unnest(${textArray(keys)}::text[]) as k order by 1) s`,
    );
  }

  async openGroups(tx: Db, keys: { projectId: string; fingerprint: string }[]): Promise<GroupState[]> {
    if (keys.length === 0) return [];
    const result = await tx.execute(sql`
      select g.project_id, g.leader_id, g.fingerprint, g.alert_count, g.last_seen_at, i.status, i.lifecycle, i.dry_run
      from ${alertGroups} g
      join unnest(${textArray(keys.map((k) => k.projectId))}::text[], ${textArray(keys.map((k) => k.fingerprint))}::text[])
        as k(project_id, fingerprint) on g.project_id = k.project_id and g.fingerprint = k.fingerprint
      join ${incidents} i on i.project_id = g.project_id and i.id = g.leader_id
      where g.closed_at is null`);
    return rowsOf(result).map((r) => ({
      projectId: String(r.project_id),
      leaderId: String(r.leader_id),
      fingerprint: String(r.fingerprint),
      alertCount: Number(r.alert_count),
      lastSeenAt: new Date(r.last_seen_at as string | Date),
      leaderStatus: String(r.status),
      leaderLifecycle: String(r.lifecycle),
      leaderDryRun: r.dry_run === true || r.dry_run === "t",
    }));
  }

  /** Close these groups in ONE statement (the ingest sends it with the writes that may open their successors). */
  async closeGroups(db: Db, groups: { projectId: string; leaderId: string }[], at: Date): Promise<void> {
    if (groups.length === 0) return;
    await db.execute(sql`
      update ${alertGroups} g set closed_at = ${at}
      from unnest(${textArray(groups.map((x) => x.projectId))}::text[], ${textArray(groups.map((x) => x.leaderId))}::text[])
        as v(project_id, leader_id)
      where g.project_id = v.project_id and g.leader_id = v.leader_id`);
  }

  async createGroups(tx: Db, groups: { projectId: string; leaderId: string; fingerprint: string }[], now: Date) {
    if (groups.length === 0) return;
    await tx
      .insert(alertGroups)
      .values(groups.map((g) => ({ ...g, alertCount: 1, firstSeenAt: now, lastSeenAt: now })))
      .onConflictDoNothing();
  }

  /** Add `n` alerts to each group and move its last-seen time. */
  async bumpGroups(tx: Db, counts: Map<string, { projectId: string; leaderId: string; n: number }>, now: Date) {
    const list = [...counts.values()];
    if (list.length === 0) return;
    await tx.execute(sql`
      update ${alertGroups} g set alert_count = g.alert_count + v.n::int, last_seen_at = ${now}
      from unnest(${textArray(list.map((c) => c.projectId))}::text[], ${textArray(list.map((c) => c.leaderId))}::text[],
                  ${textArray(list.map((c) => String(c.n)))}::text[]) as v(project_id, leader_id, n)
      where g.project_id = v.project_id and g.leader_id = v.leader_id`);
  }

  /**
   * Insert followers in ONE statement: the incident row (no job), its RECEIVED entry and the entry
   * naming its leader, the leader's entry, and the follower link. Existing ids are left alone.
   */
  async attach(tx: Db, followers: Follower[], now: Date): Promise<Set<string>> {
    if (followers.length === 0) return new Set();
    const col = <K extends keyof NewIncident>(k: K) => followers.map((f) => f.item[k] as string | null | undefined);
    const result = await tx.execute(sql`
      with input as (
        select * from unnest(
          ${textArray(col("projectId"))}::text[], ${textArray(col("id"))}::text[], ${textArray(col("alertType"))}::text[],
          ${textArray(col("logs"))}::text[], ${textArray(col("containerName"))}::text[], ${textArray(col("severity"))}::text[],
          ${textArray(col("alertTimestamp"))}::text[],
          ${textArray(followers.map((f) => (f.item.context ? JSON.stringify(f.item.context) : null)))}::text[],
          ${textArray(followers.map((f) => String(f.item.dryRun)))}::text[], ${textArray(col("service"))}::text[],
          ${textArray(followers.map((f) => f.leaderId))}::text[], ${textArray(followers.map((f) => f.ownMessage))}::text[],
          ${textArray(followers.map((f) => f.leaderMessage))}::text[]
        ) with ordinality as t(project_id, id, alert_type, logs, container_name, severity, alert_timestamp, context,
                               dry_run, service, leader_id, own_message, leader_message, ord)
      ),
      created as (
        insert into ${incidents} (project_id, id, alert_type, logs, container_name, severity, alert_timestamp, context,
                                  dry_run, service, status, created_at, updated_at)
        select project_id, id, alert_type, logs, container_name, severity, alert_timestamp, context::jsonb,
               dry_run::boolean, service, 'RECEIVED', ${now}, ${now}
        from input order by ord
        on conflict do nothing
        returning project_id, id
      ),
      linked as (
        insert into ${alertFollowers} (project_id, incident_id, leader_id, attached_at)
        select c.project_id, c.id, i.leader_id, ${now} from created c join input i using (project_id, id)
      ),
      entries as (
        insert into ${timelineEntries} (project_id, incident_id, ts, status, message, agent)
        select project_id, incident_id, ${now}, 'RECEIVED', message, agent from (
          select i.ord, 0 as k, c.project_id, c.id as incident_id, 'Incident received via webhook.' as message, null as agent
            from created c join input i using (project_id, id)
          union all
          select i.ord, 1, c.project_id, c.id, i.own_message, 'ALERT_GROUPING' from created c join input i using (project_id, id)
          union all
          select i.ord, 2, c.project_id, i.leader_id, i.leader_message, 'ALERT_GROUPING' from created c join input i using (project_id, id)
        ) e order by ord, k
      )
      select project_id, id from created`);
    return new Set(rowsOf(result).map((r) => key(String(r.project_id), String(r.id))));
  }

  /**
   * Insert received alerts in ONE statement of array parameters (`unnest`), whatever their number: a
   * multi-row `values` list made Drizzle build (and the database parse) SQL whose size grows with the
   * batch, which was most of the ingest load's CPU (issue #17).
   */
  async recordAlerts(db: Db, rows: NewReceivedAlert[]): Promise<void> {
    if (rows.length === 0) return;
    const col = (f: (r: NewReceivedAlert) => string | null | undefined) => textArray(rows.map(f));
    const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
    await db.execute(sql`
      insert into ${receivedAlerts} (project_id, id, source, status, alertname, severity, service, description, labels,
                                     annotations, fingerprint, starts_at, ends_at, received_at, incident_id, grouped_into,
                                     suppressed_by, generator_url)
      select project_id, id, source, status, alertname, severity, service, description, labels::jsonb, annotations::jsonb,
             fingerprint, starts_at::timestamptz, ends_at::timestamptz, received_at::timestamptz, incident_id,
             grouped_into, suppressed_by, generator_url
      from unnest(
        ${col((r) => r.projectId)}::text[], ${col((r) => r.id)}::text[], ${col((r) => r.source)}::text[],
        ${col((r) => r.status)}::text[], ${col((r) => r.alertname)}::text[], ${col((r) => r.severity)}::text[],
        ${col((r) => r.service)}::text[], ${col((r) => r.description)}::text[],
        ${col((r) => JSON.stringify(r.labels))}::text[], ${col((r) => JSON.stringify(r.annotations))}::text[],
        ${col((r) => r.fingerprint)}::text[], ${col((r) => iso(r.startsAt))}::text[], ${col((r) => iso(r.endsAt))}::text[],
        ${col((r) => iso(r.receivedAt))}::text[], ${col((r) => r.incidentId)}::text[], ${col((r) => r.groupedInto)}::text[],
        ${col((r) => r.suppressedBy)}::text[], ${col((r) => r.generatorUrl)}::text[]
      ) with ordinality as t(project_id, id, source, status, alertname, severity, service, description, labels, annotations,
                             fingerprint, starts_at, ends_at, received_at, incident_id, grouped_into, suppressed_by,
                             generator_url, ord)
      order by ord`);
  }

  /** Leader of each of `ids` that joined a group. */
  async leadersOf(db: Db, projectId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .select({ id: alertFollowers.incidentId, leader: alertFollowers.leaderId })
      .from(alertFollowers)
      .where(and(eq(alertFollowers.projectId, projectId), inArray(alertFollowers.incidentId, ids)));
    return new Map(rows.map((r) => [r.id, r.leader]));
  }

  /** For followers among `ids`: the leader and its automation state (a follower shows its leader's). */
  async followerStates(db: Db, projectId: string, ids: string[]) {
    const out = new Map<
      string,
      {
        leaderId: string;
        status: string;
        resolvedAt: Date | null;
        error: string | null;
        analysis: IncidentRow["analysis"];
        councilDecision: IncidentRow["councilDecision"];
      }
    >();
    if (ids.length === 0) return out;
    const rows = await db
      .select({
        id: alertFollowers.incidentId,
        leaderId: alertFollowers.leaderId,
        status: incidents.status,
        resolvedAt: incidents.resolvedAt,
        error: incidents.error,
        analysis: incidents.analysis,
        councilDecision: incidents.councilDecision,
      })
      .from(alertFollowers)
      .innerJoin(
        incidents,
        and(eq(incidents.projectId, alertFollowers.projectId), eq(incidents.id, alertFollowers.leaderId)),
      )
      .where(and(eq(alertFollowers.projectId, projectId), inArray(alertFollowers.incidentId, ids)));
    for (const { id, ...state } of rows) out.set(id, state);
    return out;
  }

  async listAlerts(db: Db, projectId: string, f: AlertFilter, limit: number, offset: number) {
    const parts = [eq(receivedAlerts.projectId, projectId)];
    if (f.status) parts.push(eq(receivedAlerts.status, f.status));
    if (f.source) parts.push(eq(receivedAlerts.source, f.source));
    if (f.service) parts.push(eq(receivedAlerts.service, f.service));
    if (f.severity) parts.push(sql`lower(${receivedAlerts.severity}) = lower(${f.severity})`);
    if (f.alertname) parts.push(eq(receivedAlerts.alertname, f.alertname));
    const where = and(...parts);
    const [rows, total] = await Promise.all([
      db
        .select()
        .from(receivedAlerts)
        .where(where)
        .orderBy(desc(receivedAlerts.receivedAt), desc(receivedAlerts.seq))
        .limit(limit)
        .offset(offset),
      db.select({ n: sql<number>`count(*)::int` }).from(receivedAlerts).where(where),
    ]);
    return { rows, total: total[0]?.n ?? 0 };
  }

  // ---- silences and maintenance windows

  /** Silences and windows of these projects in force at `at`. */
  async activeSilences(db: Db, projectIds: string[], at: Date): Promise<SilenceRow[]> {
    if (projectIds.length === 0) return [];
    return db
      .select()
      .from(silences)
      .where(and(inArray(silences.projectId, projectIds), lte(silences.startsAt, at), gt(silences.endsAt, at)));
  }

  async countSuppressed(tx: Db, counts: Map<string, { projectId: string; id: string; n: number }>): Promise<void> {
    for (const c of counts.values()) {
      await tx
        .update(silences)
        .set({ suppressed: sql`${silences.suppressed} + ${c.n}` })
        .where(and(eq(silences.projectId, c.projectId), eq(silences.id, c.id)));
    }
  }

  async createSilence(db: Db, row: typeof silences.$inferInsert): Promise<SilenceRow> {
    const [created] = await db.insert(silences).values(row).returning();
    return created as SilenceRow;
  }

  async silences(db: Db, projectId: string, kind: "silence" | "maintenance"): Promise<SilenceRow[]> {
    return db
      .select()
      .from(silences)
      .where(and(eq(silences.projectId, projectId), eq(silences.kind, kind)))
      .orderBy(desc(silences.createdAt));
  }

  async silence(db: Db, projectId: string, kind: string, id: string): Promise<SilenceRow | undefined> {
    const rows = await db
      .select()
      .from(silences)
      .where(and(eq(silences.projectId, projectId), eq(silences.kind, kind as "silence"), eq(silences.id, id)));
    return rows[0];
  }

  async updateSilence(
    db: Db,
    projectId: string,
    id: string,
    patch: { matchers?: Matcher[]; startsAt?: Date; endsAt?: Date; comment?: string; name?: string },
  ): Promise<SilenceRow | undefined> {
    const rows = await db
      .update(silences)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(silences.projectId, projectId), eq(silences.id, id)))
      .returning();
    return rows[0];
  }

  async deleteSilence(db: Db, projectId: string, kind: string, id: string): Promise<boolean> {
    const rows = await db
      .delete(silences)
      .where(and(eq(silences.projectId, projectId), eq(silences.kind, kind as "silence"), eq(silences.id, id)))
      .returning({ id: silences.id });
    return rows.length > 0;
  }

  // ---- alert sources

  async sources(db: Db, projectId: string): Promise<AlertSourceRow[]> {
    return db.select().from(alertSources).where(eq(alertSources.projectId, projectId));
  }

  async source(db: Db, projectId: string, source: string): Promise<AlertSourceRow | undefined> {
    const rows = await db
      .select()
      .from(alertSources)
      .where(and(eq(alertSources.projectId, projectId), eq(alertSources.source, source)));
    return rows[0];
  }

  async sourceByToken(db: Db, source: string, tokenHash: string): Promise<AlertSourceRow | undefined> {
    const rows = await db
      .select()
      .from(alertSources)
      .where(and(eq(alertSources.tokenHash, tokenHash), eq(alertSources.source, source)));
    return rows[0];
  }

  async upsertSource(
    db: Db,
    projectId: string,
    source: string,
    patch: { tokenHash?: string; tokenPrefix?: string; signingSecret?: string },
  ): Promise<void> {
    const now = new Date();
    await db
      .insert(alertSources)
      .values({ projectId, source, ...patch, updatedAt: now })
      .onConflictDoUpdate({ target: [alertSources.projectId, alertSources.source], set: { ...patch, updatedAt: now } });
  }

  /** Count a delivery (accepted or refused) on the source's status. */
  async noteDelivery(
    db: Db,
    projectId: string,
    source: string,
    d: { ok: boolean; eventType?: string | null; error?: string | null },
  ): Promise<void> {
    const now = new Date();
    await db
      .insert(alertSources)
      .values({
        projectId,
        source,
        received: d.ok ? 1 : 0,
        rejected: d.ok ? 0 : 1,
        lastReceivedAt: now,
        lastError: d.ok ? null : (d.error ?? null),
        lastEventType: d.eventType ?? null,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [alertSources.projectId, alertSources.source],
        set: {
          received: d.ok ? sql`${alertSources.received} + 1` : alertSources.received,
          rejected: d.ok ? alertSources.rejected : sql`${alertSources.rejected} + 1`,
          lastReceivedAt: now,
          ...(d.ok ? {} : { lastError: d.error ?? null }),
          ...(d.eventType ? { lastEventType: d.eventType } : {}),
          updatedAt: now,
        },
      });
  }

  /** The open group of a fingerprint (resolve, acknowledge), if any. */
  async openLeader(db: Db, projectId: string, fingerprint: string): Promise<string | null> {
    const rows = await db
      .select({ leaderId: alertGroups.leaderId })
      .from(alertGroups)
      .where(
        and(
          eq(alertGroups.projectId, projectId),
          eq(alertGroups.fingerprint, fingerprint),
          isNull(alertGroups.closedAt),
        ),
      )
      .orderBy(desc(alertGroups.firstSeenAt))
      .limit(1);
    return rows[0]?.leaderId ?? null;
  }

  /** Counters for a bench or a status view: groups, followers. */
  async counts(db: Db, projectId: string): Promise<{ groups: number; followers: number; alerts: number }> {
    const one = async (q: Promise<{ n: number }[]>) => (await q)[0]?.n ?? 0;
    const n = sql<number>`count(*)::int`;
    const [groups, followers, alerts] = await Promise.all([
      one(db.select({ n }).from(alertGroups).where(eq(alertGroups.projectId, projectId))),
      one(db.select({ n }).from(alertFollowers).where(eq(alertFollowers.projectId, projectId))),
      one(db.select({ n }).from(receivedAlerts).where(eq(receivedAlerts.projectId, projectId))),
    ]);
    return { groups, followers, alerts };
  }
}
