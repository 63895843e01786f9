import { randomUUID } from "node:crypto";
import type {
  AgentFeedbackInput,
  AgentFeedbackView,
  IncidentActionInput,
  IncidentActionQueued,
  RelatedIncident,
  StateChangedV1,
} from "@aegis/contracts";
import type { Principal } from "../ports/identity.js";
import type { KnowledgeBase } from "../ports/knowledge-base.js";
import type { Database } from "../store/database.js";
import type { IncidentStore } from "../store/incident-store.js";
import type { FeedbackRow, InsightSettingsStore } from "../store/insight-settings-store.js";
import type { IncidentResource } from "./incident-resource.js";
import type { IncidentService } from "./incident-service.js";
import { referenceOf } from "./incident-view.js";
import type { IncidentRecorder } from "./recorder.js";

/** How much a past incident's feedback moves its rank in `related`: ±25 % at unanimous votes. */
const FEEDBACK_WEIGHT = 0.25;

const feedbackView = (f: FeedbackRow): AgentFeedbackView => ({
  id: f.id,
  incident_id: f.incidentId,
  helpful: f.helpful,
  accuracy: f.accuracy,
  comment: f.comment,
  by: { kind: f.principalKind, id: f.principalId },
  created_at: f.createdAt.toISOString(),
});

/**
 * Seed 003's incident actions on the one incident resource: acknowledge and resolve (lifecycle moves
 * through `IncidentResource`, attributed to the caller and the `user` named), the timeline, related
 * incidents from the knowledge base ranked with people's feedback, feedback itself, and remediation
 * actions a person asks for, which the pipeline puts before the council like any other proposal.
 */
export class IncidentActions {
  constructor(
    private readonly database: Database,
    private readonly resource: Pick<IncidentResource, "changeState" | "idOf" | "get">,
    private readonly incidents: IncidentStore,
    private readonly service: Pick<IncidentService, "openProposed">,
    private readonly recorder: IncidentRecorder,
    private readonly knowledge: Pick<KnowledgeBase, "similar">,
    private readonly settings: InsightSettingsStore,
  ) {}

  async acknowledge(projectId: string, by: Principal, idOrRef: string, user?: string): Promise<StateChangedV1> {
    const note = user ? `acknowledged by ${user}` : undefined;
    const moved = await this.resource.changeState(projectId, by, idOrRef, "acknowledged", note);
    await this.settings.addResponse(this.database.db, {
      projectId,
      incidentId: moved.id,
      action: "acknowledge",
      responder: user ?? by.id,
      resolution: null,
      at: new Date(moved.changed_at),
    });
    return moved;
  }

  async resolve(
    projectId: string,
    by: Principal,
    idOrRef: string,
    resolution?: string,
    user?: string,
  ): Promise<StateChangedV1 & { resolution: string | null }> {
    const note = [resolution, user ? `resolved by ${user}` : null].filter(Boolean).join(" — ") || undefined;
    const moved = await this.resource.changeState(projectId, by, idOrRef, "resolved", note);
    await this.settings.addResponse(this.database.db, {
      projectId,
      incidentId: moved.id,
      action: "resolve",
      responder: user ?? by.id,
      resolution: resolution ?? null,
      at: new Date(moved.changed_at),
    });
    return { ...moved, resolution: resolution ?? null };
  }

  /**
   * Past incidents most similar to this one (the knowledge base's retrieval), the incident itself left
   * out; each score is then weighted by the feedback people gave on that past incident.
   */
  async related(projectId: string, idOrRef: string, limit: number): Promise<RelatedIncident[]> {
    const db = this.database.db;
    const id = await this.resource.idOf(projectId, idOrRef);
    const row = await this.incidents.getRow(db, projectId, id);
    if (!row) return [];
    const found = (await this.knowledge.similar(projectId, `${row.alertType}\n${row.logs}`, limit * 3 + 1)).filter(
      (s) => s.incident_id !== id,
    );
    const scores = await this.settings.feedbackScores(
      db,
      projectId,
      found.map((f) => f.incident_id),
    );
    const ranked = await Promise.all(
      found.map(async (f) => {
        const fb = scores.get(f.incident_id) ?? { helpful: 0, unhelpful: 0, accuracy: null };
        const votes = fb.helpful + fb.unhelpful;
        const weight = votes > 0 ? 1 + (FEEDBACK_WEIGHT * (fb.helpful - fb.unhelpful)) / votes : 1;
        const past = await this.incidents.getRow(db, projectId, f.incident_id);
        return {
          incident_id: f.incident_id,
          reference: past ? referenceOf(past) : null,
          title: past?.title ?? f.alert_type,
          alert_type: f.alert_type,
          service: past?.service ?? f.container_name,
          severity: f.severity,
          root_cause: f.root_cause,
          action: f.action,
          outcome: f.outcome ?? "RESOLVED",
          similarity_score: round(f.similarity_score),
          score: round(Math.min(1, f.similarity_score * weight)),
          feedback: { helpful: fb.helpful, not_helpful: fb.unhelpful, mean_accuracy: fb.accuracy },
          created_at: past?.createdAt.toISOString() ?? null,
        };
      }),
    );
    return ranked.sort((a, b) => b.score - a.score || b.similarity_score - a.similarity_score).slice(0, limit);
  }

