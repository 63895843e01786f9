import type { EscalationStatus, NotificationEvent } from "@aegis/contracts";
import type { ScheduleService } from "../oncall/schedule-service.js";
import type { Notifier, PageDelivery, PageMessage, PageTarget } from "../ports/notifier.js";
import type { SilenceChecker } from "../ports/silences.js";
import type { Logger } from "../shared/logger.js";
import type { Database, Db } from "../store/database.js";
import type { EscalationPatch, EscalationRow, EscalationStore, NewEscalation } from "../store/escalation-store.js";
import type { IncidentRow, IncidentStore } from "../store/incident-store.js";
import type { OnCallStore } from "../store/oncall-store.js";
import type { PolicySnapshot } from "../store/schema-oncall.js";
import { referenceOf } from "./incident-view.js";
import { render } from "./page-templates.js";
import type { IncidentRecorder } from "./recorder.js";

/** Where pages about a project's incidents also go, and where they link to (the project's settings). */
export interface PageRouting {
  channelsFor(projectId: string, event: NotificationEvent): Promise<string[]>;
  publicUrl(projectId: string): Promise<string | null>;
}

export interface EscalationDeps {
  database: Database;
  store: EscalationStore;
  oncall: Pick<OnCallStore, "policiesOf">;
  schedules: Pick<ScheduleService, "onCallAt">;
  incidents: Pick<IncidentStore, "getRow">;
  recorder: Pick<IncidentRecorder, "paged">;
  notifier: Notifier;
  /** Silences and maintenance windows; absent, nothing is suppressed. */
  silences?: SilenceChecker | undefined;
  routing?: PageRouting | undefined;
  logger: Logger;
  /** Injectable so tests move time instead of waiting for it. */
  clock?: () => Date;
  /**
   * Whether this process starts the escalations of new incidents. Several processes on one database: only
   * the leader does (they would all read every new incident and insert the same rows); each still pages
   * the due escalations it claims. Absent: always.
   */
  leads?: () => boolean;
}

export interface EscalationOptions {
  /** How often the sweep runs. */
  sweepMs: number;
  /** How long a claimed escalation stays away from other servers while it pages. */
  leaseMs: number;
  /** Incidents opened longer ago than this never start an escalation (no pages for old incidents at upgrade). */
  lookbackMs: number;
  /** Due escalations handled per sweep step. */
  batch: number;
  /**
   * New incidents whose escalation a sweep starts (one read, one insert: no page is sent yet). Above a
   * storm's arrival rate, or the backlog of unstarted ones grows and every sweep reads all of it.
   */
  startBatch: number;
  /**
   * A sweep after the first reads incidents created since the previous complete read, less this much:
   * an incident carries its transaction's start time, so one whose transaction was still open during
   * that read is older than the read when it becomes visible.
   */
  overlapMs: number;
  /** At least this often a sweep reads the whole look-back again, for any incident whose transaction stayed open longer than the overlap. */
  fullSweepMs: number;
}

/** Escalations paged concurrently within one sweep. */
const PARALLEL_STEPS = 8;

export const DEFAULT_ESCALATION_OPTIONS: EscalationOptions = {
  sweepMs: 5000,
  // Longer than a notifier's retries with backoff take, so no other server pages the same level meanwhile.
  leaseMs: 5 * 60_000,
  lookbackMs: 3_600_000,
  batch: 100,
  startBatch: 1000,
  overlapMs: 2_000,
  fullSweepMs: 60_000,
};

/** Incident statuses at which automation has handed the incident to a person. */
const NEEDS_HUMAN = new Set(["AWAITING_APPROVAL", "FAILED"]);

/**
 * Pages people until someone acknowledges. Each incident's escalation is a row (level, round, next
 * due time); a sweep starts escalations for new incidents, claims due rows (FOR UPDATE SKIP LOCKED,
 * leased), and pages the next level, its timeline entry and the row's new state committed together.
 * Acknowledging or resolving the incident (the human lifecycle leaving `detected`), or the automation
 * resolving it, stops it at its next due time, before any further page. The state lives in the
 * database, so a restart continues where the last server stopped.
 */
