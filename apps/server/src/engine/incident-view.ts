import {
  type IncidentStatus,
  type IncidentSummaryV1,
  type IncidentV1,
  LifecycleState,
  type TimelineEntry,
  type TransitionV1,
  type WorkflowV1,
} from "@aegis/contracts";
import type { TransitionRow } from "../store/incident-resource-store.js";
import type { IncidentRow } from "../store/incident-store.js";
import { allowedFrom, milestonesOf } from "./incident-lifecycle.js";

/** The timeline `agent` of lifecycle entries. */
export const LIFECYCLE_AGENT = "LIFECYCLE";

/** The timeline message of a lifecycle move; `lifecycleMoveOf` reads it back (live events report the move). */
export function lifecycleMessage(from: LifecycleState, to: LifecycleState, by: string, note?: string): string {
  return `Lifecycle ${from} → ${to} by ${by}${note ? `: ${note}` : ""}`;
}

const LIFECYCLE_MOVE = /^Lifecycle (\w+) → (\w+) by /;

/** The state a lifecycle entry moved to, or null for any other timeline entry. */
export function lifecycleMoveOf(agent: string | null, message: string): LifecycleState | null {
  if (agent !== LIFECYCLE_AGENT) return null;
  const parsed = LifecycleState.safeParse(LIFECYCLE_MOVE.exec(message)?.[2]);
  return parsed.success ? parsed.data : null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** `INC-<n>`: the seed-001 reference of an incident. */
export const referenceOf = (row: Pick<IncidentRow, "number">) => `INC-${row.number}`;

/** A webhook incident has no title or description of its own: its alert type and log head stand in. */
export function summaryOf(row: IncidentRow, transitions: readonly TransitionRow[]): IncidentSummaryV1 {
  const m = milestonesOf(transitions);
  const state = row.lifecycle as LifecycleState;
  const service = row.service ?? row.containerName;
  return {
    id: row.id,
    incident_id: row.id,
    reference: referenceOf(row),
    title: row.title ?? row.alertType,
    description: row.description ?? row.logs.slice(0, 500),
    service_name: service,
    affected_services: service ? [service] : [],
    severity: row.severity,
    state,
    status: state,
    automation_status: row.status as IncidentStatus,
    dry_run: row.dryRun,
    project_id: row.projectId,
    detected_at: row.createdAt.toISOString(),
    acknowledged_at: iso(m.acknowledgedAt),
    investigating_started_at: iso(m.investigatingAt),
    mitigated_at: iso(m.mitigatedAt),
    resolved_at: iso(m.resolvedAt),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function transitionOf(t: TransitionRow): TransitionV1 {
  return {
    from: t.fromState as LifecycleState,
    to: t.toState as LifecycleState,
    at: t.at.toISOString(),
    by: { kind: t.principalKind, id: t.principalId },
    note: t.note,
  };
}

export function detailOf(row: IncidentRow, transitions: readonly TransitionRow[]): IncidentV1 {
  const summary = summaryOf(row, transitions);
  const resolvedAt = milestonesOf(transitions).resolvedAt;
  const a = row.analysis;
  return {
    ...summary,
    duration_seconds: resolvedAt ? (resolvedAt.getTime() - row.createdAt.getTime()) / 1000 : null,
    hypothesis: a?.root_cause ?? null,
    resolution: row.status === "RESOLVED" && a ? `${a.action} ${row.containerName ?? ""}`.trim() : null,
    automation: {
      status: row.status as IncidentStatus,
      alert_type: row.alertType,
      container_name: row.containerName,
      root_cause: a?.root_cause ?? null,
      action: a?.action ?? null,
      confidence: a?.confidence ?? null,
      final_verdict: row.councilDecision?.final_verdict ?? null,
      resolved_at: iso(row.resolvedAt),
      error: row.error,
      replicas_spawned: row.replicasSpawned,
    },
    transitions: transitions.map(transitionOf),
    allowed_transitions: [...allowedFrom(summary.state)],
  };
}

/** The pipeline's steps from its timeline: each lasts until the next entry; the last ends with the run. */
export function workflowOf(row: IncidentRow, entries: readonly TimelineEntry[]): WorkflowV1 {
  // A person's lifecycle changes share the timeline but are not steps of the pipeline.
  const timeline = entries.filter((e) => e.agent !== LIFECYCLE_AGENT);
  // The pipeline also stops at a council's REJECTED and after a dry run's APPROVED.
  const finished =
    row.status === "RESOLVED" ||
    row.status === "FAILED" ||
    row.status === "REJECTED" ||
    (row.dryRun && row.status === "APPROVED");
  const steps = timeline.map((e, index) => {
    const next = timeline[index + 1];
    const end = next ? next.ts : finished ? e.ts : null;
    return {
      index,
      name: e.status,
      message: e.message,
      agent: e.agent,
      started_at: e.ts,
      finished_at: end,
      duration_ms: end === null ? null : Date.parse(end) - Date.parse(e.ts),
    };
  });
  const startedAt = timeline[0]?.ts ?? row.createdAt.toISOString();
  const finishedAt = finished ? (timeline.at(-1)?.ts ?? null) : null;
  return {
    incident_id: row.id,
    reference: referenceOf(row),
    automation_status: row.status as IncidentStatus,
    finished,
    started_at: startedAt,
    finished_at: finishedAt,
    total_duration_ms: finishedAt === null ? null : Date.parse(finishedAt) - Date.parse(startedAt),
    steps,
  };
}
