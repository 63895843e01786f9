import { webhookFingerprint } from "../ingest/alert-fingerprint.js";
import type { AlertIncident, AlertRecord } from "../ingest/alert-item.js";
import { matchesAll } from "../ingest/silence-matcher.js";
import type { AlertStore, Follower, GroupState, NewReceivedAlert, SilenceRow } from "../store/alert-store.js";
import type { Db } from "../store/database.js";
import type { IncidentStore, NewIncident } from "../store/incident-store.js";
import { settled } from "../store/settled.js";
import type { IncidentRecorder, Step } from "./recorder.js";

/** Lifecycle states in which an incident still takes alerts. */
const OPEN_LIFECYCLE = new Set(["detected", "acknowledged", "investigating", "mitigated"]);
export const GROUPING_AGENT = "ALERT_GROUPING";

export interface AlertGroupingOptions {
  /**
   * After its automation gave up (FAILED), a group keeps taking the same alerts while they keep coming
   * less than this apart: a storm does not start a council review per alert.
   */
  windowMs: number;
}

const key = (projectId: string, id: string) => `${projectId}\u0000${id}`;

/** The grouping key of an incident: its source's, else service + signature (seed-000 webhooks). */
export function fingerprintOf(i: AlertIncident): string {
  return (
    i.fingerprint ??
    webhookFingerprint(i.containerName ?? i.context?.service ?? i.service ?? null, i.alertType, i.dryRun)
  );
}

/** Labels silences match: the source's labels, plus `alertname`, `service`, `severity`, `container`. */
export function labelsOf(i: AlertIncident): Record<string, string> {
  const first = i.alerts?.find((a) => a.status === "firing") ?? i.alerts?.[0];
  const service = i.service ?? i.context?.service ?? i.containerName ?? null;
  return {
    ...(first?.labels ?? {}),
    alertname: first?.labels.alertname ?? i.alertType,
    ...(service ? { service } : {}),
    ...(i.containerName ? { container: i.containerName } : {}),
    ...(i.severity && !first?.labels.severity ? { severity: i.severity } : {}),
  };
}

/** The first silence or maintenance window of the project that matches (maintenance windows first). */
export function suppressing(active: readonly SilenceRow[], projectId: string, labels: Record<string, string>) {
  const mine = active.filter((s) => s.projectId === projectId && matchesAll(s.matchers, labels));
  return mine.find((s) => s.kind === "maintenance") ?? mine[0] ?? null;
}

/**
 * Whether a group still takes alerts: its leader's lifecycle is open and its automation is still at
 * work (analysing, in council, awaiting a human, executing, verifying). A fix that RESOLVED it closes
 * the group: the same alert again is a recurrence, a new incident (marked REOPENED by the pipeline).
 * A decided dry run closes it too. A leader whose automation gave up (FAILED) keeps taking the same alerts while
 * they keep coming less than `windowMs` apart, so a storm does not restart a council per alert.
 */
export function isOpen(
  g: Pick<GroupState, "leaderStatus" | "leaderLifecycle" | "leaderDryRun" | "lastSeenAt">,
  now: Date,
  windowMs: number,
): boolean {
  if (!OPEN_LIFECYCLE.has(g.leaderLifecycle)) return false;
  if (g.leaderStatus === "RESOLVED") return false;
  // A dry run is a rehearsal: once decided, the next one rehearses again.
  if (g.leaderDryRun && (g.leaderStatus === "APPROVED" || g.leaderStatus === "FAILED")) return false;
  return g.leaderStatus !== "FAILED" || now.getTime() - g.lastSeenAt.getTime() < windowMs;
}

/**
 * Loads accepted incidents (the journaled ingest's batch store) with grouping: an incident whose
 * fingerprint matches an open group joins its leader (no pipeline job, a timeline entry on both, the
 * group's count and last-seen time) instead of running a pipeline of its own. Decisions are made in
 * the load's transaction under per-fingerprint locks, so a replay after a crash, or two nodes, decide
 * the same way and exactly once. Silences and maintenance windows are noted, never dropped.
 */
