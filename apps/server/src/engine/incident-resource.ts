import { randomUUID } from "node:crypto";
import type {
  CreateIncidentV1,
  IncidentMetricsV1,
  IncidentSummaryV1,
  IncidentV1,
  LifecycleState,
  StateChangedV1,
  TimelineEntry,
  UpdateIncidentV1,
  WorkflowV1,
} from "@aegis/contracts";
import type { Principal } from "../ports/identity.js";
import { ConflictError, NotFoundError } from "../shared/errors.js";
import type { Database, Db } from "../store/database.js";
import type { IncidentFilter, IncidentResourceStore } from "../store/incident-resource-store.js";
import type { IncidentRow, IncidentStore } from "../store/incident-store.js";
import { allowedFrom, milestonesOf } from "./incident-lifecycle.js";
import type { IncidentService } from "./incident-service.js";
import { detailOf, LIFECYCLE_AGENT, lifecycleMessage, referenceOf, summaryOf, workflowOf } from "./incident-view.js";
import type { IncidentRecorder } from "./recorder.js";

const secondsBetween = (from: Date, to: Date | null) => (to ? (to.getTime() - from.getTime()) / 1000 : null);

/**
 * The /api/v1 incident resource (seeds 001, 002, 003) over the incidents seed 000's pipeline runs:
 * ids or `INC-<n>` references, the human lifecycle with attributed transitions, the workflow and the
 * per-incident metrics. Every method takes the caller's project; a foreign id is simply not found.
 */
export class IncidentResource {
  constructor(
    private readonly database: Database,
    private readonly store: IncidentResourceStore,
    private readonly incidents: IncidentStore,
    private readonly recorder: IncidentRecorder,
    private readonly service: Pick<IncidentService, "open">,
  ) {}

  /**
   * A person opens an incident: it enters the same pipeline as a webhook's. Unless the body says
   * `dry_run: false`, the pipeline diagnoses and the council reviews but nothing is executed.
   */
  async create(projectId: string, body: CreateIncidentV1): Promise<IncidentV1> {
    const id = randomUUID();
    const service = body.service_name ?? body.service ?? null;
    await this.service.open({
      projectId,
      id,
      alertType: body.title,
      logs: body.logs ?? body.description ?? body.title,
      containerName: service,
      severity: body.severity,
      alertTimestamp: null,
      context: body.context ?? null,
      dryRun: body.dry_run,
      title: body.title,
      description: body.description ?? null,
      service,
    });
    return this.get(projectId, id);
  }

  async get(projectId: string, idOrRef: string): Promise<IncidentV1> {
    const row = await this.mustResolve(this.database.db, projectId, idOrRef);
    const transitions = await this.store.transitions(this.database.db, projectId, [row.id]);
    return detailOf(row, transitions.get(row.id) ?? []);
  }

  /** The incident's own id, for resources keyed by it (hypotheses). */
  async idOf(projectId: string, idOrRef: string): Promise<string> {
    return (await this.mustResolve(this.database.db, projectId, idOrRef)).id;
  }

  /** A page, newest first, with the total of the filter's matches (seeds 001 and 003). */
  async list(
    projectId: string,
    filter: IncidentFilter,
    limit: number,
    offset: number,
  ): Promise<{ items: IncidentSummaryV1[]; total: number }> {
    const [items, total] = await Promise.all([
      this.page(projectId, filter, limit, offset),
      this.store.count(this.database.db, projectId, filter),
    ]);
    return { items, total };
  }

  /**
   * A page alone (seed 002 answers no total): an index range scan, whereas the count visits every
   * matching row.
   */
  async page(projectId: string, filter: IncidentFilter, limit: number, offset: number): Promise<IncidentSummaryV1[]> {
    const db = this.database.db;
    const rows = await this.store.list(db, projectId, filter, limit, offset);
    const transitions = await this.store.transitions(
      db,
      projectId,
      rows.map((r) => r.id),
    );
    return rows.map((r) => summaryOf(r, transitions.get(r.id) ?? []));
  }

  /** Seed 003 update: descriptive fields (never the pipeline's inputs) and, optionally, the state. */
  async update(projectId: string, by: Principal, idOrRef: string, patch: UpdateIncidentV1): Promise<IncidentV1> {
    const row = await this.mustResolve(this.database.db, projectId, idOrRef);
    const { state, note, service_name, ...fields } = patch;
    const changes = { ...fields, ...(service_name ? { service: service_name } : {}) };
    if (Object.keys(changes).length > 0) await this.store.updateFields(this.database.db, projectId, row.id, changes);
    if (state && state !== row.lifecycle) await this.changeState(projectId, by, row.id, state, note);
    return this.get(projectId, row.id);
  }