export class EscalationEngine {
  private timer: NodeJS.Timeout | null = null;
  private waking: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  private readonly clock: () => Date;
  /** Database time from which the next sweep reads: every incident visible before it was read. Null: read the whole look-back. */
  private readFrom: number | null = null;
  /** When (this clock) a sweep last read the whole look-back. */
  private fullReadAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly d: EscalationDeps,
    private readonly o: EscalationOptions = DEFAULT_ESCALATION_OPTIONS,
  ) {
    this.clock = d.clock ?? (() => new Date());
  }

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.o.sweepMs);
    this.timer.unref();
    void this.sweep();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.waking) clearTimeout(this.waking);
    this.timer = null;
    this.waking = null;
    await this.sweeping;
  }

  /**
   * Something happened (an incident opened, a decision is awaited): sweep in a moment rather than at
   * the next tick. Wakes within 250 ms share one sweep, so an alert storm does not become a sweep storm.
   */
  wake(): void {
    if (!this.timer || this.waking) return;
    this.waking = setTimeout(() => {
      this.waking = null;
      void this.sweep();
    }, 250);
    this.waking.unref();
  }

  /** Start new escalations and act on every due one; returns how many escalations acted. Never throws. */
  sweep(): Promise<number> {
    this.sweeping ??= this.run().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  async status(projectId: string, incidentId: string): Promise<EscalationStatus | null> {
    const row = await this.d.store.get(this.d.database.db, projectId, incidentId);
    return row ? statusOf(row) : null;
  }

  private async run(): Promise<number> {
    let acted = 0;
    try {
      const now = this.clock();
      if (this.d.leads?.() ?? true) await this.startNew(now);
      const due = await this.d.store.claimDue(
        this.d.database.db,
        now,
        new Date(now.getTime() + this.o.leaseMs),
        this.o.batch,
      );
      // A few at a time: one slow channel (retrying with backoff) must not hold up every other incident's page.
      for (let i = 0; i < due.length; i += PARALLEL_STEPS) {
        const results = await Promise.all(
          due.slice(i, i + PARALLEL_STEPS).map((row) =>
            this.step(row, now).catch((err) => {
              // Its lease expires and the next sweep after it tries again.
              this.d.logger.warn(
                { err, incident_id: row.incidentId },
                "escalation step failed; retrying after its lease",
              );
              return false;
            }),
          ),
        );
        acted += results.filter(Boolean).length;
      }
    } catch (err) {
      this.d.logger.warn({ err }, "escalation sweep failed; retrying at the next sweep");
    }
    return acted;
  }

  /**
   * Start escalations for the incidents that have none. A storm keeps thousands of open incidents in the
   * look-back, all escalated already: reading only what appeared since the last complete read keeps a
   * sweep's cost to the new incidents instead of every one of the last hour (ADR 0025, eleventh round).
   */
  private async startNew(now: Date): Promise<void> {
    const db = this.d.database.db;
    const lookbackFrom = now.getTime() - this.o.lookbackMs;
    const from = now.getTime() - this.fullReadAt < this.o.fullSweepMs ? this.readFrom : null;
    const since = from === null ? lookbackFrom : Math.max(lookbackFrom, from);
    const { incidents: fresh, at } = await this.d.store.unescalated(db, new Date(since), this.o.startBatch);
    // Once these have rows, every incident visible at `at` was read, but for a full batch: none of those
    // left is older than its last (oldest first; ties are read again, and have rows by then).
    const horizon = at.getTime() - this.o.overlapMs;
    const last = fresh.length < this.o.startBatch ? undefined : fresh.at(-1);
    const read = () => {
      this.readFrom = last ? Math.min(last.createdAt.getTime(), horizon) : horizon;
      if (from === null) this.fullReadAt = now.getTime();
    };
    if (fresh.length === 0) return read();
    // A storm opens hundreds of incidents a sweep: their policies in one read, their rows in one insert.
    const policyOf = await this.d.oncall.policiesOf(db, [...new Set(fresh.map((i) => i.projectId))]);
    const rows = fresh.map((i): NewEscalation => {
      const policy = policyOf(i.projectId, i.service);
      if (!policy) return { projectId: i.projectId, incidentId: i.incidentId, state: "no_policy" };
      const snapshot: PolicySnapshot = {
        id: policy.id,
        name: policy.name,
        trigger: policy.trigger,
        repeat: policy.repeat,
        levels: policy.levels,
      };
      return {
        projectId: i.projectId,
        incidentId: i.incidentId,
        policyId: policy.id,
        policy: snapshot,
        state: policy.trigger === "needs_human" ? "waiting" : "active",
        nextAt: now,
      };
    });
    await this.d.store.insertMany(db, rows);
    read();
  }

  /** One due escalation: stop it, keep waiting, or page its next level. True when it paged or ended. */
  private async step(row: EscalationRow, now: Date): Promise<boolean> {
    const { projectId, incidentId } = row;
    const policy = row.policy;
    const incident = await this.d.incidents.getRow(this.d.database.db, projectId, incidentId);
    if (!incident || !policy) {
      await this.d.store.update(this.d.database.db, projectId, incidentId, {
        state: "stopped",
        nextAt: null,
        stopReason: incident ? "no policy" : "incident not found",
      });
      return true;
    }
    const stopReason =
      incident.lifecycle !== "detected"
        ? `the incident was ${incident.lifecycle}`
        : incident.status === "RESOLVED"
          ? "the automation resolved the incident"
          : null;
    if (stopReason) {
      const patch: EscalationPatch = { state: "stopped", nextAt: null, stopReason };
      // Nobody was paged (a needs-human policy the automation never needed): nothing to tell the timeline.
      if (row.pagesSent === 0 && row.level === 0)
        await this.d.store.update(this.d.database.db, projectId, incidentId, patch);
      else await this.commit(row, `Escalation stopped: ${stopReason}; no further pages.`, patch);
      return true;
    }
    if (row.state === "waiting" && !NEEDS_HUMAN.has(incident.status)) {
      await this.d.store.update(this.d.database.db, projectId, incidentId, {
        nextAt: new Date(now.getTime() + this.o.sweepMs),
      });
      return false;
    }

    const suppression = await this.d.silences?.suppression(projectId, {
      service: incident.service ?? incident.containerName ?? undefined,
      labels: labelsOf(incident),
      at: now,
    });
    if (suppression) {
      await this.commit(
        row,
        `Paging suppressed by ${suppression.kind} ${suppression.id} (${suppression.reason}, until ${suppression.endsAt}); nobody was paged.`,
        { state: "suppressed", nextAt: null, stopReason: `${suppression.kind} ${suppression.id}` },
      );
      return true;
    }

    let index = row.level;
    let round = row.round;
    if (index >= policy.levels.length) {
      if (round >= policy.repeat) {
        const rounds = policy.repeat + 1;
        const levels = policy.levels.length;
        await this.commit(
          row,
          `Escalation exhausted: nobody acknowledged after ${levels} level${levels === 1 ? "" : "s"} × ${rounds} round${rounds === 1 ? "" : "s"} of policy ${policy.name}.`,
          { state: "exhausted", nextAt: null, stopReason: "nobody acknowledged" },
        );
        return true;
      }
      index = 0;
      round++;
    }
    await this.page(row, incident, policy, index, round, now);
    return true;
  }

  private async page(
    row: EscalationRow,
    incident: IncidentRow,
    policy: PolicySnapshot,
    index: number,
    round: number,
    now: Date,
  ): Promise<void> {
    const { projectId } = row;
    const level = policy.levels[index] as PolicySnapshot["levels"][number];
    const approval = incident.status === "AWAITING_APPROVAL";
    const notes: string[] = [];
    const targets: PageTarget[] = [];
    for (const t of level.targets) {
      if (t.type === "user") targets.push({ kind: "user", userId: t.id });
      else if (t.type === "channel") targets.push({ kind: "channel", channel: t.id });
      else {
        try {
          const who = await this.d.schedules.onCallAt(projectId, t.id, now);
          if (who.user) targets.push({ kind: "user", userId: who.user });
          else notes.push(`schedule ${who.schedule_name} has nobody on call`);
        } catch {
          notes.push(`schedule ${t.id} no longer exists`);
        }
      }
    }
    // The channels the project routes this event to hear of the first page of an escalation.
    if (index === 0 && round === 0 && this.d.routing) {
      const event = approval ? "approval_requested" : "escalation_page";
      for (const channel of await this.d.routing.channelsFor(projectId, event)) {
        if (!targets.some((t) => t.kind === "channel" && t.channel === channel)) {
          targets.push({ kind: "channel", channel });
        }
      }
    }
    const message = await this.messageOf(incident, policy, index + 1, approval);
    const deliveries = targets.length > 0 ? await this.deliver(projectId, targets, message, now) : [];
    const last = index + 1 >= policy.levels.length && round >= policy.repeat;
    const what = deliveries.length > 0 ? deliveries.map(describe).join("; ") : "nobody to page";
    const then = last
      ? `If nobody acknowledges within ${level.delay_minutes} min the escalation ends.`
      : `Next level in ${level.delay_minutes} min unless acknowledged.`;
    const kind = approval ? "approval request" : "page";
    const roundText = policy.repeat > 0 ? `, round ${round + 1} of ${policy.repeat + 1}` : "";
    const noteText = notes.length ? `; ${notes.join("; ")}` : "";
    await this.commit(
      row,
      `Escalation level ${index + 1} of policy ${policy.name}${roundText} (${kind}): ${what}${noteText}. ${then}`,
      {
        state: "active",
        level: index + 1,
        round,
        nextAt: new Date(now.getTime() + level.delay_minutes * 60_000),
        pagesSent: row.pagesSent + deliveries.length,
      },
    );
  }

  /** A notifier that throws reached nobody: each target is recorded as a failed delivery with the error. */
  private async deliver(projectId: string, targets: PageTarget[], message: PageMessage, now: Date) {
    try {
      return await this.d.notifier.notify(projectId, targets, message);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      return targets.map(
        (target, i): PageDelivery => ({
          id: `error-${i}`,
          target,
          channel: "unknown",
          status: "failed",
          attempts: 1,
          error,
          at: now.toISOString(),
        }),
      );
    }
  }

  private async messageOf(
    incident: IncidentRow,
    policy: PolicySnapshot,
    level: number,
    approval: boolean,
  ): Promise<PageMessage> {
    const base = (await this.d.routing?.publicUrl(incident.projectId)) ?? null;
    const url = base ? `${base.replace(/\/$/, "")}/incidents/${incident.id}` : `/api/v1/incidents/${incident.id}`;
    const action = incident.analysis?.action ?? "the proposed action";
    const target = incident.containerName ?? incident.service ?? "its service";
    const vars = {
      reference: referenceOf(incident),
      title: incident.title ?? incident.alertType,
      service: incident.service ?? incident.containerName ?? "unknown service",
      severity: incident.severity ?? "UNKNOWN",
      status: incident.status,
      level,
      policy: policy.name,
      action,
      target,
      reason: incident.councilDecision?.summary ?? "awaiting human review",
      url,
    };
    const text = render(approval ? "approval_requested" : "escalation_page", vars);
    return {
      kind: approval ? "approval_request" : "trigger",
      incidentId: incident.id,
      title: text.title,
      body: text.body,
      severity: severityOf(incident.severity),
      dedupKey: incident.id,
      url,
      level,
      ...(approval ? { approval: { action, target, reason: vars.reason } } : {}),
    };
  }

  private commit(row: EscalationRow, message: string, patch: EscalationPatch): Promise<void> {
    return this.d.recorder.paged(row.projectId, row.incidentId, message, (tx: Db) =>
      this.d.store.update(tx, row.projectId, row.incidentId, patch),
    );
  }
}

