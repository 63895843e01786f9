/**
 * Port between alert intake (silences and maintenance windows, kept with the alerts) and paging
 * (escalation): a silenced or in-maintenance alert keeps its record and its incident, but nobody is paged.
 */

/** What paging knows of an incident's alert when it asks whether to page. */
export interface SilenceQuery {
  service?: string | undefined;
  /** The alert's labels (source labels, plus `service`, `alertname`, `severity` where known). */
  labels: Record<string, string>;
  at: Date;
}

/** The silence or maintenance window that suppresses paging, for the timeline and the delivery log. */
export interface Suppression {
  kind: "silence" | "maintenance";
  id: string;
  reason: string;
  endsAt: string;
}

/** Port: answers whether paging for an alert of `projectId` is suppressed right now (or at `at`). */
export interface SilenceChecker {
  suppression(projectId: string, query: SilenceQuery): Promise<Suppression | null>;
}