  /**
   * Move the lifecycle, attributed and timestamped, with its timeline entry, in one transaction; a move
   * the lifecycle does not allow is a 409 naming the allowed ones.
   */
  async changeState(
    projectId: string,
    by: Principal,
    idOrRef: string,
    to: LifecycleState,
    note?: string,
  ): Promise<StateChangedV1> {
    const row = await this.mustResolve(this.database.db, projectId, idOrRef);
    const at = new Date();
    const from = await this.recorder.commitWith(projectId, row.id, async (tx) => {
      const current = await this.mustResolve(tx, projectId, row.id);
      const from = current.lifecycle as LifecycleState;
      const allowed = allowedFrom(from);
      if (!allowed.includes(to)) {
        const options = allowed.length ? allowed.join(", ") : "none (final state)";
        const reason = `incident ${referenceOf(current)} is ${from}; it can move to: ${options}`;
        // The error envelope's issue list names the field and the allowed values.
        throw new ConflictError(reason, [{ loc: ["body", "state"], msg: reason, type: "invalid_transition" }]);
      }
      const record = async (t: Db) => {
        const moved = await this.store.transition(t, {
          projectId,
          incidentId: row.id,
          fromState: from,
          toState: to,
          at,
          principalKind: by.kind,
          principalId: by.id,
          note,
        });
        if (!moved) throw new ConflictError(`incident ${referenceOf(current)} changed state concurrently; retry`);
      };
      const message = lifecycleMessage(from, to, `${by.displayName} (${by.kind} ${by.id})`, note);
      const steps = [{ status: "HUMAN_DECISION" as const, message, agent: LIFECYCLE_AGENT }];
      return { change: { steps, extra: record }, result: from };
    });
    const transitions = (await this.store.transitions(this.database.db, projectId, [row.id])).get(row.id) ?? [];
    const m = milestonesOf(transitions);
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      id: row.id,
      reference: referenceOf(row),
      state: to,
      previous_state: from,
      changed_at: at.toISOString(),
      changed_by: { kind: by.kind, id: by.id },
      acknowledged_at: iso(m.acknowledgedAt),
      investigating_started_at: iso(m.investigatingAt),
      mitigated_at: iso(m.mitigatedAt),
      resolved_at: iso(m.resolvedAt),
      allowed_transitions: [...allowedFrom(to)],
    };
  }

  /** The incident's timeline, oldest first (seed 003 `GET …/timeline`). */
  async timeline(projectId: string, idOrRef: string): Promise<TimelineEntry[]> {
    const row = await this.mustResolve(this.database.db, projectId, idOrRef);
    return (await this.incidents.timeline(this.database.db, projectId, [row.id])).get(row.id) ?? [];
  }

  async workflow(projectId: string, idOrRef: string): Promise<WorkflowV1> {
    const row = await this.mustResolve(this.database.db, projectId, idOrRef);
    const timeline = await this.incidents.timeline(this.database.db, projectId, [row.id]);
    return workflowOf(row, timeline.get(row.id) ?? []);
  }

  /** Durations from the lifecycle history and the pipeline's record; tokens and cost from the model-call ledger. */
  async metrics(projectId: string, idOrRef: string): Promise<IncidentMetricsV1> {
    const db = this.database.db;
    const row = await this.mustResolve(db, projectId, idOrRef);
    const [transitions, usage] = await Promise.all([
      this.store.transitions(db, projectId, [row.id]),
      this.store.usage(db, projectId, row.id),
    ]);
    const m = milestonesOf(transitions.get(row.id) ?? []);
    const notes: string[] = [];
    if (!m.acknowledgedAt) notes.push("time_to_acknowledge_seconds is null: nobody has acknowledged the incident");
    if (!m.mitigatedAt) notes.push("time_to_mitigate_seconds is null: nobody has marked it mitigated or resolved");
    if (!m.resolvedAt) notes.push("time_to_resolve_seconds is null: nobody has marked it resolved");
    if (!row.resolvedAt) notes.push("automation_duration_seconds is null: the pipeline has not resolved it");
    if (usage.calls === 0) notes.push("no model call is recorded for this incident (the built-in analyst calls none)");
    return {
      incident_id: row.id,
      reference: referenceOf(row),
      state: row.lifecycle as LifecycleState,
      automation_status: row.status as IncidentV1["automation_status"],
      time_to_acknowledge_seconds: secondsBetween(row.createdAt, m.acknowledgedAt),
      time_to_mitigate_seconds: secondsBetween(row.createdAt, m.mitigatedAt),
      time_to_resolve_seconds: secondsBetween(row.createdAt, m.resolvedAt),
      automation_duration_seconds: secondsBetween(row.createdAt, row.resolvedAt),
      model_calls: usage.calls,
      prompt_tokens: usage.promptTokens,
      completion_tokens: usage.completionTokens,
      total_tokens: usage.promptTokens + usage.completionTokens,
      cost_usd: usage.costUsd,
      cache_hits: usage.cacheHits,
      hypotheses: usage.hypotheses,
      notes,
    };
  }

  private async mustResolve(db: Db, projectId: string, idOrRef: string): Promise<IncidentRow> {
    const row = await this.incidents.resolveRow(db, projectId, idOrRef);
    if (!row) throw new NotFoundError(`incident ${idOrRef} not found`);
    return row;
  }
}