function describe(d: PageDelivery): string {
  const who = d.target.kind === "user" ? d.target.userId : `channel ${d.target.channel}`;
  return `${who} via ${d.channel}: ${d.status}${d.error ? ` (${d.error})` : ""}`;
}

function labelsOf(i: IncidentRow): Record<string, string> {
  const labels: Record<string, string> = { alertname: i.alertType };
  const service = i.service ?? i.containerName;
  if (service) labels.service = service;
  if (i.severity) labels.severity = i.severity;
  return labels;
}

function severityOf(s: string | null): PageMessage["severity"] {
  switch ((s ?? "").toUpperCase()) {
    case "CRITICAL":
      return "critical";
    case "HIGH":
    case "WARNING":
      return "high";
    case "MEDIUM":
      return "medium";
    case "LOW":
    case "INFO":
      return "low";
    default:
      return undefined;
  }
}

export function statusOf(row: EscalationRow): EscalationStatus {
  return {
    incident_id: row.incidentId,
    policy_id: row.policyId,
    state: row.state as EscalationStatus["state"],
    level: row.level,
    round: row.round,
    next_at: row.nextAt ? row.nextAt.toISOString() : null,
    pages_sent: row.pagesSent,
    stop_reason: row.stopReason,
    updated_at: row.updatedAt.toISOString(),
  };
}
