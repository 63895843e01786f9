import type { IncidentPayload, IncidentResult, IncidentStatus } from "@aegis/contracts";
import type { JournaledIngest } from "../ingest/journaled-ingest.js";
import { ConflictError, NotFoundError, UnavailableError } from "../shared/errors.js";
import type { AlertStore } from "../store/alert-store.js";
import type { Database, Db } from "../store/database.js";
import type { IncidentPatch, IncidentStore, NewIncident } from "../store/incident-store.js";
import type { JobQueue } from "../store/job-queue.js";
import type { Change, IncidentRecorder } from "./recorder.js";
import { HUMAN_AGENT, humanDecisionMessage } from "./seed000-wire.js";

/** The incident use cases the API serves: receive, read, and a human's approve/reject. */
export class IncidentService {
  private accepting = true;

  constructor(
    private readonly database: Database,
    private readonly incidents: IncidentStore,
    private readonly jobs: JobQueue,
    private readonly recorder: IncidentRecorder,
    private readonly ingest: JournaledIngest,
    /** Called once an incident opened through /api/v1 is stored with its queued job: wake the workers. */
    private readonly onOpened: () => void = () => {},
    /** Alert grouping: an incident that joined another shows that incident's status. */
    private readonly groups?: Pick<AlertStore, "followerStates">,
  ) {}

  /** An alert storm is being ingested: pipelines should leave the database to ingest for now. */
  ingestActive(): boolean {
    return this.ingest.activeWithin(250);
  }

  /** Stop taking new incidents (shutdown). */
  close(): void {
    this.accepting = false;
  }

  /** Durably record an incident. A repeated id returns the existing incident and starts nothing. */
  async receive(projectId: string, p: IncidentPayload): Promise<{ created: boolean; incident: IncidentResult }> {
    if (!this.accepting) throw new UnavailableError("server is shutting down; retry against another instance");
    const now = new Date();
    const item: NewIncident = {
      projectId,
      id: p.incident_id,
      alertType: p.alert_type,
      logs: p.logs,
      containerName: p.container_name ?? null,
      severity: p.severity ?? null,
      alertTimestamp: p.timestamp ?? null,
      context: p.context ?? null,
      dryRun: p.dry_run ?? false,
    };
    const created = await this.ingest.submit(item);
    if (created) return { created, incident: receivedResult(item, now) };
    return { created, incident: await this.get(projectId, p.incident_id) };
  }

  /**
   * A person opens an incident (/api/v1): stored directly rather than through the webhook journal,
   * so the answer can carry its `INC-<n>` reference; its id is fresh, so no duplicate check is needed.
   */
  async open(item: NewIncident): Promise<void> {
    if (!this.accepting) throw new UnavailableError("server is shutting down; retry against another instance");
    await this.incidents.createBatch(this.database.db, [item]);
    this.recorder.received([item]);
    this.onOpened();
  }

  /**
   * Open an incident whose proposal is already made (a person asked for an action, seed 003 `POST
   * …/actions`): stored with its analysis in the transaction that queues its job, so the pipeline skips
   * diagnosis and puts the proposal before the council like any other.
   */
  async openProposed(
    item: NewIncident,
    proposal: Pick<IncidentPatch, "analysis" | "category" | "provider" | "evidence">,
  ) {
    if (!this.accepting) throw new UnavailableError("server is shutting down; retry against another instance");
    await this.database.db.transaction(async (tx) => {
      await this.incidents.createBatch(tx, [item]);
      await this.incidents.update(tx, item.projectId, item.id, proposal);
    });
    this.recorder.received([item]);
    this.onOpened();
  }

  async get(projectId: string, id: string): Promise<IncidentResult> {
    const found = await this.incidents.get(this.database.db, projectId, id);
    if (found) return (await this.followingLeaders(projectId, [found]))[0] ?? found;
    // Accepted a moment ago and still on its way from the journal to the database.
    const journaled = this.ingest.journaled(projectId, id);
    if (journaled) return receivedResult(journaled.item, journaled.receivedAt);
    throw new NotFoundError(`incident ${id} not found`);
  }

