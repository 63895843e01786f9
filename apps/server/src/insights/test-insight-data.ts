import type { AIAnalysis } from "@aegis/contracts";
import type { Db } from "../store/database.js";
import {
  actions,
  incidents,
  incidentTransitions,
  knowledgeEntries,
  projects,
  timelineEntries,
} from "../store/schema.js";

/** A fixed "now" for insight tests: 2026-12-06T12:00:00Z (a Sunday). */
export const NOW = new Date("2026-12-06T12:00:00.000Z");
const MIN = 60_000;
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * MIN);
const analysis = (action: AIAnalysis["action"]): AIAnalysis => ({
  root_cause: "heap grows after every batch",
  action,
  justification: "restart reclaims the leaked heap",
  confidence: 0.9,
  replica_count: 0,
});

/**
 * A small, hand-checkable history in the default project (and one foreign incident in `other`):
 * - A  api, critical, Memory Leak, 2 h ago; acknowledged +5 min, resolved +30 min; the pipeline restarted it
 *   and verified it RESOLVED on its own (no human approval); its fix later REOPENED.
 * - B  api, high, Memory Leak, 3 h ago; investigating +10 min.
 * - C  db, CRITICAL (seed 000 case), Disk Full, 5 days ago; still detected, awaiting approval.
 * - D  db, low, Disk Full, 40 days ago; resolved +60 min (outside every 30-day window).
 * - X  in project `other`: must never be counted.
 */
export async function seedInsightHistory(db: Db): Promise<void> {
  await db.insert(projects).values({ id: "other", name: "other" }).onConflictDoNothing();
  const base = { logs: "ERROR heap", dryRun: false, replicasSpawned: 0 };
  await db.insert(incidents).values([
    {
      ...base,
      projectId: "default",
      id: "A",
      alertType: "Memory Leak",
      service: "api",
      severity: "critical",
      status: "RESOLVED",
      lifecycle: "resolved",
      category: "memory_leak",
      analysis: analysis("RESTART"),
      resolvedAt: ago(110),
      createdAt: ago(120),
      updatedAt: ago(90),
    },
    {
      ...base,
      projectId: "default",
      id: "B",
      alertType: "Memory Leak",
      containerName: "api",
      severity: "high",
      status: "FAILED",
      lifecycle: "investigating",
      category: "memory_leak",
      createdAt: ago(180),
    },
    {
      ...base,
      projectId: "default",
      id: "C",
      alertType: "Disk Full",
      service: "db",
      severity: "CRITICAL",
      status: "AWAITING_APPROVAL",
      lifecycle: "detected",
      category: "disk_full",
      analysis: analysis("NOOP"),
      createdAt: ago(5 * 1440),
    },
    {
      ...base,
      projectId: "default",
      id: "D",
      alertType: "Disk Full",
      service: "db",
      severity: "low",
      status: "REJECTED",
      lifecycle: "resolved",
      createdAt: ago(40 * 1440),
    },
    {
      ...base,
      projectId: "other",
      id: "X",
      alertType: "Memory Leak",
      service: "api",
      severity: "critical",
      status: "RESOLVED",
      lifecycle: "detected",
      createdAt: ago(60),
    },
  ]);
  const t = (incidentId: string, fromState: string, toState: string, at: Date, principalId = "admin") => ({
    projectId: "default",
    incidentId,
    fromState,
    toState,
    at,
    principalKind: "api_key",
    principalId,
  });
  await db
    .insert(incidentTransitions)
    .values([
      t("A", "detected", "acknowledged", ago(115), "alice"),
      t("A", "acknowledged", "resolved", ago(90), "alice"),
      t("B", "detected", "investigating", ago(170), "bob"),
      t("D", "detected", "resolved", ago(40 * 1440 - 60)),
    ]);
  await db.insert(actions).values([
    {
      projectId: "default",
      incidentId: "A",
      idempotencyKey: "A-1",
      kind: "RESTART",
      target: "api",
      state: "succeeded",
      startedAt: ago(115),
      finishedAt: ago(114),
    },
    {
      projectId: "default",
      incidentId: "B",
      idempotencyKey: "B-1",
      kind: "ROLLBACK",
      target: "api",
      state: "failed",
      error: "no previous revision",
      startedAt: ago(175),
    },
  ]);
  await db.insert(knowledgeEntries).values({
    projectId: "default",
    incidentId: "A",
    alertType: "Memory Leak",
    logs: "ERROR heap",
    containerName: "api",
    severity: "critical",
    rootCause: "heap grows after every batch",
    action: "RESTART",
    justification: "restart",
    confidence: 0.9,
    councilApproved: true,
    resolvedAt: ago(110),
    outcome: "REOPENED",
    createdAt: ago(110),
  });
  const e = (incidentId: string, ts: Date, status: string, message: string, agent: string | null = null) => ({
    projectId: "default",
    incidentId,
    ts,
    status,
    message,
    agent,
  });
  await db
    .insert(timelineEntries)
    .values([
      e("C", ago(5 * 1440), "RECEIVED", "Alert received"),
      e("B", ago(180), "RECEIVED", "Alert received"),
      e("A", ago(120), "RECEIVED", "Alert received"),
      e("A", ago(110), "RESOLVED", "Verified healthy", "VERIFIER"),
    ]);
}
