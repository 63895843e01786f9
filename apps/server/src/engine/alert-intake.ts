import type { AlertSourceName, AlertSourceView, ReceivedAlert } from "@aegis/contracts";
import { newSecret, secretHash } from "../accounts/secret-hash.js";
import type { JournaledIngest } from "../ingest/journaled-ingest.js";
import type { SealedSecrets } from "../ingest/sealed-secret.js";
import type { SourceNotification } from "../ingest/source-notifications.js";
import type { Principal } from "../ports/identity.js";
import { ConflictError, UnavailableError } from "../shared/errors.js";
import type { Logger } from "../shared/logger.js";
import type { AlertFilter, AlertSourceRow, AlertStore } from "../store/alert-store.js";
import type { Database } from "../store/database.js";
import { toRow } from "./alert-grouping.js";
import type { IncidentResource } from "./incident-resource.js";

const SOURCE_NAMES: Record<AlertSourceName, string> = {
  alertmanager: "Prometheus Alertmanager",
  grafana: "Grafana alerting",
  pagerduty: "PagerDuty",
};

/** What a delivery did: the incident it opened or joined, and the lifecycle moves it made. */
export interface IntakeResult {
  incident_id: string | null;
  created: boolean;
  resolved: string | null;
  acknowledged: string | null;
  alerts: number;
}

/**
 * Alerts in from the sources: a notification's incident goes through the durable journal (grouping
 * happens when it is loaded), its resolution or acknowledgement moves the open group's lifecycle,
 * attributed to the source. Also each project's intake tokens and PagerDuty signing secret.
 */
export class AlertIntake {
  private accepting = true;

  constructor(
    private readonly database: Database,
    private readonly store: AlertStore,
    private readonly ingest: Pick<JournaledIngest, "submit" | "settled">,
    private readonly resource: Pick<IncidentResource, "changeState">,
    private readonly secrets: SealedSecrets,
    private readonly logger: Logger,
  ) {}

  close(): void {
    this.accepting = false;
  }

  async receive(
    projectId: string,
    source: AlertSourceName,
    n: SourceNotification,
    eventType: string | null = null,
  ): Promise<IntakeResult> {
    if (!this.accepting) throw new UnavailableError("server is shutting down; retry against another instance");
    const result: IntakeResult = {
      incident_id: n.incident?.id ?? null,
      created: false,
      resolved: null,
      acknowledged: null,
      alerts: (n.incident?.alerts?.length ?? 0) + n.records.length,
    };
    if (n.incident) result.created = await this.ingest.submit(n.incident);
    const fingerprint = n.resolve ?? n.acknowledge ?? n.records[0]?.fingerprint ?? null;
    if (n.records.length > 0 || n.resolve || n.acknowledge) {
      // A resolution may follow its firing notification by milliseconds: let the loader finish first.
      // Bounded: a database that refuses the load must not hold the source's request forever.
      await Promise.race([this.ingest.settled(), new Promise((r) => setTimeout(r, 5000).unref())]);
      const leader = fingerprint ? await this.store.openLeader(this.database.db, projectId, fingerprint) : null;
      const now = new Date();
      await this.store.recordAlerts(
        this.database.db,
        n.records.map((r) => ({ ...toRow(projectId, r, now), incidentId: leader, groupedInto: leader })),
      );
      if (leader && (n.resolve || n.acknowledge)) {
        const to = n.resolve ? "resolved" : "acknowledged";
        const moved = await this.move(projectId, source, leader, to, n.actor);
        if (moved && n.resolve) result.resolved = leader;
        if (moved && n.acknowledge) result.acknowledged = leader;
        result.incident_id ??= leader;
      }
    }
    await this.store.noteDelivery(this.database.db, projectId, source, { ok: true, eventType });
    return result;
  }

  /** A refused delivery (bad token or signature, bad body) is counted on the source's status. */
  async refused(projectId: string, source: AlertSourceName, error: string): Promise<void> {
    await this.store.noteDelivery(this.database.db, projectId, source, { ok: false, error });
  }