  async list(
    projectId: string,
    opts: { limit: number; offset: number; status?: IncidentStatus | readonly IncidentStatus[] | undefined },
  ) {
    return this.followingLeaders(projectId, await this.incidents.list(this.database.db, projectId, opts));
  }

  /** A grouped incident follows its leader: the leader's status, and which incident it joined. */
  private async followingLeaders(projectId: string, list: IncidentResult[]): Promise<IncidentResult[]> {
    if (!this.groups || list.length === 0) return list;
    const states = await this.groups.followerStates(
      this.database.db,
      projectId,
      list.map((i) => i.incident_id),
    );
    if (states.size === 0) return list;
    return list.map((i) => {
      const s = states.get(i.incident_id);
      if (!s) return i;
      return {
        ...i,
        status: s.status as IncidentStatus,
        resolved_at: s.resolvedAt ? s.resolvedAt.toISOString() : null,
        error: s.error,
        // The leader's diagnosis and decision are this alert's too: it is one problem.
        analysis: s.analysis,
        council_decision: s.councilDecision,
        grouped_into: s.leaderId,
      };
    });
  }

  /** A human approves a proposal the council sent for review; the pipeline continues. */
  async approve(projectId: string, idOrRef: string, by: string, note?: string): Promise<IncidentResult> {
    const id = await this.idOf(projectId, idOrRef);
    await this.decide(projectId, id, {
      steps: [
        { status: "HUMAN_DECISION", message: humanDecisionMessage("Approved", by, note), agent: HUMAN_AGENT },
        { status: "APPROVED", message: "Human reviewer approved the action." },
      ],
      // Durable mark of a human decision: execution honours it even past the restart budget.
      patch: { status: "APPROVED", approvedBy: by },
    });
    return this.get(projectId, id);
  }

  /** A human rejects it: the incident ends FAILED with the reason. */
  async reject(projectId: string, idOrRef: string, by: string, note?: string): Promise<IncidentResult> {
    const id = await this.idOf(projectId, idOrRef);
    const error = humanDecisionMessage("Rejected", by, note);
    await this.decide(projectId, id, {
      steps: [
        { status: "HUMAN_DECISION", message: error, agent: HUMAN_AGENT },
        { status: "FAILED", message: error },
      ],
      patch: { status: "FAILED", error },
    });
    return this.get(projectId, id);
  }

  /** The incident's own id for an id or an `INC-<n>` reference; an unknown one is left as is (a 404 follows). */
  private async idOf(projectId: string, idOrRef: string): Promise<string> {
    const id = (await this.incidents.resolveRow(this.database.db, projectId, idOrRef))?.id ?? idOrRef;
    // A decision on a grouped alert is a decision on the incident it joined.
    const leader = (await this.groups?.followerStates(this.database.db, projectId, [id]))?.get(id)?.leaderId;
    return leader ?? id;
  }

  /** Records a decision on an incident awaiting one, and hands its job back to the pipeline, atomically. */
  private async decide(projectId: string, id: string, change: Change): Promise<void> {
    await this.recorder.commitWith(projectId, id, async (tx) => {
      const row = await this.incidents.lockRow(tx, projectId, id);
      if (!row) throw new NotFoundError(`incident ${id} not found`);
      if (row.status !== "AWAITING_APPROVAL") {
        throw new ConflictError(`incident ${id} is ${row.status}, not AWAITING_APPROVAL`);
      }
      const resume = async (t: Db) => {
        await this.jobs.resume(t, projectId, id);
      };
      return { change: { ...change, extra: resume }, result: undefined };
    });
  }
}

/** The seed's immediate webhook answer: the incident as just received. */
function receivedResult(item: NewIncident, at: Date): IncidentResult {
  return {
    incident_id: item.id,
    alert_type: item.alertType,
    status: "RECEIVED",
    analysis: null,
    council_decision: null,
    resolved_at: null,
    error: null,
    replicas_spawned: 0,
    timeline: [{ ts: at.toISOString(), status: "RECEIVED", message: "Incident received via webhook.", agent: null }],
    container_name: item.containerName,
    severity: item.severity,
    dry_run: item.dryRun,
    created_at: at.toISOString(),
  };
}