export class AlertGrouper {
  constructor(
    private readonly incidents: IncidentStore,
    private readonly alerts: AlertStore,
    private readonly recorder: IncidentRecorder,
    private readonly opts: AlertGroupingOptions,
  ) {}

  readonly store = async (db: Db, items: NewIncident[], now = new Date()): Promise<Set<string>> => {
    const announce: (() => void)[] = [];
    const created = await db.transaction(async (tx) => {
      const all = items as AlertIncident[];
      const fps = new Map(all.map((i) => [key(i.projectId, i.id), fingerprintOf(i)]));
      const fpOf = (i: AlertIncident) => fps.get(key(i.projectId, i.id)) as string;
      // A dry run never joins nor gathers a group (below), so it needs no group read and no lock: a storm of
      // dry runs sharing a fingerprint would otherwise serialise every batch, on every node, on one lock.
      const groupKeys = [...new Map(all.filter((i) => !i.dryRun).map((i) => [key(i.projectId, fpOf(i)), i])).entries()];
      // The reads go out together and run in this order (one round trip on PostgreSQL's pipelined
      // connection): the fingerprints' locks first, so the group states and existing ids read after them
      // include whatever another node decided under the same locks. Text parameters cannot hold NUL: the
      // lock key uses a printable separator.
      const [, states, existing, active] = await settled([
        this.alerts.lockFingerprints(
          tx,
          groupKeys.map(([, i]) => `${i.projectId}|${fpOf(i)}`),
        ),
        this.alerts.openGroups(
          tx,
          groupKeys.map(([k, i]) => ({ projectId: i.projectId, fingerprint: k.slice(i.projectId.length + 1) })),
        ),
        this.incidents.existingKeys(tx, all),
        this.alerts.activeSilences(tx, [...new Set(all.map((i) => i.projectId))], now),
      ]);
      const fresh = firstOccurrences(all, existing);
      if (fresh.length === 0) return new Set<string>();
      // Only the groups of alerts not stored yet are decided on (the reads above also covered replays).
      const freshGroups = new Set(fresh.map((i) => key(i.projectId, fpOf(i))));
      const open = new Map<string, { leaderId: string; count: number }>();
      const stale: GroupState[] = [];
      for (const g of states.sort((a, b) => a.lastSeenAt.getTime() - b.lastSeenAt.getTime())) {
        if (!freshGroups.has(key(g.projectId, g.fingerprint))) continue;
        if (isOpen(g, now, this.opts.windowMs))
          open.set(key(g.projectId, g.fingerprint), { leaderId: g.leaderId, count: g.alertCount });
        else stale.push(g);
      }

      const leaders: AlertIncident[] = [];
      const followers: Follower[] = [];
      const newGroups: { projectId: string; leaderId: string; fingerprint: string }[] = [];
      const bumps = new Map<string, { projectId: string; leaderId: string; n: number }>();
      const suppressedCounts = new Map<string, { projectId: string; id: string; n: number }>();
      const records: NewReceivedAlert[] = [];
      const leaderNotes: { item: AlertIncident; step: Step }[] = [];
      for (const item of fresh) {
        const fp = fpOf(item);
        const gk = key(item.projectId, fp);
        const silence = suppressing(active, item.projectId, labelsOf(item));
        const silenced = silence
          ? `Paging suppressed by ${silence.kind === "maintenance" ? `maintenance window ${silence.name ?? silence.id}` : "silence"} ${silence.id} (until ${silence.endsAt.toISOString()}, created by ${silence.createdBy}).`
          : null;
        if (silence) {
          const c = suppressedCounts.get(silence.id) ?? { projectId: silence.projectId, id: silence.id, n: 0 };
          c.n++;
          suppressedCounts.set(silence.id, c);
        }
        // A dry run is a rehearsal of the pipeline: it never joins, nor gathers, a group.
        const group = item.dryRun ? undefined : open.get(gk);
        let leaderId = item.id;
        if (group) {
          group.count++;
          leaderId = group.leaderId;
          followers.push({
            item,
            leaderId,
            ownMessage: `Grouped into incident ${leaderId} (alert ${group.count} of its group, fingerprint ${fp}): this alert follows that incident's status and starts no pipeline of its own.${silenced ? ` ${silenced}` : ""}`,
            leaderMessage: `Alert ${item.id} attached: ${group.count} alerts in this group, last seen ${now.toISOString()}.${silenced ? ` ${silenced}` : ""}`,
          });
          const b = bumps.get(gk) ?? { projectId: item.projectId, leaderId, n: 0 };
          b.n++;
          bumps.set(gk, b);
        } else {
          leaders.push(item);
          if (!item.dryRun) {
            open.set(gk, { leaderId: item.id, count: 1 });
            newGroups.push({ projectId: item.projectId, leaderId: item.id, fingerprint: fp });
          }
          if (silenced)
            leaderNotes.push({ item, step: { status: "RECEIVED", message: silenced, agent: GROUPING_AGENT } });
        }
        for (const r of recordsOf(item, fp)) {
          records.push({
            ...toRow(item.projectId, r, now),
            incidentId: item.id,
            groupedInto: leaderId,
            suppressedBy: silence?.id ?? null,
          });
        }
      }
      // The writes go out together too, and run in the order sent: stale groups close before their
      // successors open, leaders exist before followers, notes and received alerts name them.
      const [, createdLeaders, createdFollowers, , , notes] = await settled([
        this.alerts.closeGroups(tx, stale, now),
        this.incidents.createBatch(tx, leaders, now),
        this.alerts.attach(tx, followers, now),
        this.alerts.createGroups(tx, newGroups, now),
        this.alerts.bumpGroups(tx, bumps, now),
        settled(
          leaderNotes.map((n) => this.recorder.writeWithin(tx, n.item.projectId, n.item.id, { steps: [n.step] })),
        ),
        this.alerts.recordAlerts(tx, records),
        this.alerts.countSuppressed(tx, suppressedCounts),
      ]);
      announce.push(...notes);
      for (const f of followers) {
        if (!createdFollowers.has(key(f.item.projectId, f.item.id))) continue;
        announce.push(() => {
          this.recorder.announceSteps(f.item.projectId, f.item.id, [
            { status: "RECEIVED", message: f.ownMessage, agent: GROUPING_AGENT },
          ]);
          this.recorder.announceSteps(f.item.projectId, f.leaderId, [
            { status: "RECEIVED", message: f.leaderMessage, agent: GROUPING_AGENT },
          ]);
        });
      }
      return new Set([...createdLeaders, ...createdFollowers]);
    });
    for (const a of announce) a();
    return created;
  };
}