  /** Store a person's verdict on the incident's diagnosis and show it on its hypotheses. */
  async feedback(projectId: string, by: Principal, input: AgentFeedbackInput): Promise<AgentFeedbackView> {
    const id = await this.resource.idOf(projectId, input.incident_id);
    const row = await this.settings.addFeedback(this.database.db, {
      projectId,
      incidentId: id,
      helpful: input.helpful,
      accuracy: input.accuracy ?? null,
      comment: input.comment ?? null,
      principalKind: by.kind,
      principalId: by.id,
    });
    const verdict = `${input.helpful ? "helpful" : "not helpful"}${input.accuracy ? ` (accuracy ${input.accuracy}/5)` : ""}${
      input.comment ? `: ${input.comment}` : ""
    }`;
    await this.settings.markHypotheses(this.database.db, projectId, id, verdict);
    return feedbackView(row);
  }

  async feedbackOf(projectId: string, idOrRef: string): Promise<AgentFeedbackView[]> {
    const id = await this.resource.idOf(projectId, idOrRef);
    return (await this.settings.feedbackOf(this.database.db, projectId, id)).map(feedbackView);
  }

  /**
   * A person asks for a remediation action on an incident. It becomes a follow-up incident whose
   * proposal is that action (with the parent's logs as evidence), queued into the pipeline: the council
   * and its hard policies review it, then it is executed, parked for human approval or rejected — exactly
   * as a proposal of the analyst. The parent's timeline records the request.
   */
  async runAction(
    projectId: string,
    by: Principal,
    idOrRef: string,
    input: IncidentActionInput,
  ): Promise<IncidentActionQueued> {
    const parentId = await this.resource.idOf(projectId, idOrRef);
    const parent = await this.incidents.getRow(this.database.db, projectId, parentId);
    if (!parent) throw new Error(`incident ${parentId} disappeared`);
    const action = input.action;
    const target = input.target ?? parent.containerName ?? parent.service;
    const who = input.user ?? `${by.displayName} (${by.kind} ${by.id})`;
    const id = randomUUID();
    const reason = input.reason ?? parent.analysis?.root_cause ?? parent.alertType;
    await this.service.openProposed(
      {
        projectId,
        id,
        alertType: parent.alertType,
        logs: parent.logs,
        containerName: target,
        severity: parent.severity,
        alertTimestamp: parent.alertTimestamp,
        context: { ...(parent.context ?? {}), requested_action: { parent_incident: parentId, requested_by: who } },
        dryRun: input.dry_run ?? false,
        title: `${action} requested on ${referenceOf(parent)}${target ? ` (${target})` : ""}`,
        description: reason,
        service: target,
      },
      {
        analysis: {
          root_cause: reason,
          action,
          justification: `Requested by ${who} on ${referenceOf(parent)}${input.reason ? `: ${input.reason}` : ""}`,
          // A person's explicit choice; the council's hard policy (targets, budgets, replica cap) still decides.
          confidence: 1,
          replica_count: action === "SCALE_UP" || action === "SCALE_DOWN" ? (input.replicas ?? 1) : 0,
        },
        category: parent.category,
        evidence: parent.evidence ?? [],
        provider: `human:${by.kind}:${by.id}`,
      },
    );
    const created = await this.resource.get(projectId, id);
    await this.recorder.commit(projectId, parentId, {
      steps: [
        {
          status: "HUMAN_DECISION",
          message: `${who} requested ${action}${target ? ` on ${target}` : ""}: follow-up ${created.reference} goes to the council`,
          agent: null,
        },
      ],
    });
    return {
      action_id: id,
      reference: created.reference,
      parent_incident_id: parentId,
      action,
      target,
      dry_run: input.dry_run ?? false,
      status: created.automation_status,
      requested_by: who,
      follow_url: `/api/v1/incidents/${id}`,
    };
  }
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
