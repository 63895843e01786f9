import type { RunbookEntry } from "@aegis/contracts";
import type { KnowledgeBase } from "../ports/knowledge-base.js";

/**
 * How long after an incident was verified RESOLVED a new alert of the same kind on the same service
 * counts as the problem coming back. A day covers what a restart or a scale-up typically only
 * postpones (a leak refilling the heap, the next daily traffic peak, the nightly batch job), while
 * beyond it an alert of the same name is as likely to have a new, independent cause.
 */
export const DEFAULT_REOPEN_WINDOW_MS = 24 * 3_600_000;

/** Categories too vague to say two incidents are the same problem. */
const VAGUE_CATEGORIES = new Set(["unknown", "noise"]);

export interface NewIncidentFacts {
  id: string;
  alertType: string;
  containerName: string | null;
  /** When the new alert arrived. */
  receivedAt: Date;
}

export interface RecurrenceLookup {
  knowledge: KnowledgeBase;
  /** Category the earlier incident was diagnosed with (null when unknown). */
  categoryOf(incidentId: string): Promise<string | null>;
}

export interface Recurrence {
  /** The earlier learned entry, now marked REOPENED. */
  earlier: RunbookEntry;
  matchedBy: "alert_type" | "category";
}

/**
 * When this incident is the recurrence of one resolved shortly before (same service, and the same
 * alert name or, once diagnosed, the same category), marks that earlier fix REOPENED so remediation
 * stops preferring it. The newest matching resolution is the one that came back. Idempotent: an
 * entry already marked is no longer RESOLVED and is not found again.
 */
export async function reopenRecurrence(
  d: RecurrenceLookup,
  projectId: string,
  incident: NewIncidentFacts,
  category: string | null,
  windowMs: number,
): Promise<Recurrence | null> {
  if (!incident.containerName || windowMs <= 0) return null;
  const to = incident.receivedAt;
  const from = new Date(to.getTime() - windowMs);
  const candidates = await d.knowledge.resolvedBetween(projectId, incident.containerName, from, to);
  const alert = normaliseAlert(incident.alertType);
  for (const e of candidates) {
    if (e.incident_id === incident.id) continue;
    let matchedBy: Recurrence["matchedBy"] | null = null;
    if (alert !== "" && normaliseAlert(e.alert_type) === alert) matchedBy = "alert_type";
    else if (category && !VAGUE_CATEGORIES.has(category) && (await d.categoryOf(e.incident_id)) === category) {
      matchedBy = "category";
    }
    if (!matchedBy) continue;
    const earlier = await d.knowledge.setOutcome(projectId, e.incident_id, "REOPENED");
    if (earlier) return { earlier, matchedBy };
  }
  return null;
}

/** "Memory Leak", "memory_leak" and "MemoryLeak" name the same alert. */
function normaliseAlert(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

/** The timeline sentence for the new incident. */
export function recurrenceMessage(r: Recurrence, receivedAt: Date): string {
  const resolvedAt = r.earlier.resolved_at ? Date.parse(r.earlier.resolved_at) : Number.NaN;
  const ago = Number.isNaN(resolvedAt) ? "" : ` ${formatAgo(receivedAt.getTime() - resolvedAt)} after it was resolved`;
  const how = r.matchedBy === "alert_type" ? "same service and alert" : "same service and diagnosis";
  return `Recurrence of ${r.earlier.incident_id} (${how},${ago}): its fix ${r.earlier.action} is now recorded as REOPENED and counts against repeating it.`;
}

function formatAgo(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return `${h} h ${min % 60} min`;
}