/** Items not stored yet (`existing` holds the stored keys), first occurrence of each id. */
function firstOccurrences(items: AlertIncident[], existing: Set<string>): AlertIncident[] {
  const seen = new Set<string>(existing);
  const out: AlertIncident[] = [];
  for (const i of items) {
    const k = key(i.projectId, i.id);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(i);
  }
  return out;
}

/** The alerts an incident carries; a seed-000 webhook is one alert of source `webhook`. */
function recordsOf(i: AlertIncident, fingerprint: string): AlertRecord[] {
  if (i.alerts && i.alerts.length > 0) return i.alerts;
  const service = i.containerName ?? i.context?.service ?? i.service ?? null;
  return [
    {
      id: i.id,
      source: "webhook",
      status: "firing",
      alertname: i.alertType,
      severity: i.severity,
      service,
      description: i.logs.slice(0, 500),
      labels: {
        alertname: i.alertType,
        ...(service ? { service } : {}),
        ...(i.severity ? { severity: i.severity } : {}),
      },
      annotations: {},
      fingerprint,
      startsAt: i.alertTimestamp,
      endsAt: null,
      generatorUrl: null,
    },
  ];
}

export function toRow(projectId: string, r: AlertRecord, now: Date): NewReceivedAlert {
  const date = (s: string | null) => {
    if (!s) return null;
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  return {
    projectId,
    id: r.id,
    source: r.source,
    status: r.status,
    alertname: r.alertname,
    severity: r.severity,
    service: r.service,
    description: r.description,
    labels: r.labels,
    annotations: r.annotations,
    fingerprint: r.fingerprint,
    startsAt: date(r.startsAt),
    endsAt: date(r.endsAt),
    receivedAt: now,
    generatorUrl: r.generatorUrl,
  };
}