  /** The project an intake token belongs to, or null. */
  async projectOfToken(source: AlertSourceName, token: string): Promise<string | null> {
    const row = await this.store.sourceByToken(this.database.db, source, secretHash(token));
    return row?.projectId ?? null;
  }

  /** The PagerDuty signing secret in clear, or null when none is configured. */
  async signingSecret(projectId: string, source: AlertSourceName): Promise<string | null> {
    const row = await this.store.source(this.database.db, projectId, source);
    if (!row?.signingSecret) return null;
    const plain = this.secrets.open(row.signingSecret);
    if (plain === null)
      this.logger.error({ projectId, source }, "stored signing secret cannot be opened (server secret changed?)");
    return plain;
  }

  /** Issue (or rotate) the intake token and set the signing secret; the token is returned this once. */
  async configure(
    projectId: string,
    source: AlertSourceName,
    body: { signing_secret?: string | undefined; rotate_token?: boolean | undefined },
  ): Promise<AlertSourceView> {
    const current = await this.store.source(this.database.db, projectId, source);
    const rotate = body.rotate_token ?? !current?.tokenHash;
    const token = rotate ? newSecret(`aegis_${source.slice(0, 2)}_`) : null;
    await this.store.upsertSource(this.database.db, projectId, source, {
      ...(token ? { tokenHash: secretHash(token), tokenPrefix: token.slice(0, 12) } : {}),
      ...(body.signing_secret ? { signingSecret: this.secrets.seal(body.signing_secret) } : {}),
    });
    const row = await this.store.source(this.database.db, projectId, source);
    return viewOf(source, row, token);
  }

  async sources(projectId: string): Promise<AlertSourceView[]> {
    const rows = new Map((await this.store.sources(this.database.db, projectId)).map((r) => [r.source, r]));
    return (Object.keys(SOURCE_NAMES) as AlertSourceName[]).map((s) => viewOf(s, rows.get(s), null));
  }

  async source(projectId: string, source: AlertSourceName): Promise<AlertSourceView> {
    return viewOf(source, await this.store.source(this.database.db, projectId, source), null);
  }

  async alerts(projectId: string, f: AlertFilter, skip: number, limit: number) {
    const { rows, total } = await this.store.listAlerts(this.database.db, projectId, f, limit, skip);
    const items: ReceivedAlert[] = rows.map((r) => ({
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
      starts_at: r.startsAt?.toISOString() ?? null,
      ends_at: r.endsAt?.toISOString() ?? null,
      received_at: r.receivedAt.toISOString(),
      incident_id: r.incidentId,
      grouped_into: r.groupedInto,
      suppressed_by: r.suppressedBy,
      generator_url: r.generatorUrl,
    }));
    return { items, total, skip, limit };
  }

  /** Move the group leader's lifecycle as the source; already there (or past it) is not an error. */
  private async move(
    projectId: string,
    source: AlertSourceName,
    leader: string,
    to: "resolved" | "acknowledged",
    actor: string | null,
  ): Promise<boolean> {
    const by: Principal = {
      kind: "api_key",
      id: `alert-source:${source}`,
      displayName: SOURCE_NAMES[source],
      role: "member",
    };
    const note = `${to === "resolved" ? "resolved" : "acknowledged"} at the source${actor ? ` by ${actor}` : ""}`;
    try {
      await this.resource.changeState(projectId, by, leader, to, note);
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }
}

function viewOf(source: AlertSourceName, row: AlertSourceRow | undefined, token: string | null): AlertSourceView {
  const configured = Boolean(row?.tokenHash);
  const path = `/api/v1/alert-sources/${source}/`;
  return {
    source,
    configured,
    url: token ? `${path}${token}` : configured ? `${path}${row?.tokenPrefix ?? ""}…` : null,
    token,
    signing_secret_configured: Boolean(row?.signingSecret),
    received: row?.received ?? 0,
    rejected: row?.rejected ?? 0,
    last_received_at: row?.lastReceivedAt?.toISOString() ?? null,
    last_event_type: row?.lastEventType ?? null,
    last_error: row?.lastError ?? null,
  };
}
